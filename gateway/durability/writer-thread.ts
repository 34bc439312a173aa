import { Worker } from 'node:worker_threads';

// The main thread's side of a thread that owns writing to one SQLite file
// (queue.db: store/sqlite/queue-writer.ts; audit.db: audit/audit-log.ts). The
// owner batches what it was asked (group-commit.ts) and sends one batch at a
// time; the thread commits it in one transaction (synchronous=FULL: one
// fsync) while the event loop keeps serving sockets, and answers one result
// per op. If the thread dies, the batch out is rejected, `failure` says why
// for good, and every later send is refused: nothing is retried behind the
// owner's back (the batch may or may not have been committed).

export type WriteResult = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string; code: string | undefined } };

export interface WriterThreadOptions {
  /** The thread's module (it calls serveWrites, serve-writes.ts). */
  module: URL;
  workerData: unknown;
  /** Who says a failure: 'the queue writer thread'. */
  name: string;
}

export class WriterThread<Op> {
  readonly #worker: Worker;
  readonly #name: string;
  #out: { resolve(r: WriteResult[]): void; reject(e: Error): void } | null = null;
  #failure: string | null = null;
  /** The thread was asked to end: its exit is no failure. */
  #closeSent = false;
  readonly #exited: Promise<void>;

  constructor(o: WriterThreadOptions) {
    this.#name = o.name;
    // No execArgv: the loaders a test runner puts on the main thread (--import) would cost each start a second under load.
    this.#worker = new Worker(o.module, { workerData: o.workerData, execArgv: [] });
    // Held only while a batch is out: an idle writer keeps no process alive.
    this.#worker.unref();
    this.#worker.on('message', (m: { type: 'done'; results: WriteResult[] }) => {
      const out = this.#out;
      this.#out = null;
      this.#worker.unref();
      out?.resolve(m.results);
    });
    this.#worker.on('error', (err) => this.#die(`${this.#name} failed: ${err.message}`));
    this.#exited = new Promise((resolve) => this.#worker.once('exit', (code) => {
      if (!this.#closeSent) this.#die(`${this.#name} stopped (exit code ${code})`);
      resolve();
    }));
  }

  /** Why the thread takes no more batches (it died), or null. */
  get failure(): string | null {
    return this.#failure;
  }

  /** A batch is out and not yet answered. */
  get busy(): boolean {
    return this.#out !== null;
  }

  /**
   * Sends one batch (never while busy); resolves with one result per op once
   * the thread has committed it. Rejects if the thread is or goes dead, or if
   * an op cannot cross to the thread (a caller's mistake; the thread goes on).
   */
  send(ops: readonly Op[]): Promise<WriteResult[]> {
    if (this.#failure) return Promise.reject(new Error(this.#failure));
    if (this.#out) return Promise.reject(new Error(`${this.#name} takes one batch at a time`));
    if (this.#closeSent) return Promise.reject(new Error(`${this.#name} is closed`));
    return new Promise((resolve, reject) => {
      this.#worker.postMessage({ type: 'batch', ops });
      this.#out = { resolve, reject };
      this.#worker.ref();
    });
  }

  #die(reason: string): void {
    if (this.#failure) return;
    this.#failure = reason;
    const out = this.#out;
    this.#out = null;
    out?.reject(new Error(reason));
  }

  /** Ends the thread (the owner sends nothing after, and waits for its batch out first); resolves once it has exited. */
  async close(): Promise<void> {
    if (!this.#failure && !this.#closeSent) {
      this.#closeSent = true;
      this.#worker.ref();
      this.#worker.postMessage({ type: 'close' });
    }
    await this.#exited;
  }
}
