// npm run bench:queue-writes [-- --transfers 2000 --in-flight 16]
//
// The queue database alone, as a small file uses it: a row with its sealed
// 4 KiB body (insertInline), then markQueued, 16 transfers in flight. Prints
// transfers/s, p50/p99 of the two writes, how busy the event loop was, and its
// delay: what the sockets of every other transfer would have waited. Run it
// at two commits to compare (the writer thread, docs/storage.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { SqliteTransferStore } from '../gateway/store/sqlite/sqlite-transfer-store.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt('transfers', 2000);
const IN_FLIGHT = opt('in-flight', 16);

const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-queue-'));
const store = new SqliteTransferStore(join(dir, 'queue.db'));
await store.requeueInterrupted(); // the writer is up before the clock starts
const body = Buffer.alloc(4200, 7);
let n = 0;
async function one(): Promise<void> {
  n += 1;
  const id = `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
  const now = Date.now();
  await store.insertInline({
    id, kind: 'file', channel: null, principal: 'ferry://police/sys1', source: 'police/sys1', destination: 'extranet/archive', label: 'public',
    filename: 'a.txt', contentType: 'text/plain', size: 4096, sha256: 'a'.repeat(64), spool: '', delivery: 'push', idempotencyKey: null,
    created: now, expiresAt: now + 86_400_000, receiptAccepted: null, retainDays: null,
  }, body);
  await store.markQueued(id);
}

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const elu0 = performance.eventLoopUtilization();
const t0 = performance.now();
const times: number[] = [];
await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
  while (n < N) {
    const a = performance.now();
    await one();
    times.push(performance.now() - a);
  }
}));
const ms = performance.now() - t0;
delay.disable();
const elu = performance.eventLoopUtilization(elu0);
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!.toFixed(1);
console.log(`queue writes — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, load average ${loadavg()[0]!.toFixed(1)}`);
console.log(`${N} small transfers, ${IN_FLIGHT} in flight: ${((N / ms) * 1000).toFixed(0)} transfers/s, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms; `
  + `event loop busy ${(elu.utilization * 100).toFixed(0)}%, its delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`);
await store.close();
rmSync(dir, { recursive: true, force: true });
