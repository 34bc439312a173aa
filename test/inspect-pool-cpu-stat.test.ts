// The stat file a worker names for its CPU (inspect-pool.ts; review10): only its own is taken, and only from its
// first 'ready'. Before, any /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat was taken and a later 'ready'
// replaced it, so a worker could put a transfer's budget on an idle process's CPU. Real worker threads (eval'd
// scripts that say what the case needs) in a pool of their own; the child process's rule by ownCpuStat.
import { Worker } from 'node:worker_threads';
import t from 'tap';
import { InspectionPool, ownCpuStat } from '../gateway/inspect/inspect-pool.js';

const OWN = "`/proc/${process.pid}/task/${require('node:fs').readlinkSync('/proc/thread-self').split('/').pop()}/stat`";

/** A worker thread that posts the given 'ready' messages (JS expressions for cpuStat), then { t: 'ack' }. */
async function cpuStatOf(...stats: string[]): Promise<string | undefined> {
  const code = `const { parentPort } = require('node:worker_threads');
    ${stats.map((s) => `parentPort.postMessage({ t: 'ready', cpuStat: ${s} });`).join('\n')}
    parentPort.postMessage({ t: 'ack', bytes: 0 });
    parentPort.on('message', () => {});`;
  const pool = new InspectionPool(1, () => new Worker(code, { eval: true }));
  const pw = await pool.take();
  // The messages after the first 'ready' have arrived once the ack has.
  await new Promise<void>((resolve) => {
    pw.handler = (m) => m.t === 'ack' && resolve();
  });
  const stat = pw.cpuStat;
  pool.discard(pw);
  return stat;
}

t.test('a worker thread names its own thread, once', { skip: process.platform !== 'linux' && 'no /proc' }, async (t) => {
  const own = await cpuStatOf(OWN);
  t.match(own, new RegExp(`^/proc/${process.pid}/task/[0-9]+/stat$`), 'its own thread is taken');
  t.equal(await cpuStatOf("'/proc/1/stat'"), undefined, 'another process (init) is not');
  t.equal(await cpuStatOf(`'/proc/${process.pid}/stat'`), undefined, 'nor this whole process');
  t.equal(await cpuStatOf(`'/proc/${process.pid}/task/${process.pid}/stat'`), undefined, "nor this process's main thread (the event loop)");
  t.equal(await cpuStatOf("'/proc/1/task/1/stat'"), undefined, "nor another process's thread");
  t.match(await cpuStatOf(OWN, "'/proc/1/stat'"), new RegExp(`^/proc/${process.pid}/task/[0-9]+/stat$`), 'a second ready does not replace the first');
  t.equal(await cpuStatOf("'/proc/1/stat'", OWN), undefined, 'nor does it fill in a refused one');
});

t.test("a child process names its own process's file", async (t) => {
  t.ok(ownCpuStat('/proc/4242/stat', { pid: 4242 }), 'its own');
  t.notOk(ownCpuStat('/proc/1/stat', { pid: 4242 }), 'not another');
  t.notOk(ownCpuStat(`/proc/${process.pid}/task/${process.pid + 1}/stat`, { pid: 4242 }), "not a thread of the gateway's");
  t.notOk(ownCpuStat('/proc/4242/task/4242/../../1/stat', { pid: 4242 }), 'no path tricks');
  t.notOk(ownCpuStat(undefined, { pid: 4242 }), 'none named');
});
