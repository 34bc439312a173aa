// The console's long jobs, each on a worker thread (jobs-worker.ts): a fixed
// number at once per gateway (one replay, two searches, one deploy's check), each bounded in time,
// and stopped when the browser goes away. A request over the limit is refused
// at once with a code, never queued: a queue would only hold sockets longer.
import { Worker } from 'node:worker_threads';
import { FerryError } from '../../../protocol/errors.js';
import type { Job } from './jobs-worker.js';

export type JobKind = Job['op'];

/** How many of each kind may run at once on one gateway. */
export const JOB_LIMITS: Readonly<Record<JobKind, number>> = { replay: 1, search: 2, check: 1 };
/** How long each kind may run before it is stopped. */
export const JOB_TIME_LIMIT_MS: Readonly<Record<JobKind, number>> = { replay: 60_000, search: 20_000, check: 60_000 };

const NAMES: Readonly<Record<JobKind, [string, string]>> = { replay: ['policy replay', 'policy replays'], search: ['search', 'searches'], check: ['policy check for a deploy', 'policy checks for deploys'] };

/** The browser went away: nobody is waiting for the answer. */
export class JobCancelled extends Error {}

export class ConsoleJobs {
  #db: string;
  #timeLimitMs: Readonly<Record<JobKind, number>>;
  #running: Record<JobKind, number> = { replay: 0, search: 0, check: 0 };
  /** Threads that finished a job, kept for the next (starting one costs tens of milliseconds). */
  #idle: Worker[] = [];
  #all = new Set<Worker>();
  #closed = false;

  constructor(dbPath: string, timeLimitMs: Readonly<Record<JobKind, number>> = JOB_TIME_LIMIT_MS) {
    this.#db = dbPath;
    this.#timeLimitMs = timeLimitMs;
  }

  /** How many of a kind run now. */
  running(kind: JobKind): number {
    return this.#running[kind];
  }

  /**
   * Runs `job` on a worker thread. Throws FERRY_CONSOLE_BUSY at once when its
   * kind is at its limit; rejects with FERRY_CONSOLE_TIMEOUT past the time
   * limit, or JobCancelled when `signal` aborts. A stopped job's slot is
   * free only once its thread has exited, so no more threads than the limits
   * ever exist.
   */
  run<T>(job: Job, signal?: AbortSignal): Promise<T> {
    const kind = job.op;
    if (this.#closed) return Promise.reject(new Error('the console is closed'));
    if (this.#running[kind] >= JOB_LIMITS[kind]) {
      throw new FerryError('FERRY_CONSOLE_BUSY', `The console already runs ${JOB_LIMITS[kind]} ${NAMES[kind][JOB_LIMITS[kind] > 1 ? 1 : 0]} at once; try again in a few seconds.`, { retry_after: 5 });
    }
    if (signal?.aborted) return Promise.reject(new JobCancelled());
    this.#running[kind]++;
    const w = this.#idle.pop() ?? this.#spawn();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const cleanup = () => {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      const onMessage = (m: { value?: unknown; error?: string }) => {
        cleanup();
        this.#running[kind]--;
        if (this.#closed) void w.terminate();
        else this.#idle.push(w);
        if (m.error !== undefined) reject(new Error(m.error));
        else resolve(m.value as T);
      };
      const onError = (err: Error) => {
        cleanup();
        this.#running[kind]--;
        reject(err);
      };
      // Terminated by close(), or gone without a word: the job has no answer.
      const onExit = () => {
        cleanup();
        this.#running[kind]--;
        reject(new Error('the console job thread exited before answering'));
      };
      const stop = (err: Error) => {
        if (settled) return;
        cleanup();
        reject(err);
        // The slot stays taken until the thread is gone (a SQLite step in progress ends first).
        void w.terminate().finally(() => this.#running[kind]--);
      };
      const onAbort = () => stop(new JobCancelled());
      const limit = this.#timeLimitMs[kind];
      const timer = setTimeout(() => stop(new FerryError('FERRY_CONSOLE_TIMEOUT', `The ${kind} ran longer than ${limit / 1000} s and was stopped; narrow it and try again.`)), limit);
      timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.postMessage(job);
    });
  }

  #spawn(): Worker {
    const w = new Worker(new URL('./jobs-worker.js', import.meta.url), { workerData: { db: this.#db } });
    // The gateway's life decides when it stops, not this thread.
    w.unref();
    // A thread that fails between jobs is dropped at its exit; the failure of a running job is its job's answer.
    w.on('error', () => undefined);
    this.#all.add(w);
    w.once('exit', () => {
      this.#all.delete(w);
      const i = this.#idle.indexOf(w);
      if (i >= 0) this.#idle.splice(i, 1);
    });
    return w;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#all].map((w) => w.terminate()));
  }
}
