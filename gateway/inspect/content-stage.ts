import type { Finding } from '../../protocol/findings.js';
import type { ClamdTarget } from './antivirus/clamd-client.js';
import type { InspectionSetup } from './content-inspection.js';
import type { Limits } from './context/inspect-context.js';
import { inspectBatches } from './inspect-batches.js';
import { heavyPool, inspectionPool, type PooledWorker, type WorkerMessage } from './inspect-pool.js';
import { statCpuMs } from './context/reading-budget.js';
import type { Stage, StageContext, StageReport } from './context/stage.js';
import { BUDGET_BASE_MS, BUDGET_PER_MIB_MS, type InspectBudget } from './transfer-budget.js';

/** Bytes handed to the worker and not yet inspected before update() waits (back-pressure). */
const IN_FLIGHT = 4 * 1024 * 1024;
/**
 * A body that ends within this many bytes goes to a worker whole, with other
 * small ones (inspect-batches.ts), and comes back in one answer: a 1 KiB
 * message used to cost three posts (start, chunk, end) and two answers, a
 * good part of its time on the gateway's event loop (bench:messages
 * profile), then a worker of its own. Held until then, so bounded.
 */
const WHOLE_MAX = 64 * 1024;
/**
 * The budget is CPU where the worker's is read (Linux: /proc), so that a loaded machine does not refuse
 * ordinary files: under a load of 28 to 35 on two cores, PDFs of a few KB whose reading takes well under
 * a second of CPU went past 32 s of wall time and were refused inspection-limit:time (a CI run beside six
 * engineers' builds, 1 Dec), and a PDF read at the lowest priority in the heavy lane waits longest. Wall
 * time still ends an inspection at this many times the budget: a worker that waits without computing
 * (an antivirus that does not answer) is stopped all the same.
 */
const WALL_FACTOR = 4;
/** While the budget is CPU, it is looked at least this often (a child process's threads may spend CPU faster than the clock). */
const CPU_CHECK_MS = 1_000;


/**
 * The content stage: the transfer's bytes go to an inspection worker
 * (inspect-worker.ts) as they arrive, so that no input — nested escapes, a
 * 1 MiB line, thousands of members — holds the gateway's event loop. The
 * worker's time is counted while it has bytes to inspect (not while the
 * sender is slow); past the budget, or if the worker runs out of memory or
 * dies, it is stopped and the transfer gets an `inspection-limit` finding,
 * which the default policy denies.
 */
export class ContentStage implements Stage {
  readonly name = 'inspect';
  #setup: InspectionSetup;
  #worker: Promise<PooledWorker> | null = null;
  #pw: PooledWorker | null = null;
  /** The pool the worker came from: the heavy lane for a PDF (#pdf), else the transfers' own. */
  #pool = inspectionPool;
  /** The worker went back to the pool or was stopped: exactly once, whoever ends the stage. */
  #letGo = false;
  #inFlight = 0;
  #pending: Uint8Array[] = [];
  #waiters: Array<() => void> = [];
  #bytes = 0;
  #busyMs = 0;
  #busySince = 0;
  #timer: NodeJS.Timeout | undefined;
  #ending = false;
  #report: StageReport | null = null;
  /** Set while the whole body waits in, or is inspected by, a batch. */
  #cancelWhole: (() => void) | null = null;
  #done: Promise<StageReport>;
  #resolve!: (r: StageReport) => void;

  #base: number;
  #perMiB: number;
  /** The type the worker sniffed before its reading (inspect-worker.ts), named if the reading is stopped. */
  #sniffed = 'application/octet-stream';
  /** The worker's CPU time when this transfer took it (null: its CPU is not read, the budget is wall time). */
  #cpu0: number | null = null;

  constructor(sc: StageContext, keywords: readonly string[] | undefined, limits: Partial<Limits> | undefined, av: ClamdTarget | null, budget?: InspectBudget) {
    this.#base = budget?.baseMs ?? BUDGET_BASE_MS;
    this.#perMiB = budget?.perMiBMs ?? BUDGET_PER_MIB_MS;
    this.#setup = { keywords, limits, av, filename: sc.filename, declaredType: sc.declaredType };
    this.#done = new Promise((r) => (this.#resolve = r));
    // (No warm() of the streaming pool here: a gateway warms its pools as it starts (warmInspection), and a
    // body that ends within WHOLE_MAX goes to the batch pool, so a test or `ferry inspect` of small files
    // started a streaming worker it never used.)
  }

  /** Takes a worker for this transfer; `first` is what it is sent once it is ours and alive. */
  #take(first: (pw: PooledWorker) => void): Promise<PooledWorker> {
    if (this.#pdf()) this.#pool = heavyPool;
    return this.#pool.take().then((pw) => {
      this.#pw = pw;
      if (this.#report) {
        // Ended (aborted, over budget) before the worker came: it saw nothing, so it serves the next transfer.
        this.#release(false);
        return pw;
      }
      if (pw.dead) {
        // It could not start: the transfer is refused as uninspected now, not after its time budget.
        this.#on({ t: 'dead', error: pw.startError ?? 'it stopped before it was ready' });
        return pw;
      }
      pw.handler = (m) => this.#on(m);
      this.#cpu0 = pw.cpuStat === undefined ? null : statCpuMs(pw.cpuStat);
      first(pw);
      return pw;
    });
  }

  #start(): Promise<PooledWorker> {
    this.#worker ??= this.#take((pw) => pw.w.postMessage({ t: 'start', setup: this.#setup }));
    return this.#worker;
  }

  update(chunk: Buffer): void | Promise<void> {
    if (this.#report) return;
    return this.#send(chunk);
  }

  async #send(chunk: Buffer): Promise<void> {
    this.#bytes += chunk.length;
    this.#inFlight += chunk.length;
    const copy = new Uint8Array(chunk); // only these bytes, not the buffer the chunk is a view of
    if (this.#pw) this.#post(this.#pw, copy);
    else if (!this.#worker && this.#bytes <= WHOLE_MAX) this.#pending.push(copy); // may yet go whole (finish)
    else {
      // The worker is still starting: the chunks wait for it in order, within the in-flight bound,
      // so that a slow start never stalls the sender.
      this.#pending.push(copy);
      void this.#start().then((pw) => {
        if (this.#report) return;
        for (const c of this.#pending.splice(0)) this.#post(pw, c);
      });
    }
    while (this.#inFlight > IN_FLIGHT && !this.#report) await new Promise<void>((r) => this.#waiters.push(r));
  }

  #post(pw: PooledWorker, copy: Uint8Array): void {
    this.#busy(true);
    pw.w.postMessage({ t: 'chunk', data: copy }, [copy.buffer as ArrayBuffer]);
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const r of w) r();
  }

  #on(m: WorkerMessage): void {
    if (this.#report) return;
    if (m.t === 'ack') {
      this.#inFlight -= m.bytes;
      if (this.#inFlight === 0 && !this.#ending) this.#busy(false);
      if (this.#inFlight <= IN_FLIGHT) this.#wake();
    } else if (m.t === 'done') {
      this.#busy(false);
      this.#settle(m.report);
      this.#release(false);
    } else if (m.t === 'dead') {
      const memory = /memory/i.test(m.error);
      this.#kill(memory ? 'memory' : 'worker', memory ? 'the inspection ran out of its memory budget' : `the inspection worker failed: ${m.error}`);
    } else if (m.t === 'over') this.#kill('time', m.detail);
    else if (m.t === 'sniffed') this.#sniffed = m.mime;
  }

  #budget(): number {
    return this.#base + (this.#bytes / (1024 * 1024)) * this.#perMiB;
  }

  #busy(on: boolean): void {
    if (on && this.#busySince === 0) {
      this.#busySince = Date.now();
      this.#arm();
    } else if (!on && this.#busySince !== 0) {
      this.#busyMs += Date.now() - this.#busySince;
      this.#busySince = 0;
      clearTimeout(this.#timer);
    }
  }

  /** The CPU the worker spent on this transfer, or null where it is not read. */
  #cpuUsed(): number | null {
    if (this.#cpu0 === null || this.#pw?.cpuStat === undefined) return null;
    const now = statCpuMs(this.#pw.cpuStat);
    return now === null ? null : now - this.#cpu0;
  }

  /** Ms of the budget left: of CPU where it is read, within WALL_FACTOR times the budget of busy wall time; else of wall time. */
  #left(): { ms: number; cpu: boolean } {
    const budget = this.#budget();
    const wall = this.#busyMs + (Date.now() - this.#busySince);
    const cpu = this.#cpuUsed();
    if (cpu === null) return { ms: budget - wall, cpu: false };
    const wallLeft = WALL_FACTOR * budget - wall;
    return budget - cpu <= wallLeft ? { ms: Math.min(budget - cpu, CPU_CHECK_MS), cpu: true } : { ms: wallLeft, cpu: false };
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (this.#busySince === 0 || this.#report) return;
      const left = this.#left();
      if (left.ms > 0) return this.#arm(); // more bytes came (more budget), or CPU is still left
      const s = Math.round(this.#budget() / 1000);
      let detail = `inspection took more than its budget of ${s} s of worker time; stopped`;
      if (left.cpu) detail = `inspection took more than its budget of ${s} s of CPU; stopped`;
      else if (this.#cpu0 !== null) detail = `inspection took more than ${WALL_FACTOR} times its budget of ${s} s of CPU in wall time; stopped`;
      this.#kill('time', detail);
    }, Math.max(1, this.#left().ms));
    this.#timer.unref();
  }

  #kill(subkind: string, detail: string): void {
    const finding: Finding = { kind: 'inspection-limit', subkind, count: 1, detail };
    this.#busy(false);
    this.#release(true);
    this.#settle({ findings: [finding], facts: { sniffedType: this.#sniffed } });
  }

  #settle(r: StageReport): void {
    if (this.#report) return;
    clearTimeout(this.#timer);
    this.#report = r;
    this.#resolve(r);
    this.#wake();
  }

  async finish(): Promise<StageReport> {
    if (this.#report) return this.#report;
    if (!this.#worker && !this.#pdf()) return this.#whole();
    const pw = await this.#start();
    if (this.#report) return this.#report;
    for (const c of this.#pending.splice(0)) this.#post(pw, c);
    this.#ending = true;
    this.#busy(true);
    pw.w.postMessage({ t: 'end' });
    return this.#done;
  }

  /**
   * A body that is a PDF (`%PDF-` in its first 1,024 bytes, where readers look for it), small or not, goes to the
   * heavy lane (inspect-pool.ts heavyPool: a child process at the lowest OS priority), never to a batch: a 31 KB
   * PDF may hold a 16 MiB content stream, seconds of pdf.js, and the small bodies batched after it waited that
   * long (red team of 1 December, N10). Its reading has a CPU budget of its own (pdf-text.ts).
   */
  #pdf(): boolean {
    const parts: Uint8Array[] = [];
    let n = 0;
    for (const c of this.#pending) {
      if (n >= 1024) break;
      parts.push(c);
      n += c.length;
    }
    return Buffer.concat(parts).subarray(0, 1024).includes('%PDF-');
  }

  /** The whole body, held (at most WHOLE_MAX), inspected with other small ones in one worker turn (inspect-batches.ts). */
  async #whole(): Promise<StageReport> {
    const data = this.#pending.length === 1 ? this.#pending[0]! : new Uint8Array(Buffer.concat(this.#pending));
    this.#pending = [];
    const job = inspectBatches.inspect(this.#setup, data, this.#budget());
    this.#cancelWhole = job.cancel;
    this.#settle(await job.report);
    return this.#report!;
  }

  abort(): void {
    if (this.#report) return;
    this.#cancelWhole?.();
    this.#settle({ findings: [] });
    this.#release(true);
  }

  /**
   * Hands the worker back (done) or stops it (aborted, over budget, dead), once.
   * A worker not come yet is let go when it comes (#start). Giving one back and
   * also stopping it would leave a dying worker in the idle set, and the next
   * transfer would wait on it until its time budget ran out.
   */
  #release(stop: boolean): void {
    if (!this.#pw || this.#letGo) return;
    this.#letGo = true;
    if (stop) this.#pool.discard(this.#pw);
    else this.#pool.give(this.#pw);
  }
}
