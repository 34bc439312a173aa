import { readFileSync, readlinkSync } from 'node:fs';
import { port } from './worker-port.js';

// A CPU budget for one costly reading inside an inspection worker (a PDF's:
// pdf.js and the object reading). The transfer's own budget (content-stage.ts:
// 30 s of worker time plus 1 s a MiB) is wall time, generous for large files
// and stretched by a loaded machine; a 31 KB PDF whose one content stream
// inflates to 16 MiB of text operators took a worker 11-20 s and crossed
// within it (red team of 1 December, N10). Here the reading's own thread's
// CPU time is counted (/proc/thread-self/stat on Linux; elsewhere wall time,
// which only errs on the side of refusing), checked every CHECK_MS while the
// reading yields (pdf.js does, between its time slots): past the budget the
// worker asks the gateway to stop it (`over`, answered with
// inspection-limit:time), and the finding is also the reading's own result
// where no gateway listens (in-process use).

const CHECK_MS = 100;
/** Clock ticks a second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS = 100;

let procOk = true;

/** The CPU time in ms (user + system) of the thread or process whose /proc stat file this is; null if it cannot be read. */
export function statCpuMs(path: string): number | null {
  try {
    const stat = readFileSync(path, 'latin1');
    // Fields after the command name (which may hold spaces), from its closing parenthesis: utime and stime are 14 and 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = ((Number(f[11]) + Number(f[12])) * 1000) / TICKS;
    return Number.isFinite(ms) ? ms : null;
  } catch {
    return null;
  }
}

/** This thread's CPU time in ms (user + system); wall time where /proc/thread-self is not there. */
export function threadCpuMs(): number {
  if (procOk) {
    const ms = statCpuMs('/proc/thread-self/stat');
    if (ms !== null) return ms;
    procOk = false;
  }
  return performance.now();
}

/**
 * The /proc stat file that counts this worker's CPU, as the gateway reads it: the process's in a child
 * process of the heavy lane (its garbage collection included), this thread's in a worker thread; undefined
 * off Linux.
 */
export function workerCpuStat(inChild: boolean): string | undefined {
  try {
    if (inChild) return `/proc/${process.pid}/stat`;
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? `/proc/${process.pid}/task/${tid}/stat` : undefined;
  } catch {
    return undefined;
  }
}

export interface Budgeted<T> {
  result: T;
  /** Set when the reading went past its budget: the detail of the finding. */
  over: string | null;
}

/** Runs `read` within `budgetMs` of this thread's CPU; past it, tells the gateway to stop this worker. */
export async function withCpuBudget<T>(what: string, budgetMs: number, read: () => Promise<T>): Promise<Budgeted<T>> {
  const start = threadCpuMs();
  let over: string | null = null;
  const timer = setInterval(() => {
    if (over !== null || threadCpuMs() - start <= budgetMs) return;
    over = `${what} took more than its budget of ${(budgetMs / 1000).toFixed(1)} s of CPU; stopped`;
    port?.postMessage({ t: 'over', detail: over });
  }, CHECK_MS);
  timer.unref();
  try {
    const result = await read();
    if (over === null && threadCpuMs() - start > budgetMs) over = `${what} took more than its budget of ${(budgetMs / 1000).toFixed(1)} s of CPU`;
    return { result, over };
  } finally {
    clearInterval(timer);
  }
}
