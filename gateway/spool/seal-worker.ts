import { createHash, type Hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { loadSodium, type SodiumBackendName } from './sodium.js';
import { SpoolWriter } from './spool-writer.js';
import { nameThisThread } from '../process/thread-name.js';

// The seal thread: hashes and encrypts the spool files of the gateway's large
// uploads and writes them, so that the event loop only reads sockets and
// parses HTTP while this thread works on the bytes before them. One thread
// serves every upload in flight; each upload's messages are handled in order.
// The file format, the .part file, the fsyncs and the rename are SpoolWriter's,
// the same as on the event loop: only the thread differs.

nameThisThread('ferry-seal');

export type SealRequest =
  | { t: 'open'; id: number; path: string; partDir: string; sealPublicKey: Uint8Array }
  | { t: 'data'; id: number; buf: ArrayBuffer; len: number }
  | { t: 'end'; id: number }
  | { t: 'commit'; id: number }
  | { t: 'abort'; id: number };

export type SealAnswer =
  | { t: 'ready' }
  | { t: 'opened'; id: number }
  /** The buffer of a 'data' message, handed back to be filled again: the acknowledgement. */
  | { t: 'free'; id: number; buf: ArrayBuffer }
  | { t: 'digest'; id: number; sha256: string; size: number }
  | { t: 'committed'; id: number }
  | { t: 'aborted'; id: number }
  | { t: 'error'; id: number; message: string; code?: string };

interface Upload {
  writer: Promise<SpoolWriter>;
  hash: Hash;
  size: number;
  /** This upload's messages, one after the other. */
  chain: Promise<void>;
  failed: boolean;
}

const backend = await loadSodium((workerData as { sodium: SodiumBackendName }).sodium);
const uploads = new Map<number, Upload>();
const post = (a: SealAnswer, transfer?: ArrayBuffer[]): void => parentPort!.postMessage(a, transfer ?? []);

function fail(id: number, u: Upload, err: unknown): void {
  if (u.failed) return;
  u.failed = true;
  const e = err as NodeJS.ErrnoException;
  post({ t: 'error', id, message: e?.message ?? String(err), ...(e?.code ? { code: e.code } : {}) });
}

parentPort!.on('message', (m: SealRequest) => {
  if (m.t === 'open') {
    const writer = SpoolWriter.create(m.path, Buffer.from(m.sealPublicKey), backend, m.partDir);
    const u: Upload = { writer, hash: createHash('sha256'), size: 0, chain: Promise.resolve(), failed: false };
    uploads.set(m.id, u);
    u.chain = writer.then(() => post({ t: 'opened', id: m.id }), (err) => fail(m.id, u, err));
    return;
  }
  const u = uploads.get(m.id);
  if (!u) return;
  const step = (f: (w: SpoolWriter) => Promise<void>): void => {
    u.chain = u.chain.then(async () => {
      if (u.failed && m.t !== 'abort') return;
      try {
        await f(await u.writer);
      } catch (err) {
        fail(m.id, u, err);
      }
    });
  };
  if (m.t === 'data') {
    step(async (w) => {
      const chunk = Buffer.from(m.buf, 0, m.len);
      u.hash.update(chunk);
      u.size += m.len;
      await w.write(chunk);
      // SpoolWriter keeps nothing of the chunk once write() resolved: the buffer goes back.
      post({ t: 'free', id: m.id, buf: m.buf }, [m.buf]);
    });
  } else if (m.t === 'end') {
    step(async () => post({ t: 'digest', id: m.id, sha256: u.hash.digest('hex'), size: u.size }));
  } else if (m.t === 'commit') {
    step(async (w) => {
      await w.commit();
      uploads.delete(m.id);
      post({ t: 'committed', id: m.id });
    });
  } else {
    // After a failure too: whatever the writer left is removed.
    u.chain = u.chain.then(async () => {
      uploads.delete(m.id);
      const w = await u.writer.catch(() => null);
      await w?.abort().catch(() => undefined);
      post({ t: 'aborted', id: m.id });
    });
  }
});
post({ t: 'ready' });
