import { ContentInspection, type InspectionSetup } from './content-inspection.js';
import { nameThisThread } from '../process/thread-name.js';
import { lowerThisThread, thisThreadNice } from '../process/thread-priority.js';
import { threadCpuMs, workerCpuStat } from './context/reading-budget.js';
import { inChildProcess, port } from './context/worker-port.js';

// One inspection worker: inspects one transfer at a time, chunk by chunk in
// order, and acknowledges each chunk once it is inspected (that is the
// back-pressure the content stage passes on to the sender). Whatever an input
// costs, it costs this thread, never the gateway's event loop; the content
// stage stops a worker that overruns its budget (content-stage.ts).

type Msg = { t: 'start'; setup: InspectionSetup } | { t: 'whole'; setup: InspectionSetup; data: Uint8Array }
  | { t: 'batch'; claims: Int32Array; jobs: Array<{ setup: InspectionSetup; data: Uint8Array }> } | { t: 'chunk'; data: Uint8Array } | { t: 'end' } | { t: 'abort' };

nameThisThread('ferry-inspect');
let current: ContentInspection | null = null;
let chain: Promise<void> = Promise.resolve();

/**
 * CPU of one transfer past which its reading is heavy, and this thread goes to the lowest OS priority
 * (thread-priority.ts): HEAVY_CPU_MS, plus HEAVY_PER_MIB_MS for each MiB it has sent, so that only a
 * reading far slower than ordinary input is lowered (24 MiB of nested base64: some 500 ms of CPU a MiB),
 * never a large ordinary file (9 ms a MiB for bench:file-relay's 256 MiB; text logs, the slowest format
 * of bench:inspect-cpu, some 125): lowered, a large file's inspection lost to the sender and the rest of
 * a busy gateway, 13 against 15 MB/s in a bench:file-relay pair at load 27. Checked every CHECK_MS while
 * the worker's loop turns (between chunks, and between the time slots of a reading that yields).
 */
const HEAVY_CPU_MS = 250;
const HEAVY_PER_MIB_MS = 250;
const CHECK_MS = 100;
/** This thread's nice value as started (put back by the pool, which is told when it is lowered). */
const NICE = thisThreadNice();
let watch: NodeJS.Timeout | undefined;
/** Bytes of the transfer being watched, as they came. */
let watchedBytes = 0;

/** Counts the CPU of the transfer begun now; past its mark the thread is lowered and the gateway told. */
function watchCost(): void {
  clearInterval(watch);
  watchedBytes = 0;
  const start = threadCpuMs();
  watch = setInterval(() => {
    if (threadCpuMs() - start <= HEAVY_CPU_MS + (watchedBytes / (1024 * 1024)) * HEAVY_PER_MIB_MS) return;
    clearInterval(watch);
    const tid = lowerThisThread();
    if (tid !== null) port!.postMessage({ t: 'lowered', tid, nice: NICE });
  }, CHECK_MS);
  watch.unref();
}

function unwatch(): void {
  clearInterval(watch);
  watch = undefined;
}

port!.on('message', (m: Msg) => {
  if (m.t === 'start') {
    // The type goes to the gateway before the reading: a reading stopped over its budget still names it (a PDF).
    current = new ContentInspection(m.setup, (mime) => port!.postMessage({ t: 'sniffed', mime }));
    chain = Promise.resolve();
    watchCost();
  } else if (m.t === 'whole') {
    // A small body in one message (content-stage.ts WHOLE_MAX): start, the one chunk and the end; one answer.
    const c = new ContentInspection(m.setup);
    current = c;
    const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.length);
    chain = Promise.resolve().then(async () => {
      if (data.length) await c.update(data);
      const report = await c.finish();
      current = null;
      port!.postMessage({ t: 'done', report });
    });
  } else if (m.t === 'batch') {
    // Small bodies (inspect-batches.ts): one after the other, each answered as soon as it is done.
    // Not watched: this is the small bodies' lane, and lowering it would make the bodies after a slow one wait
    // longer (a slow one is left behind instead, inspect-batches.ts STALL_MS; PDFs never come here).
    const { jobs, claims } = m;
    chain = Promise.resolve().then(async () => {
      for (let i = 0; i < jobs.length; i++) {
        // Taken back by the gateway (this worker was slow on an earlier one): it and the rest go to another.
        if (Atomics.compareExchange(claims, i, 0, 1) !== 0) break;
        const { setup, data } = jobs[i]!;
        const c = new ContentInspection(setup);
        current = c;
        if (data.length) await c.update(Buffer.from(data.buffer, data.byteOffset, data.length));
        const report = await c.finish();
        current = null;
        port!.postMessage({ t: 'job', i, report });
      }
    });
  } else if (m.t === 'chunk') {
    watchedBytes += m.data.length;
    const c = current;
    const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.length);
    chain = chain.then(async () => {
      await c?.update(data);
      port!.postMessage({ t: 'ack', bytes: data.length });
    });
  } else if (m.t === 'end') {
    const c = current;
    chain = chain.then(async () => {
      const report = c ? await c.finish() : { findings: [] };
      current = null;
      unwatch();
      port!.postMessage({ t: 'done', report });
    });
  } else {
    current?.abort();
    current = null;
    unwatch();
  }
});
// The file the gateway reads this worker's CPU from: the transfer's budget is CPU, not wall time (content-stage.ts).
port!.postMessage({ t: 'ready', cpuStat: workerCpuStat(inChildProcess) });
