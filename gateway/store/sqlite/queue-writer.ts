import { Worker } from 'node:worker_threads';
import { FerryError } from '../../../protocol/errors.js';
import { GroupCommit } from '../../durability/group-commit.js';
import type { QueueWrites, WriteName, WriteOp, WriteResult } from './queue-writes.js';

// The main thread's side of the queue writer: writes asked for while a batch
// is being committed (and in the same turn of the event loop) go to the writer
// thread together as the next batch, one batch at a time, in the order they
// were asked. A write's promise resolves when the thread says its batch is
// committed. If the thread dies, every write not yet answered rejects, every
// later one rejects at once, and `failure` says why (the gateway is then not
// ready); nothing is retried behind the caller's back.

/** What a write is told once the thread is gone: a 503 for an upload, and nothing kept. */
const unavailable = (reason: string): FerryError => new FerryError('FERRY_STORAGE_UNAVAILABLE', `The queue database cannot be written: ${reason}.`);

interface Pending { o: WriteOp; resolve(v: unknown): void; reject(e: unknown): void }

type Args<K extends WriteName> = QueueWrites[K] extends (...a: infer A) => unknown ? A : never;
type Result<K extends WriteName> = QueueWrites[K] extends (...a: never[]) => infer R ? R : never;

/** Test hook: the writer thread ends on receiving the batch with the Nth insert (test/queue-writer.test.ts). */
const DIES_AT = Number(process.env.FERRY_TEST_QUEUE_WRITER_DIES_AT ?? 0);

export class QueueWriter {
  readonly #worker: Worker;
  readonly #commits: GroupCommit<Pending>;
  #inFlight: Pending[] | null = null;
  #failure: string | null = null;
  #closing = false;
  /** The thread was asked to end: its exit is no failure. */
  #closeSent = false;
  #idle: Array<() => void> = [];
  readonly #exited: Promise<void>;

  constructor(path: string) {
    // No execArgv: the loaders a test runner puts on the main thread (--import) would cost each store's start a second under load.
    this.#worker = new Worker(new URL('./queue-writer-thread.js', import.meta.url), { workerData: { path, diesAt: DIES_AT }, execArgv: [] });
    // Held only while a batch is out: an idle store keeps no process alive.
    this.#worker.unref();
    this.#worker.on('message', (m: { type: 'done'; results: WriteResult[] }) => this.#done(m.results));
    this.#worker.on('error', (err) => this.#die(`the queue writer thread failed: ${err.message}`));
    this.#exited = new Promise((resolve) => this.#worker.once('exit', (code) => {
      if (!this.#closeSent) this.#die(`the queue writer thread stopped (exit code ${code})`);
      resolve();
    }));
    this.#commits = new GroupCommit<Pending>({
      commit: (batch) => this.#send(batch),
      paused: () => this.#inFlight !== null,
    });
  }

  /** Why writes are refused now, or null. */
  get failure(): string | null {
    return this.#failure;
  }

  write<K extends WriteName>(op: K, ...args: Args<K>): Promise<Result<K>> {
    if (this.#failure) return Promise.reject(unavailable(this.#failure));
    if (this.#closing) return Promise.reject(unavailable('the queue is closing'));
    return new Promise((resolve, reject) => {
      this.#commits.push({ o: { op, args }, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  #send(batch: Pending[]): void {
    if (this.#failure) {
      for (const p of batch) p.reject(unavailable(this.#failure));
      return;
    }
    try {
      this.#worker.postMessage({ type: 'batch', ops: batch.map((p) => p.o) });
    } catch (err) {
      // A value that cannot cross to the thread (a caller's mistake): those writes fail, the thread goes on.
      for (const p of batch) p.reject(err);
      this.#next();
      return;
    }
    this.#inFlight = batch;
    this.#worker.ref();
  }

  #done(results: WriteResult[]): void {
    const batch = this.#inFlight ?? [];
    this.#inFlight = null;
    batch.forEach((p, i) => {
      const r = results[i];
      if (r?.ok) p.resolve(r.value);
      else p.reject(Object.assign(new Error(r?.error.message ?? 'the queue writer gave no answer'), { name: r?.error.name ?? 'Error', code: r?.error.code }));
    });
    this.#next();
  }

  #die(reason: string): void {
    if (this.#failure) return;
    this.#failure = reason;
    const batch = this.#inFlight ?? [];
    this.#inFlight = null;
    // The batch may or may not have been committed: its callers are told it failed, and answer nobody 202.
    for (const p of batch) p.reject(unavailable(reason));
    this.#commits.flush();
    this.#next();
  }

  /** Sends what waits, or lets the thread go idle. */
  #next(): void {
    if (this.#commits.size > 0) {
      this.#commits.schedule();
      return;
    }
    if (this.#inFlight || !this.#commits.idle) return;
    this.#worker.unref();
    for (const w of this.#idle.splice(0)) w();
  }

  /** Waits for the writes already asked for, then ends the thread. */
  async close(): Promise<void> {
    if (this.#closing) return this.#exited;
    // Writes asked for before close() commit; later ones are refused.
    this.#closing = true;
    if (!this.#failure && (this.#inFlight || !this.#commits.idle)) {
      await new Promise<void>((resolve) => this.#idle.push(resolve));
    }
    if (!this.#failure) {
      this.#closeSent = true;
      this.#worker.ref();
      this.#worker.postMessage({ type: 'close' });
    }
    await this.#exited;
    this.#failure ??= 'the queue is closed';
  }
}
