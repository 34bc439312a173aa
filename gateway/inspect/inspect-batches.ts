import type { Finding } from '../../protocol/findings.js';
import type { InspectionSetup } from './content-inspection.js';
import { batchPool, type PooledWorker, type WorkerMessage } from './inspect-pool.js';
import type { StageReport } from './context/stage.js';

// Small bodies (content-stage.ts WHOLE_MAX), many per worker turn. A 1 KiB
// message is inspected in about 0.3 ms of CPU, but with a worker of its own
// per message it cost the gateway two to three times that in all threads: a
// thread woken and put back to sleep for each, every worker of the pool (up to
// four) compiling the same inspection code in its own isolate, and the pool
// growing by two threads (over a second of CPU each to start) whenever the
// two busy ones were slowed for a second by the machine's load. Here the
// bodies waiting are sent together, to at most MAX_BATCHES workers at once,
// inspected one after the other, and each answered as soon as it is done.
//
// Each body keeps its own budget of worker time, counted from when the worker
// reached it. A body over its budget, or one that kills its worker, gets the
// finding it would have had alone (inspection-limit); the worker is stopped
// and the bodies after it in that batch go back to the head of the queue for
// another worker, so one hostile body never costs another one a verdict.
// A body still being inspected after STALL_MS (slow, within its budget) does
// not hold the others up either: the bodies after it that its worker has not
// begun are taken back (a claim each in shared memory, so a body is inspected
// by one worker only) and go to another, and its batch no longer counts
// against MAX_BATCHES.

/** Workers inspecting batches at once, not counting one slow on a body (STALL_MS). */
const MAX_BATCHES = 2;
const BATCH_MAX_JOBS = 64;
const BATCH_MAX_BYTES = 256 * 1024;
/**
 * A body inspected this long holds up nothing more: the rest of its batch goes to another worker.
 * Not 1 s: on the loaded 2-core machine a worker is often off the CPU that long, and taking bodies
 * back then started more workers (four instead of two in a bench:messages run, 10.8 instead of
 * 5.9 ms of CPU a message); a 1 KiB message takes under a millisecond of inspection.
 */
const STALL_MS = 5000;
/** Claims on a batch's bodies, one Int32 each: the worker takes a waiting one before it begins it. */
const WAITING = 0;
const TAKEN = 1;
const TAKEN_BACK = 2;

interface Job {
  setup: InspectionSetup;
  data: Uint8Array;
  budgetMs: number;
  resolve: (r: StageReport) => void;
  /** Its stage was aborted: not sent if still waiting, its answer ignored if sent. */
  cancelled: boolean;
}

export type BatchedMessage = WorkerMessage | { t: 'job'; i: number; report: StageReport };

function limitFinding(subkind: string, detail: string): StageReport {
  const finding: Finding = { kind: 'inspection-limit', subkind, count: 1, detail };
  return { findings: [finding], facts: { sniffedType: 'application/octet-stream' } };
}

class InspectBatches {
  #queue: Job[] = [];
  /** Batches out, or waiting for their worker. */
  #running = 0;
  /** A worker is asked for and has not come yet. */
  #taking = false;
  /** STALL_MS; a test makes it short. */
  stallMs = STALL_MS;
  /** Bodies taken back from a worker slow on an earlier one, since the start (for tests and diagnosis). */
  takenBack = 0;

  /** Inspects `data` with `setup`, within `budgetMs` of worker time. */
  inspect(setup: InspectionSetup, data: Uint8Array, budgetMs: number): { report: Promise<StageReport>; cancel: () => void } {
    let job!: Job;
    const report = new Promise<StageReport>((resolve) => {
      job = { setup, data, budgetMs, resolve, cancelled: false };
    });
    this.#queue.push(job);
    this.#pump();
    return { report, cancel: () => (job.cancelled = true) };
  }

  /**
   * Asks the pool for one worker at a time: the one that comes takes whatever
   * waits by then, and a second is asked for only if bodies are left over (two
   * asked for one body would keep a worker from a file, or grow the pool).
   */
  #pump(): void {
    if (this.#taking || this.#running >= MAX_BATCHES || !this.#queue.some((j) => !j.cancelled)) return;
    this.#taking = true;
    this.#running++;
    void batchPool.take().then((pw) => {
      this.#taking = false;
      this.#run(pw);
    });
  }

  /** The next batch from the head of the queue; cancelled jobs are dropped on the way. */
  #next(): Job[] {
    const batch: Job[] = [];
    let bytes = 0;
    while (this.#queue.length && batch.length < BATCH_MAX_JOBS) {
      const j = this.#queue[0]!;
      if (j.cancelled) {
        this.#queue.shift();
        continue;
      }
      if (batch.length && bytes + j.data.length > BATCH_MAX_BYTES) break;
      bytes += j.data.length;
      batch.push(this.#queue.shift()!);
    }
    return batch;
  }

  #run(pw: PooledWorker): void {
    const batch = this.#next();
    if (!batch.length) {
      this.#running--;
      batchPool.give(pw);
      return;
    }
    if (pw.dead) {
      // It could not start: refused as uninspected now, not after a time budget.
      for (const j of batch) j.resolve(limitFinding('worker', `the inspection worker failed: ${pw.startError ?? 'it stopped before it was ready'}`));
      this.#running--;
      batchPool.discard(pw);
      this.#pump();
      return;
    }
    this.#pump(); // bodies left over go to a second worker meanwhile
    const claims = new Int32Array(new SharedArrayBuffer(4 * batch.length));
    /** The body being inspected (as far as answers say), and the last one this worker may still inspect. */
    let at = 0;
    let last = batch.length - 1;
    let counted = true;
    const uncount = (): void => {
      if (!counted) return;
      counted = false;
      this.#running--;
    };
    let timer: NodeJS.Timeout | undefined;
    let stall: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      clearTimeout(stall);
      const job = batch[at]!;
      timer = setTimeout(() => stop('time', `inspection took more than its budget of ${Math.round(job.budgetMs / 1000)} s of worker time; stopped`), Math.max(1, job.budgetMs));
      timer.unref();
      stall = setTimeout(takeBack, this.stallMs);
      stall.unref();
    };
    /** Slow on batch[at]: the bodies its worker has not begun go to another, from the last back. */
    const takeBack = (): void => {
      const back: Job[] = [];
      for (let j = last; j > at && Atomics.compareExchange(claims, j, WAITING, TAKEN_BACK) === WAITING; j--) {
        back.unshift(batch[j]!);
        last = j - 1;
      }
      this.#queue.unshift(...back);
      this.takenBack += back.length;
      uncount();
      this.#pump();
    };
    /** The worker is lost while on batch[at]: that body gets the finding, the rest wait for another worker. */
    const stop = (subkind: string, detail: string): void => {
      clearTimeout(timer);
      clearTimeout(stall);
      pw.handler = null;
      batch[at]!.resolve(limitFinding(subkind, detail));
      this.#queue.unshift(...batch.slice(at + 1, last + 1));
      uncount();
      batchPool.discard(pw);
      this.#pump();
    };
    pw.handler = (m) => {
      const msg = m as BatchedMessage;
      if (msg.t === 'job') {
        if (msg.i !== at) return;
        const job = batch[at]!;
        if (!job.cancelled) job.resolve(msg.report);
        at++;
        if (at <= last) return arm();
        clearTimeout(timer);
        clearTimeout(stall);
        pw.handler = null;
        // The same worker takes the next batch only if no transfer waits for one (give, then take again).
        uncount();
        batchPool.give(pw);
        this.#pump();
      } else if (msg.t === 'dead') {
        const memory = /memory/i.test(msg.error);
        stop(memory ? 'memory' : 'worker', memory ? 'the inspection ran out of its memory budget' : `the inspection worker failed: ${msg.error}`);
      } else if (msg.t === 'over') stop('time', msg.detail);
    };
    arm();
    // Copied, not transferred: the bodies after one that stops the worker are sent again to another.
    pw.w.postMessage({ t: 'batch', claims, jobs: batch.map((j) => ({ setup: j.setup, data: j.data })) });
  }
}

export const inspectBatches = new InspectBatches();
