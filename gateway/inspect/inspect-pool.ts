import { Worker } from 'node:worker_threads';
import type { StageReport } from './stage.js';

// The inspection workers of the process. A transfer takes one for itself
// (one transfer at a time per worker, so a pathological upload slows only
// its own worker); a worker whose transfer finished goes back to the idle
// set, up to MAX_IDLE, for the next transfer (starting one costs tens of
// milliseconds: a thread, the modules, the folding tables). Past MAX_ACTIVE
// transfers wait for a worker. Idle workers never keep the process alive.

const SCRIPT = new URL('./inspect-worker.js', import.meta.url);
const MAX_IDLE = 4;
const MAX_ACTIVE = 16;
/** Heap of one worker: a parser that allocates without bound dies, not the gateway. */
const HEAP_MB = 512;

export type WorkerMessage = { t: 'ack'; bytes: number } | { t: 'done'; report: StageReport } | { t: 'dead'; error: string };

export interface PooledWorker {
  w: Worker;
  handler: ((m: WorkerMessage) => void) | null;
  dead: boolean;
  /** Why it died before it was ready (its script or a module it needs could not load). */
  startError?: string;
}

class InspectionPool {
  #idle: PooledWorker[] = [];
  #active = 0;
  #queue: Array<(pw: PooledWorker) => void> = [];
  #warmed = false;
  #startFailure: string | null = null;

  /**
   * Why the last worker to start could not (a module missing from an
   * installation, say), until one starts again: every transfer would be
   * refused, so /healthz says not ready.
   */
  get startFailure(): string | null {
    return this.#startFailure;
  }

  async take(): Promise<PooledWorker> {
    if (this.#active >= MAX_ACTIVE) return new Promise((r) => this.#queue.push(r));
    this.#active++;
    return this.#ready();
  }

  async #ready(): Promise<PooledWorker> {
    const pw = this.#idle.pop();
    if (pw) {
      pw.w.ref();
      return pw;
    }
    return this.#spawn();
  }

  #spawn(): Promise<PooledWorker> {
    const w = new Worker(SCRIPT, { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
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
      w.on('message', (m: { t: string }) => {
        if (m.t === 'ready') {
          started = true;
          this.#startFailure = null;
          return resolve(pw);
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
    for (let i = 0; i < 2; i++) {
      void this.#spawn().then((pw) => {
        if (pw.dead) return;
        pw.w.unref();
        this.#idle.push(pw);
      });
    }
  }

  /** The transfer is done with its worker: it serves the next one. */
  give(pw: PooledWorker): void {
    pw.handler = null;
    if (pw.dead) return this.#release();
    const next = this.#queue.shift();
    if (next) return next(pw);
    this.#active--;
    if (this.#idle.length < MAX_IDLE) {
      pw.w.unref();
      this.#idle.push(pw);
    } else void pw.w.terminate();
  }

  /** The worker is stopped (over budget, aborted, dead): a new one takes its place when needed. */
  discard(pw: PooledWorker): void {
    pw.handler = null;
    if (!pw.dead) {
      pw.dead = true;
      void pw.w.terminate();
    }
    this.#release();
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next) void this.#spawn().then(next);
    else this.#active--;
  }
}

export const inspectionPool = new InspectionPool();
