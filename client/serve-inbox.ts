// The receiving end of push delivery: an HTTPS endpoint (mutual TLS) that a
// gateway PUTs transfers to. Each body is streamed to a temporary file, hashed
// as it arrives, and compared with the ferry-sha256 the gateway announced
// before the answer: 2xx only for a file that is in place and fsynced, so the
// gateway settles a transfer as delivered only when it truly is. The sender's
// filename is a wish (safeFileName), never a path; an existing file is never
// replaced. A transfer pushed again (its 2xx was lost) is recognised by id and
// answered without a second copy.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TLSSocket } from 'node:tls';
import { ReceivedIndex } from './received-index.js';
import { LOCAL_WRITE_ERRORS } from './local-write-errors.js';
import { placeWithoutOverwrite, safeFileName } from './safe-name.js';

export interface PushedFile {
  id: string;
  from: string | undefined;
  path: string;
  senderFilename: string | undefined;
  size: number;
  sha256: string;
  /** Pushed again after an earlier answer was lost: the file was already here. */
  alreadyHeld: boolean;
}

export interface InboxServerOptions {
  outDir: string;
  certPem: string;
  keyPem: string;
  caPem: string;
  passphrase?: string | undefined;
  host: string;
  port: number;
  /** Only pushes from gateways with these names (ferry://gateway/<name>); any gateway of the CA when empty. */
  gateways?: string[];
  onReceived?: (f: PushedFile) => void;
  onRefused?: (status: number, reason: string) => void;
}

export interface InboxServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

const TRANSFER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SHA256 = /^[0-9a-f]{64}$/;

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' }).end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function decodeFilename(h: string | undefined): string | undefined {
  if (h === undefined) return undefined;
  try {
    return decodeURIComponent(h);
  } catch {
    return h;
  }
}

/** The ferry://gateway/<name> identity of the connection's client certificate, or null. */
function pushingGateway(socket: TLSSocket): string | null {
  const san = socket.getPeerCertificate()?.subjectaltname ?? '';
  const m = /(?:^|,\s*)URI:ferry:\/\/gateway\/([a-z0-9][a-z0-9_-]*)(?:,|$)/.exec(san);
  return m ? m[1]! : null;
}

/** A temporary file that is not kept; gone already is fine. */
async function discard(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

async function syncPath(path: string, flags: string): Promise<void> {
  const f = await open(path, flags);
  try {
    await f.sync().catch(() => undefined);
  } finally {
    await f.close();
  }
}

export async function startInboxServer(opts: InboxServerOptions): Promise<InboxServer> {
  await mkdir(opts.outDir, { recursive: true, mode: 0o700 });
  const index = await ReceivedIndex.open(opts.outDir);
  const inFlight = new Set<string>();

  const refuse = (res: ServerResponse, status: number, code: string, reason: string): void => {
    opts.onRefused?.(status, reason);
    answer(res, status, { code, detail: reason });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'PUT') return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'a gateway delivers with PUT');
    const gateway = pushingGateway(req.socket as TLSSocket);
    if (!gateway || (opts.gateways?.length && !opts.gateways.includes(gateway))) {
      return refuse(res, 403, 'NOT_A_GATEWAY', 'only a gateway (certificate ferry://gateway/<name>) delivers here');
    }
    const id = header(req, 'ferry-transfer-id');
    const announced = header(req, 'ferry-sha256')?.toLowerCase();
    if (!id || !TRANSFER_ID.test(id)) return refuse(res, 400, 'BAD_TRANSFER_ID', 'ferry-transfer-id is missing or not a transfer id');
    if (!announced || !SHA256.test(announced)) return refuse(res, 400, 'BAD_SHA256', 'ferry-sha256 is missing or not a SHA-256 in hex');
    const senderFilename = decodeFilename(header(req, 'ferry-filename'));
    const from = header(req, 'ferry-from');

    const held = await index.held(id, announced);
    if (held) {
      req.resume();
      opts.onReceived?.({ id, from, path: held.path, senderFilename, size: held.size, sha256: held.sha256, alreadyHeld: true });
      return answer(res, 200, { received: id, sha256: held.sha256, size: held.size, already_held: true });
    }
    // The same transfer twice at once (a retry while the first try still streams): the later one waits its turn.
    if (inFlight.has(id)) {
      res.setHeader('retry-after', '5');
      return refuse(res, 503, 'IN_PROGRESS', `transfer ${id} is being received on another connection`);
    }
    inFlight.add(id);
    // Dot-prefixed: safeFileName never yields a leading dot, so a final name cannot collide with it.
    const tmpPath = join(opts.outDir, `.ferry-push-${randomUUID()}.part`);
    let kept = false;
    try {
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      try {
        // 'wx': a fresh file, never someone else's; 0600 from the first byte.
        await pipeline(req, meter, createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 }));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        await discard(tmpPath); // before any answer: whoever reads the folder after a refusal finds nothing of it
        if (LOCAL_WRITE_ERRORS.has(code)) return refuse(res, 507, 'CANNOT_WRITE', `this receiver cannot write in its folder (${code}); try again later`);
        return; // the connection broke: nothing to answer, nothing kept; the gateway tries again
      }
      const got = hash.digest('hex');
      if (got !== announced) {
        await discard(tmpPath);
        return refuse(res, 422, 'SHA256_MISMATCH', `the body's SHA-256 is ${got}, the gateway announced ${announced}; not kept`);
      }
      await syncPath(tmpPath, 'r+');
      const name = safeFileName(senderFilename, safeFileName(`ferry-${id}`, 'ferry-transfer'));
      const path = await placeWithoutOverwrite(tmpPath, opts.outDir, name);
      kept = true;
      await syncPath(opts.outDir, 'r');
      // Written (fsynced) before the answer: a retry after a lost answer finds it here.
      await index.saved({ id, path, sha256: got, size });
      opts.onReceived?.({ id, from, path, senderFilename, size, sha256: got, alreadyHeld: false });
      answer(res, 200, { received: id, sha256: got, size });
    } finally {
      inFlight.delete(id);
      if (!kept) await discard(tmpPath);
    }
  }

  const server = createServer({
    cert: opts.certPem, key: opts.keyPem, ca: opts.caPem, ...(opts.passphrase ? { passphrase: opts.passphrase } : {}),
    requestCert: true, rejectUnauthorized: true,
  }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) refuse(res, 500, 'INTERNAL', `the receiver failed: ${(err as Error).message}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }),
  };
}
