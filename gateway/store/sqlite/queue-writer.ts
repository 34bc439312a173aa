import { FerryError } from '../../../protocol/errors.js';
import { GroupCommit } from '../../durability/group-commit.js';
import { WriterThread } from '../../durability/writer-thread.js';
import type { QueueWrites, WriteName, WriteOp } from './queue-writes.js';

// The main thread's side of the queue writer: writes asked for while a batch
// is being committed (and in the same turn of the event loop) go to the writer
// thread together as the next batch, one batch at a time, in the order they
// were asked (durability/writer-thread.ts). A write's promise resolves when the
// thread says its batch is committed. If the thread dies, every write not yet
// answered rejects, every later one rejects at once, and `failure` says why
// (the gateway is then not ready); nothing is retried behind the caller's back.

/** What a write is told once the thread is gone: a 503 for an upload, and nothing kept. */
const unavailable = (reason: string): FerryError => new FerryError('FERRY_STORAGE_UNAVAILABLE', `The queue database cannot be written: ${reason}.`);

interface Pending { o: WriteOp; resolve(v: unknown): void; reject(e: unknown): void }

type Args<K extends WriteName> = QueueWrites[K] extends (...a: infer A) => unknown ? A : never;
type Result<K extends WriteName> = QueueWrites[K] extends (...a: never[]) => infer R ? R : never;

/** Test hook: the writer thread ends on receiving the batch with the Nth insert (test/queue-writer.test.ts). */
const DIES_AT = Number(process.env.FERRY_TEST_QUEUE_WRITER_DIES_AT ?? 0);
/** How long a deferred write (writeSoon) waits for another to go with. */
const SOON_MS = 100;
/** Test hook: the write counted for DIES_AT, by name (an insert of any kind when empty). */
const DIES_ON = process.env.FERRY_TEST_QUEUE_WRITER_DIES_ON ?? '';

export class QueueWriter {
  readonly #thread: WriterThread<WriteOp>;
  readonly #commits: GroupCommit<Pending>;
  #closing: Promise<void> | null = null;
  #closed = false;
  #idle: Array<() => void> = [];
  /** Commits deferred writes (writeSoon) if no other write has taken them by then. */
  #soon: NodeJS.Timeout | null = null;
  /** Deferred writes are to go with the next batch even if nothing else asks for one (flush, close). */
  #flushAll = false;

  constructor(path: string) {
    this.#thread = new WriterThread<WriteOp>({ module: new URL('./queue-writer-thread.js', import.meta.url), workerData: { path, diesAt: DIES_AT, diesOn: DIES_ON }, name: 'the queue writer thread' });
    this.#commits = new GroupCommit<Pending>({
      commit: (batch) => this.#send(batch),
      paused: () => this.#thread.busy,
    });
  }

  /** Why writes are refused now, or null. */
  get failure(): string | null {
    return this.#thread.failure ?? (this.#closed ? 'the queue is closed' : null);
  }

  write<K extends WriteName>(op: K, ...args: Args<K>): Promise<Result<K>> {
    return this.#ask(false, op, ...args);
  }

  /**
   * A write that need not be committed at once: it goes, in order, with the next batch
   * another write asks for, or after SOON_MS. A caller that must see it committed
   * first awaits it (and may flush()).
   */
  writeSoon<K extends WriteName>(op: K, ...args: Args<K>): Promise<Result<K>> {
    const p = this.#ask(true, op, ...args);
    if (!this.#soon && !this.failure) {
      this.#soon = setTimeout(() => {
        this.#soon = null;
        this.flush();
      }, SOON_MS);
    }
    return p;
  }

  /** Commits what waits, deferred writes too, without waiting for another write. */
  flush(): void {
    if (this.#commits.size === 0) return;
    // Remembered: while a batch is out nothing is sent, and #next sends these after it.
    this.#flushAll = true;
    this.#commits.schedule();
  }

  #ask<K extends WriteName>(soon: boolean, op: K, ...args: Args<K>): Promise<Result<K>> {
    if (this.failure) return Promise.reject(unavailable(this.failure));
    if (this.#closing) return Promise.reject(unavailable('the queue is closing'));
    return new Promise((resolve, reject) => {
      const p: Pending = { o: { op, args }, resolve: resolve as (v: unknown) => void, reject };
      if (soon) this.#commits.defer(p);
      else this.#commits.push(p);
    });
  }

  #send(batch: Pending[]): void {
    const dead = this.#thread.failure;
    if (dead) {
      for (const p of batch) p.reject(unavailable(dead));
      this.#next();
      return;
    }
    this.#thread.send(batch.map((p) => p.o)).then((results) => {
      batch.forEach((p, i) => {
        const r = results[i];
        if (r?.ok) p.resolve(r.value);
        else p.reject(Object.assign(new Error(r?.error.message ?? 'the queue writer gave no answer'), { name: r?.error.name ?? 'Error', code: r?.error.code }));
      });
    }, (err: Error) => {
      // The thread died (the batch may or may not have been committed: its callers are told it
      // failed, and answer nobody 202), or a value could not cross to it (a caller's mistake).
      const dead = this.#thread.failure;
      for (const p of batch) p.reject(dead ? unavailable(dead) : err);
    }).finally(() => this.#next());
  }

  /** Sends what waits, or lets the writer go idle. */
  #next(): void {
    if (this.#commits.size === 0) this.#flushAll = false;
    if (this.#commits.urgent > 0 || ((this.#flushAll || this.#closing) && this.#commits.size > 0)) {
      this.#commits.schedule();
      return;
    }
    if (this.#thread.busy || !this.#commits.idle) return;
    for (const w of this.#idle.splice(0)) w();
  }

  /** Waits for the writes already asked for, then ends the thread. */
  close(): Promise<void> {
    // Writes asked for before close() commit; later ones are refused.
    this.#closing ??= (async () => {
      this.flush();
      if (this.#soon) clearTimeout(this.#soon);
      this.#soon = null;
      if (!this.#thread.failure && (this.#thread.busy || !this.#commits.idle)) {
        await new Promise<void>((resolve) => this.#idle.push(resolve));
      }
      await this.#thread.close();
      this.#closed = true;
    })();
    return this.#closing;
  }
}
