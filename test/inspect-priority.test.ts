// Issue 14, no stall: an inspection worker on a heavy reading lowers its own
// thread to the lowest OS priority (nice 19), so that the scheduler prefers
// the event loop and the small bodies' lane; the pool puts it back before it
// serves another transfer (or stops it where it cannot be put back). A PDF is
// read in a child process with every thread at nice 19 (the heavy lane), its
// garbage collection included. Read from /proc/<pid>/task/<tid>/stat, the
// nice field, as `top -H` shows it. No
// timings: whether small uploads are faster beside it is measured by
// `npm run bench:inspect`, never asserted here.
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { inspectChunks } from './inspect-fixtures.js';
import { stallPdf } from './pdf-filter-fixtures.js';
import { inspectionPool } from '../gateway/inspect/inspect-pool.js';
import { LOW_PRIORITY, restoreThread, thisThreadId } from '../gateway/process/thread-priority.js';

const linux = existsSync('/proc/thread-self');

/** The nice value of one thread of this process (field 19 of its stat), or null if it is gone. */
function niceOf(tid: number | string): number | null {
  try {
    const st = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
    return Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[16]);
  } catch {
    return null;
  }
}

/** The inspection workers' threads (named ferry-inspect) and their nice values. */
function inspectThreads(): Map<string, number> {
  const m = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'latin1').trim() !== 'ferry-inspect') continue;
    } catch {
      continue;
    }
    const n = niceOf(tid);
    if (n !== null) m.set(tid, n);
  }
  return m;
}

t.test('a thread lowers itself only: its own nice field, not the process', { skip: !linux && 'no /proc/thread-self' }, async (t) => {
  const src = `
    const { parentPort } = require('node:worker_threads');
    import(${JSON.stringify(new URL('../gateway/process/thread-priority.js', import.meta.url).href)}).then((m) => {
      parentPort.postMessage({ tid: m.thisThreadId(), lowered: m.lowerThisThread(), again: m.lowerThisThread() });
      parentPort.once('message', () => process.exit(0));
    });`;
  const w = new Worker(src, { eval: true });
  const got = await new Promise<{ tid: number; lowered: number | null; again: number | null }>((r) => w.once('message', r));
  t.ok(got.tid > 0 && got.tid !== process.pid, `the worker has a thread id of its own (${got.tid})`);
  t.equal(got.lowered, got.tid, 'lowering answers the thread lowered');
  t.equal(niceOf(got.tid), LOW_PRIORITY, `/proc/self/task/${got.tid}/stat says nice ${LOW_PRIORITY}`);
  t.equal(got.again, null, 'lowering a thread already at the lowest priority answers null');
  t.equal(niceOf(process.pid), 0, 'the event loop thread keeps nice 0');
  t.equal(thisThreadId(), process.pid, "the main thread's id is the process id");
  const back = restoreThread(got.tid, 0);
  // Root (CAP_SYS_NICE) may put it back; anyone else may not, and is told so, with nothing thrown.
  t.equal(niceOf(got.tid), back ? 0 : LOW_PRIORITY, back ? 'put back to nice 0' : 'not permitted to put it back: false, and it stays lowered');
  w.postMessage('exit');
  await new Promise((r) => w.once('exit', r));
  t.equal(restoreThread(got.tid, 0), false, 'a thread that is gone: false, nothing thrown');
});

/** The heavy lane's child processes (children of this process named ferry-inspect): each thread's nice value. */
function heavyChildren(): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const st = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) !== process.pid || st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')) !== 'ferry-inspect') continue;
      const nices = readdirSync(`/proc/${pid}/task`).map((tid) => {
        const ts = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
        return Number(ts.slice(ts.lastIndexOf(')') + 2).split(' ')[16]);
      });
      m.set(pid, nices);
    } catch {
      // gone meanwhile
    }
  }
  return m;
}

t.test('a PDF is read in a child process whose every thread runs at nice 19; the event loop keeps 0', { skip: !linux && 'no /proc/thread-self' }, async (t) => {
  t.setTimeout(300_000);
  const seen = new Map<string, number[]>();
  const poll = setInterval(() => {
    for (const [pid, nices] of heavyChildren()) if (nices.length > (seen.get(pid)?.length ?? 0)) seen.set(pid, nices);
  }, 20);
  const lowered = inspectionPool.lowered;
  const r = await inspectChunks([stallPdf()], {}, { filename: 'report.pdf', declaredType: 'application/pdf' });
  clearInterval(poll);
  // Fail-closed as before: the lane changes where and at what priority it runs, not its budget.
  t.ok(r.findings.some((f) => f.kind === 'inspection-limit' && f.subkind === 'time'), 'the PDF is still refused with inspection-limit:time');
  t.ok(seen.size >= 1, `a child process read it (${JSON.stringify([...seen])})`);
  const threads = [...seen.values()].flat();
  t.ok(threads.length >= 5, `with its V8 helper threads (${threads.length} threads)`);
  t.same(new Set(threads), new Set([LOW_PRIORITY]), `every thread of it at nice ${LOW_PRIORITY}`);
  t.equal(inspectionPool.lowered, lowered, 'no worker thread of the gateway had to lower itself for it');
  t.equal(niceOf(process.pid), 0, 'the event loop thread stayed at nice 0');
  t.same([...inspectThreads().values()].filter((n) => n !== 0), [], 'no inspection thread of the gateway is lowered');
});

t.test('nested base64 streamed: its worker thread lowers itself, and is put back (or stopped) after', { skip: !linux && 'no /proc/thread-self' }, async (t) => {
  t.setTimeout(300_000);
  let inner = Buffer.from(`${'&#26426;%E5%AF%86 \\u673a '.repeat(4000)}an ordinary closing line\n`);
  while (inner.length < 2 * 1024 * 1024) inner = Buffer.from(`${inner.toString('base64')}\n${inner.toString('base64')}\n`);
  const chunks = Array.from({ length: Math.ceil(inner.length / 65536) }, (_, i) => inner.subarray(i * 65536, (i + 1) * 65536));
  const before = inspectionPool.lowered;
  const seen = new Map<string, number>();
  const poll = setInterval(() => {
    for (const [tid, n] of inspectThreads()) seen.set(tid, Math.max(seen.get(tid) ?? -20, n));
  }, 20);
  await inspectChunks(chunks, {}, { filename: 'heavy.txt', declaredType: 'text/plain' });
  clearInterval(poll);
  t.equal(inspectionPool.lowered, before + 1, `its worker told the pool it lowered itself (${(inner.length / 1024 / 1024).toFixed(1)} MiB)`);
  t.ok([...seen.values()].includes(LOW_PRIORITY), `an inspection thread was seen at nice ${LOW_PRIORITY} (${JSON.stringify([...seen])})`);
  t.equal(niceOf(process.pid), 0, 'the event loop thread stayed at nice 0');
  // Given back: put back to its nice value (root) or stopped (anyone else); none is left lowered to serve the next transfer.
  for (;;) {
    const low = [...inspectThreads()].filter(([, n]) => n === LOW_PRIORITY);
    if (!low.length) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  t.pass('no inspection thread is left at the lowest priority');
});

t.test('an ordinary file does not lower its worker', async (t) => {
  const before = inspectionPool.lowered;
  const text = Buffer.from('an ordinary line of a report, 2026年12月 第3季度 summary\n'.repeat(20_000));
  const chunks = Array.from({ length: Math.ceil(text.length / 65536) }, (_, i) => text.subarray(i * 65536, (i + 1) * 65536));
  const r = await inspectChunks(chunks, {}, { filename: 'report.txt', declaredType: 'text/plain' });
  t.same(r.findings, [], 'clean');
  t.equal(inspectionPool.lowered, before, `a ${(text.length / 1024 / 1024).toFixed(1)} MiB text file is not a heavy reading`);
});
