// The publishers and the subscriber of bench:messages, in their own process.
//   node load.js <mode> <pubUrl> <subUrl> <publishers> <seconds> [rate]
// mode saturate: every publisher keeps IN_FLIGHT envelopes unanswered for the
//   whole run; prints messages/s received by the subscriber after a warm-up.
// mode rate: envelopes at a fixed total rate; prints p50/p99 publish→receive.
// Bodies are 1 KiB of text carrying the send time. The subscriber acks each
// turn of the event loop's worth of messages, cumulatively.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

const [mode, pubUrl, subUrl, pubsArg, secondsArg, rateArg] = process.argv.slice(2) as [string, string, string, string, string, string?];
const tls = { cert: readFileSync(process.env.BENCH_CERT!), key: readFileSync(process.env.BENCH_KEY!), ca: readFileSync(process.env.BENCH_CA!) };
const subTls = { cert: readFileSync(process.env.BENCH_SUB_CERT!), key: readFileSync(process.env.BENCH_SUB_KEY!), ca: tls.ca };
const PUBLISHERS = Number(pubsArg);
const SECONDS = Number(secondsArg);
const IN_FLIGHT = 8;
/** bench:messages --warmup: a longer warm-up before a saturation run's measure (its window stays SECONDS - 2 s). */
const WARMUP_MS = mode === 'saturate' ? Number(process.env.BENCH_WARMUP_MS ?? 2000) : 2000;
const to = 'extranet/feed';

function open(url: string, creds: typeof tls): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...creds, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
const now = (): number => performance.timeOrigin + performance.now();

function body(): string {
  const stamp = `${now().toFixed(3)} `;
  return stamp + 'x'.repeat(1024 - stamp.length);
}

const runStart = now();
const latencies: number[] = [];
let received = 0;
let refused = 0;
const sub = await open(subUrl, subTls);
let ackPending = 0;
sub.on('message', (d) => {
  const f = JSON.parse(d.toString()) as { type: string; seq: number; body: string };
  if (f.type !== 'message') return;
  if (ackPending === 0) {
    setImmediate(() => {
      sub.send(JSON.stringify({ type: 'ack', seq: ackPending }));
      ackPending = 0;
    });
  }
  ackPending = f.seq;
  const sentAt = Number(f.body.slice(0, f.body.indexOf(' ')));
  // A message left over from an earlier run on the same stream is not this run's.
  if (sentAt < runStart) return;
  received++;
  latencies.push(now() - sentAt);
});
const pubs = await Promise.all(Array.from({ length: PUBLISHERS }, () => open(pubUrl, tls)));
const start = performance.now();
const end = start + SECONDS * 1000 + (WARMUP_MS - 2000);
let stop = false;

if (mode === 'saturate') {
  for (const p of pubs) {
    let out = 0;
    const fill = () => {
      while (!stop && out < IN_FLIGHT) {
        out++;
        p.send(JSON.stringify({ to, label: 'public', body: body() }));
      }
    };
    p.on('message', (d) => {
      out--;
      if ((JSON.parse(d.toString()) as { status: number }).status !== 202) refused++;
      fill();
    });
    fill();
  }
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  // The end of the warm-up, for the bench to read the server's CPU counters from here on.
  process.stdout.write(JSON.stringify({ warm: true }) + '\n');
  const cpu0 = process.cpuUsage();
  const r0 = received;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, Math.max(0, end - performance.now())));
  const rate = ((received - r0) / (performance.now() - t0)) * 1000;
  stop = true;
  // measured: what the subscriber got after the warm-up (the CPU spent from then on is divided by it).
  // clientCpuMs: this process's CPU per message (publishers and subscriber), to show whether the load itself is the limit.
  const used = process.cpuUsage(cpu0);
  const measured = received - r0;
  process.stdout.write(JSON.stringify({ rate, refused, measured, clientCpuMs: (used.user + used.system) / 1000 / Math.max(1, measured) }) + '\n');
} else {
  const rate = Number(rateArg);
  let sent = 0;
  for (const p of pubs) p.on('message', (d) => { if ((JSON.parse(d.toString()) as { status: number }).status !== 202) refused++; });
  // Paced by the clock, not by answers: an open loop, as real publishers are.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      while (sent < due) pubs[sent++ % PUBLISHERS]!.send(JSON.stringify({ to, label: 'public', body: body() }));
      if (performance.now() >= end) {
        clearInterval(tick);
        resolve();
      }
    }, 2);
  });
  const deadline = performance.now() + 30_000;
  while (received < sent - refused && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  // The warm-up's latencies are left out.
  const skip = Math.floor((WARMUP_MS / 1000) * rate);
  const xs = latencies.slice(skip).sort((a, b) => a - b);
  const pct = (p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
  process.stdout.write(JSON.stringify({ sent, received, refused, p50: pct(50), p99: pct(99) }) + '\n');
}
for (const p of pubs) p.close();
sub.close();
setTimeout(() => process.exit(0), 200).unref();
