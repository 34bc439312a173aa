import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { restoreThread } from '../process/thread-priority.js';
import type { StageReport } from './context/stage.js';

// The inspection workers of the process. A transfer takes one for itself
// (one transfer at a time per worker, so a pathological upload slows only
// its own worker); a worker whose transfer finished goes back to the idle
// set, up to MAX_IDLE, for the next transfer (starting one costs tens of
// milliseconds: a thread, the modules, the folding tables). Past MAX_ACTIVE
// transfers wait for a worker. Idle workers never keep the process alive.
// Idle workers past MAX_IDLE linger for SURPLUS_LINGER_MS before they stop:
// under a steady stream of small transfers (messages, 8 publishers × 4 at
// once) more than MAX_IDLE are busy at any moment, and stopping each one as
// its transfer ends meant starting a thread for nearly every message.

const SCRIPT = new URL('./inspect-worker.js', import.meta.url);
const CHILD_SCRIPT = new URL('./inspect-child.js', import.meta.url);
const MAX_IDLE = 4;
const MAX_ACTIVE = 16;
/** An idle worker past MAX_IDLE stops after this long unused. */
const SURPLUS_LINGER_MS = 5_000;
/** Workers of the batch pool at most: MAX_BATCHES (inspect-batches.ts) and those slow on one body. */
const MAX_BATCH_WORKERS = 6;
/** Child processes of the heavy lane at most (PDFs being read at once; more wait for one). */
const MAX_HEAVY = 4;
/** Threads started at once (see #pump). */
const MAX_STARTING = 2;
/** Workers started as soon as a transfer asks; past them, only for one that waited GROW_AFTER_MS. */
const MIN_READY = 2;
const GROW_AFTER_MS = 1000;
/** Heap of one worker: a parser that allocates without bound dies, not the gateway. */
const HEAP_MB = 512;

/** `over`: a reading ran past its CPU budget (reading-budget.ts); the worker is to be stopped. */
export type WorkerMessage = { t: 'ack'; bytes: number } | { t: 'done'; report: StageReport } | { t: 'dead'; error: string } | { t: 'over'; detail: string }
  /** The transfer's type, sniffed from its head before its reading (kept if the reading is then stopped). */
  | { t: 'sniffed'; mime: string };

/** What the pool needs of a worker: a worker thread, or a child process of the heavy lane (ChildWorker). */
export interface InspectWorker {
  postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', fn: (m: any) => void): this;
  on(event: 'error', fn: (e: Error) => void): this;
  on(event: 'exit', fn: (code: number) => void): this;
  terminate(): unknown;
  ref(): void;
  unref(): void;
  /** A child process's id (the heavy lane); a worker thread has none of its own (it is a thread of this process). */
  readonly pid?: number | undefined;
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['LANG', 'LC_ALL', 'TZ']) if (process.env[k] !== undefined) env[k] = process.env[k];
  return env;
}

/**
 * A child process as a worker (the heavy lane): messages over its IPC channel (advanced serialization, so byte
 * arrays pass as they are, copied), `terminate` a SIGKILL, and an abnormal end said as the exit of a worker is.
 * A heap over its limit aborts the process (SIGABRT): reported as out of memory, as a worker's is.
 */
class ChildWorker extends EventEmitter implements InspectWorker {
  readonly #c: ChildProcess;
  constructor(heapMb: number) {
    super();
    // It reads hostile input: none of the gateway's environment (paths, tokens an operator may have set) goes to it
    // but the locale and the time zone; and its output does not go into the gateway's log stream (review, 1 Dec).
    this.#c = fork(CHILD_SCRIPT, [], { serialization: 'advanced', execArgv: [`--max-old-space-size=${heapMb}`], stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: childEnv() });
    this.#c.on('message', (m) => this.emit('message', m));
    this.#c.on('error', (e) => this.emit('error', e));
    this.#c.on('exit', (code, signal) => {
      if (signal === 'SIGABRT' || code === 134) this.emit('error', new Error(`the inspection process ran out of memory or failed (${signal ?? code})`));
      else this.emit('exit', code ?? 1);
    });
  }

  get pid(): number | undefined {
    return this.#c.pid ?? -1; // not started: no stat file is its own
  }

  postMessage(m: unknown): void {
    if (this.#c.connected) this.#c.send(m as object);
  }

  terminate(): void {
    this.#c.kill('SIGKILL');
  }

  ref(): void {
    this.#c.ref();
    this.#c.channel?.ref();
  }

  unref(): void {
    this.#c.unref();
    this.#c.channel?.unref();
  }
}

export interface PooledWorker {
  w: InspectWorker;
  handler: ((m: WorkerMessage) => void) | null;
  dead: boolean;
  /** Set while an idle surplus worker waits to be stopped. */
  linger?: NodeJS.Timeout | undefined;
  /** Why it died before it was ready (its script or a module it needs could not load). */
  startError?: string;
  /** Its thread lowered itself on a heavy reading (inspect-worker.ts): the thread and the nice value to put back. */
  lowered?: { tid: number; nice: number } | undefined;
  /** The /proc stat file of its thread (or, for a child process, of the process): its CPU time, for the transfer's budget. */
  cpuStat?: string | undefined;
}

/**
 * Whether `path` is the stat file of this worker's own CPU (review10: any pid's stat was taken, and a later
 * 'ready' replaced it; a stat of an idle process left a transfer only the wall-time backstop): a child
 * process's own process file, or a thread of this process other than its main thread (the event loop's).
 */
export function ownCpuStat(path: unknown, worker: { readonly pid?: number | undefined }): path is string {
  if (typeof path !== 'string') return false;
  if (worker.pid !== undefined) return path === `/proc/${worker.pid}/stat`;
  const m = /^\/proc\/([0-9]+)\/task\/([0-9]+)\/stat$/.exec(path);
  return m !== null && Number(m[1]) === process.pid && Number(m[2]) !== process.pid;
}

/** Exported for tests: a pool of its own, of workers made by `start`. */
export { InspectionPool };

class InspectionPool {
  /** Workers handed out at once at most (MAX_ACTIVE for transfers' own workers). */
  readonly #maxActive: number;
  readonly #maxIdle: number;
  readonly #start: () => InspectWorker;
  #idle: PooledWorker[] = [];
  /** Workers handed to a transfer. */
  #active = 0;
  /** Workers being started for a transfer that waits for them. */
  #starting = 0;
  #queue: Array<{ give: (pw: PooledWorker) => void; since: number }> = [];
  #warmed = false;
  #growTimer: NodeJS.Timeout | null = null;
  /** When a worker last came back or became ready. */
  #lastProgress = 0;
  #startFailure: string | null = null;
  /** Workers that lowered themselves on a heavy reading, and those of them that could not be put back, since the start (for tests and diagnosis). */
  lowered = 0;
  notRestored = 0;

  constructor(maxActive: number, start: () => InspectWorker = () => new Worker(SCRIPT, { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } }), maxIdle = MAX_IDLE) {
    this.#maxActive = maxActive;
    this.#start = start;
    this.#maxIdle = maxIdle;
  }

  /**
   * Why the last worker to start could not (a module missing from an
   * installation, say), until one starts again: every transfer would be
   * refused, so /healthz says not ready.
   */
  get startFailure(): string | null {
    return this.#startFailure;
  }

  take(): Promise<PooledWorker> {
    return new Promise((r) => {
      this.#queue.push({ give: r, since: performance.now() });
      this.#pump();
    });
  }

  /**
   * Hands idle workers to waiting transfers, and starts new ones while there is
   * room; at most MAX_STARTING start at once. Thirty-two messages arriving
   * together on a cold gateway used to start sixteen threads at once, each
   * loading the inspection modules on the same cores, and none was ready for
   * seconds; started two at a time, the first are ready soon and serve the rest.
   * Past MIN_READY workers, a new one starts only when no worker came back for
   * GROW_AFTER_MS while transfers waited: a 1 KiB message is inspected in well
   * under a millisecond, and thirty-two of them at once grew the pool to sixteen
   * threads (each some 400 ms of CPU to start, more than the messages cost),
   * where two serve them all. Workers all held by slow transfers make no
   * progress, so the ones waiting behind them still get threads of their own.
   * 1 s, not less: on a loaded machine two busy workers often come back only
   * after a few hundred ms, and every thread started then (its start costing
   * more CPU than the messages) took the cores from the event loop.
   */
  #pump(): void {
    while (this.#queue.length) {
      const pw = this.#idle.pop();
      if (pw) {
        clearTimeout(pw.linger);
        pw.linger = undefined;
        pw.w.ref();
        this.#active++;
        this.#queue.shift()!.give(pw);
        continue;
      }
      if (this.#active + this.#starting >= this.#maxActive || this.#starting >= MAX_STARTING) return;
      // Each waiting transfer has a worker coming: one transfer at a time (a test inspecting samples one by
      // one, a quiet gateway) started two, the second never used (some 0.7 s of CPU, 40 MB).
      if (this.#starting >= this.#queue.length) return;
      const waited = performance.now() - Math.max(this.#lastProgress, this.#queue[0]!.since);
      if (this.#active + this.#starting >= MIN_READY && waited < GROW_AFTER_MS) {
        this.#growTimer ??= setTimeout(() => {
          this.#growTimer = null;
          this.#pump();
        }, GROW_AFTER_MS - waited + 1);
        return;
      }
      // A worker started for whichever transfer waits first when it is ready.
      this.#starting++;
      void this.#spawn().then((started) => {
        this.#starting--;
        this.#lastProgress = performance.now();
        const next = this.#queue.shift();
        if (next) {
          this.#active++;
          next.give(started);
        } else if (!started.dead) this.#park(started);
        this.#pump();
      });
    }
  }

  #spawn(): Promise<PooledWorker> {
    const w = this.#start();
    const pw: PooledWorker = { w, handler: null, dead: false };
    return new Promise((resolve) => {
      let started = false;
      const fail = (e: unknown): void => {
        if (pw.dead) return;
        pw.dead = true;
        this.#idle = this.#idle.filter((x) => x !== pw);
        const error = e instanceof Error ? `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}` : String(e);
        if (!started) {
          started = true;
          // Kept on the worker, not sent: its user has not attached a handler yet,
          // and a message sent now would be lost (the transfer then waited out its time budget).
          pw.startError = error;
          this.#startFailure = error;
          resolve(pw);
          return;
        }
        pw.handler?.({ t: 'dead', error });
      };
      w.on('message', (m: { t: string; tid?: number; nice?: number; cpuStat?: unknown }) => {
        if (m.t === 'ready') {
          if (started) return; // only the first: the stat file is fixed when the worker starts
          started = true;
          if (ownCpuStat(m.cpuStat, w)) pw.cpuStat = m.cpuStat;
          this.#startFailure = null;
          return resolve(pw);
        }
        if (m.t === 'lowered') {
          pw.lowered = { tid: m.tid!, nice: m.nice! };
          this.lowered++;
          return;
        }
        pw.handler?.(m as WorkerMessage);
      });
      w.on('error', fail);
      w.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    });
  }

  /** Starts idle workers ahead of need (once), so that the first transfers do not wait for a thread to start. */
  warm(): void {
    if (this.#warmed) return;
    this.#warmed = true;
    // One: the first transfer finds it ready, and a second at once starts its own (#pump). Two each, started
    // by every gateway and every test process, were some 1.4 s of CPU and 80 MB that a quiet gateway never used.
    this.#starting++;
    void this.#spawn().then((pw) => {
      this.#starting--;
      if (!pw.dead) this.#park(pw);
      this.#pump();
    });
  }

  /**
   * The transfer is done with its worker: it serves the next one, at the priority it started with. A worker
   * that lowered itself and cannot be put back (without CAP_SYS_NICE a thread's nice value only goes up) is
   * stopped instead: an ordinary transfer after it would run at the lowest priority.
   */
  give(pw: PooledWorker): void {
    pw.handler = null;
    this.#active--;
    this.#lastProgress = performance.now();
    if (pw.lowered && !pw.dead) {
      if (restoreThread(pw.lowered.tid, pw.lowered.nice)) pw.lowered = undefined;
      else {
        this.notRestored++;
        pw.dead = true;
        void pw.w.terminate();
      }
    }
    if (!pw.dead) this.#park(pw);
    this.#pump();
  }

  /** The worker is stopped (over budget, aborted, dead): a new one takes its place when needed. */
  discard(pw: PooledWorker): void {
    pw.handler = null;
    if (!pw.dead) {
      pw.dead = true;
      void pw.w.terminate();
    }
    this.#active--;
    this.#pump();
  }

  /** Idle, not keeping the process alive; a surplus past MAX_IDLE stops after a while unused. */
  #park(pw: PooledWorker): void {
    pw.w.unref();
    this.#idle.push(pw);
    if (this.#idle.length <= this.#maxIdle) return;
    pw.linger = setTimeout(() => {
      pw.linger = undefined;
      const i = this.#idle.indexOf(pw);
      if (i < 0 || this.#idle.length <= this.#maxIdle) return;
      this.#idle.splice(i, 1);
      pw.dead = true;
      void pw.w.terminate();
    }, SURPLUS_LINGER_MS);
    pw.linger.unref();
  }
}

/** Workers of transfers inspected as they stream (one each), and of PDFs whatever their size. */
export const inspectionPool = new InspectionPool(MAX_ACTIVE);
/**
 * Workers of batches of small bodies (inspect-batches.ts), apart from the others: while PDFs or
 * large files held every worker of one pool, batches waited behind them in its queue, and 40-byte
 * uploads took 8.7-13.7 s at p99 (red team of 1 December, N10). Two threads more, started when the
 * first small body comes (or by warm()).
 */
export const batchPool = new InspectionPool(MAX_BATCH_WORKERS);
/**
 * The heavy lane: PDFs (content-stage.ts), whatever their size, each in a child process whose every thread
 * runs at the lowest OS priority (inspect-child.ts), its garbage collection included, so that pdf.js taking
 * seconds leaves the cores to the event loop and the small bodies' lane when they are short. Started when the
 * first PDF comes (some 50 ms); one kept idle, the rest stop after SURPLUS_LINGER_MS unused.
 */
export const heavyPool = new InspectionPool(MAX_HEAVY, () => new ChildWorker(HEAP_MB), 1);
