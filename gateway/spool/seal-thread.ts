import { unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FerryError } from '../../protocol/errors.js';
import type { SodiumBackendName } from './sodium.js';
import type { SealAnswer, SealRequest } from './seal-worker.js';

// The event loop's side of the seal thread (seal-worker.ts). An upload's bytes
// cross in a fixed set of buffers that go to the thread and come back
// (transferred both ways, never cloned): with all of them on the other side,
// write() waits, the pass stops reading, and TCP carries that back to the
// sender. So the memory bound holds whatever the size: BUFFERS × BUFFER_BYTES
// per upload, beside the spool writer's two slabs on the thread.
//
// Why the bytes are copied into these buffers rather than the pass's batch
// handed over: the clamd stage's socket may still hold the batch when the
// pass moves on, and a transferred buffer leaves this thread.

const SCRIPT = new URL('./seal-worker.js', import.meta.url);
/** One pass batch (pipeline/batches.ts) per buffer. */
export const BUFFER_BYTES = 256 * 1024;
/** Buffers of one upload on their way to the thread or being sealed there. */
export const BUFFERS = 8;
/** After the thread died, a new one starts after this long (the gateway is not ready meanwhile). */
const RESTART_MS = 1000;

/** `last`: the abort's wait, which a failure of the upload does not end (only the thread's death does). */
type Waiter = { resolve: (a: SealAnswer) => void; reject: (e: Error) => void; last?: boolean };

export class SealThread {
  readonly #sodium: SodiumBackendName;
  #worker: Worker | null = null;
  #ready: Promise<void> | null = null;
  #uploads = new Map<number, SealedUpload>();
  #next = 1;
  #failure: string | null = null;
  #stopped = false;
  #restart: NodeJS.Timeout | null = null;
  readonly #onDeath: (reason: string) => void;

  constructor(sodium: SodiumBackendName, onDeath: (reason: string) => void = () => undefined) {
    this.#sodium = sodium;
    this.#onDeath = onDeath;
  }

  /** Why uploads to the spool cannot be sealed now (the thread died or could not start), or null. */
  get failure(): string | null {
    return this.#failure;
  }

  /** The thread, for tests that stop it as a crash would. */
  get worker(): Worker | null {
    return this.#worker;
  }

  /** Starts the thread (once); resolves when it can take uploads. */
  start(): Promise<void> {
    if (this.#stopped) return Promise.reject(new FerryError('FERRY_NOT_READY', 'The gateway is stopping.'));
    this.#ready ??= this.#spawn();
    return this.#ready;
  }

  #spawn(): Promise<void> {
    const w = new Worker(SCRIPT, { workerData: { sodium: this.#sodium } });
    this.#worker = w;
    return new Promise((resolve, reject) => {
      let up = false;
      const died = (why: string): void => {
        if (this.#worker !== w) return;
        this.#worker = null;
        this.#ready = null;
        const reason = `the spool's seal thread ${up ? 'stopped' : 'could not start'}: ${why}`;
        if (!this.#stopped) {
          this.#failure = reason;
          this.#onDeath(reason);
        }
        const err = new FerryError('FERRY_STORAGE_UNAVAILABLE', `${reason}; nothing of the upload was kept.`);
        for (const u of [...this.#uploads.values()]) u.die(err);
        this.#uploads.clear();
        if (!up) reject(err);
        if (!this.#stopped) {
          this.#restart = setTimeout(() => {
            this.#restart = null;
            if (!this.#stopped && !this.#worker) this.start().catch(() => undefined);
          }, RESTART_MS);
          this.#restart.unref();
        }
      };
      w.on('message', (a: SealAnswer) => {
        if (a.t === 'ready') {
          up = true;
          this.#failure = null;
          resolve();
        } else this.#uploads.get(a.id)?.answer(a);
      });
      w.on('error', (e) => died(e.message));
      w.on('exit', (code) => died(`it exited with code ${code}`));
    });
  }

  /** Starts the spool file of one upload at `path` (its .part in `partDir`), sealed to `sealPublicKey`. */
  async open(path: string, partDir: string, sealPublicKey: Uint8Array): Promise<SealedUpload> {
    await this.start();
    const w = this.#worker!;
    const id = this.#next++;
    const u = new SealedUpload(id, w, join(partDir, `${basename(path)}.part`), path, () => this.#uploads.delete(id));
    this.#uploads.set(id, u);
    try {
      await u.opened({ t: 'open', id, path, partDir, sealPublicKey: new Uint8Array(sealPublicKey) });
    } catch (err) {
      await u.abort(); // the thread forgets it too
      throw err;
    }
    return u;
  }

  /** The gateway stops: the thread ends, uploads still on it fail. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#restart) clearTimeout(this.#restart);
    const w = this.#worker;
    if (w) await w.terminate();
  }
}

/** One upload on the seal thread; the same contract as SpoolWriter, and its SHA-256. */
export class SealedUpload {
  readonly #id: number;
  readonly #w: Worker;
  readonly #partPath: string;
  readonly #path: string;
  readonly #forget: () => void;
  #free: ArrayBuffer[] = [];
  #made = 0;
  #waitFree: Waiter | null = null;
  /** The one answer awaited besides buffers (opened, digest, committed, aborted). */
  #waitAnswer: Waiter | null = null;
  #error: Error | null = null;
  #dead = false;
  #done = false;

  constructor(id: number, w: Worker, partPath: string, path: string, forget: () => void) {
    this.#id = id;
    this.#w = w;
    this.#partPath = partPath;
    this.#path = path;
    this.#forget = forget;
  }

  async opened(req: SealRequest): Promise<void> {
    await this.#ask(req, 'opened');
  }

  /** Hands `chunk` to the thread; waits while all of this upload's buffers are there. */
  async write(chunk: Buffer): Promise<void> {
    for (let off = 0; off < chunk.length;) {
      const buf = await this.#take();
      const len = Math.min(BUFFER_BYTES, chunk.length - off);
      chunk.copy(new Uint8Array(buf), 0, off, off + len);
      off += len;
      this.#w.postMessage({ t: 'data', id: this.#id, buf, len } satisfies SealRequest, [buf]);
    }
  }

  /** After the last write: the SHA-256 and size of everything written. */
  async digest(): Promise<{ sha256: string; size: number }> {
    const a = await this.#ask({ t: 'end', id: this.#id }, 'digest');
    return a.t === 'digest' ? { sha256: a.sha256, size: a.size } : { sha256: '', size: 0 };
  }

  /** Durable once resolved: the file fsynced, renamed, its directory fsynced (SpoolWriter.commit). */
  async commit(): Promise<void> {
    await this.#ask({ t: 'commit', id: this.#id }, 'committed');
    this.#done = true;
    this.#forget();
  }

  /** Removes whatever the upload left, on the thread or, when it died, from here. */
  async abort(): Promise<void> {
    // After the commit the thread has forgotten the upload (it would never answer): the file is removed from here.
    const here = this.#dead || this.#done;
    if (!here) {
      this.#error ??= new Error('the upload was aborted');
      await this.#ask({ t: 'abort', id: this.#id }, 'aborted', true).catch(() => undefined);
    }
    this.#forget();
    if (here) {
      // The thread may have died anywhere, before the rename or after it.
      await unlink(this.#partPath).catch(() => undefined);
      await unlink(this.#path).catch(() => undefined);
    }
  }

  answer(a: SealAnswer): void {
    if (a.t === 'free') {
      const waiter = this.#waitFree;
      this.#waitFree = null;
      this.#free.push(a.buf);
      waiter?.resolve(a);
    } else if (a.t === 'error') {
      const e = Object.assign(new Error(a.message), a.code ? { code: a.code } : {});
      this.#fail(e);
    } else {
      const waiter = this.#waitAnswer;
      this.#waitAnswer = null;
      waiter?.resolve(a);
    }
  }

  /** The thread died: every wait ends with `err`, and what it left is removed by abort(). */
  die(err: Error): void {
    this.#dead = true;
    if (!this.#done) this.#fail(err);
  }

  #fail(e: Error): void {
    this.#error ??= e;
    this.#waitFree?.reject(this.#error);
    this.#waitFree = null;
    if (this.#waitAnswer && (!this.#waitAnswer.last || this.#dead)) {
      this.#waitAnswer.reject(this.#error);
      this.#waitAnswer = null;
    }
  }

  async #take(): Promise<ArrayBuffer> {
    for (;;) {
      if (this.#error) throw this.#error;
      const b = this.#free.pop();
      if (b) return b;
      if (this.#made < BUFFERS) {
        this.#made++;
        return new ArrayBuffer(BUFFER_BYTES);
      }
      await new Promise<SealAnswer>((resolve, reject) => (this.#waitFree = { resolve, reject }));
    }
  }

  #ask(req: SealRequest, want: SealAnswer['t'], evenFailed = false): Promise<SealAnswer> {
    if (this.#dead || (this.#error && !evenFailed)) return Promise.reject(this.#error);
    return new Promise<SealAnswer>((resolve, reject) => {
      this.#waitAnswer = {
        resolve: (a) => (a.t === want ? resolve(a) : reject(new Error(`the seal thread answered ${a.t}, not ${want}`))),
        reject,
        last: evenFailed,
      };
      this.#w.postMessage(req);
    });
  }
}
