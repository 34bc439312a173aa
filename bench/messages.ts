// npm run bench:messages [-- --publishers 8 --seconds 10 --warmup 2 --only ferry|relay --rates 100,300,400]
//
// 1 KiB messages from publishers to one subscriber, in one run, through a
// Ferry gateway (policy, inspection, encryption, durable queue with sequence
// numbers, audit log, acknowledgements) and through a plain `ws` relay that
// writes each message to SQLite (synchronous=FULL) before forwarding it.
// Gateway, relay and load each run in their own process, over mutual TLS.
// Prints messages/s at saturation, then p50/p99 publish→receive latency at
// half of each one's own saturation rate, and the ratios.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { issueCertificate } from '../certs/issue.js';
import { createDevSetup } from '../gateway/setup/dev-setup.js';
import { cpuSince, threadCpu } from './relay/thread-cpu.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const FERRY = here('../bin/ferry.js');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const PUBLISHERS = Number(opt('publishers', '8'));
const SECONDS = Number(opt('seconds', '10'));
/**
 * --warmup S: seconds of saturation before its measure starts (2 by default). On a loaded machine
 * 2 s is a few dozen messages, and V8 is still compiling the gateway's path (its helper threads'
 * CPU is then counted as the messages'); a longer warm-up measures the steady state.
 */
const WARMUP_S = Number(opt('warmup', '2'));
/** --only ferry|relay: one side alone (for profiling); the ratio needs both. */
const ONLY = opt('only', '');
/**
 * --rates 100,300,400: p50/p99 also at these fixed open-loop rates (msg/s). Half the saturation rate can
 * be past what the gateway sustains at a steady rate, where messages no longer wait together to be
 * committed in one batch: on 30 Nov p99 was 11 ms at 100 msg/s and 1 s at 500, with saturation at 900.
 */
const RATES = opt('rates', '').split(',').filter(Boolean).map(Number).filter((r) => r > 0);

const POLICY = `policy: bench-messages
networks: [police, extranet]
rules:
  - id: allow-police-to-extranet
    effect: allow
    description: Police systems publish public and internal messages to the extranet.
    match: { from: police/*, to: extranet/*, label: [public, internal] }
  - id: deny-classified-marking
    effect: deny
    description: Content carrying a classified marking never crosses.
    when: { finding: classified-marking }
`;

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

async function startRelay(argv: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [here('./messages/plain-relay.js'), ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  return { child, port: (JSON.parse(first.value as string) as { port: number }).port };
}

async function startGateway(config: string): Promise<{ child: ChildProcess; police: number; extranet: number }> {
  const nodeArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, FERRY, 'gateway', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FERRY_LOG_LEVEL: 'warn' } });
  children.add(child);
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /police=(\d+) extranet=(\d+)/.exec(err);
      if (m) resolve({ child, police: Number(m[1]), extranet: Number(m[2]) });
    });
    child.once('exit', (c) => reject(new Error(`gateway exited ${c}: ${err}`)));
  });
}

/** Runs the load; `onWarm` is called when its warm-up ends (saturate mode). The last line it prints is the result. */
async function load(env: NodeJS.ProcessEnv, argv: Array<string | number>, onWarm?: () => Promise<void>): Promise<Record<string, number>> {
  const child = spawn(process.execPath, [here('./messages/load.js'), ...argv.map(String)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.add(child);
  let last = '';
  let warm: Promise<void> = Promise.resolve();
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    if (line.includes('"warm"')) warm = onWarm?.() ?? warm;
    else last = line;
  });
  const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`load failed (${code})`);
  await warm;
  return JSON.parse(last) as Record<string, number>;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-bench-msg-'));
  try {
    const setup = await createDevSetup(dir);
    const feed = await issueCertificate(setup.pki, { id: 'ferry://extranet/feed', name: 'extranet-feed' });
    await writeFile(setup.policy, POLICY);
    let config = await readFile(setup.config, 'utf8');
    config = config.replace('  extranet/portal:\n    delivery: pull\n', '  extranet/portal:\n    delivery: pull\n  extranet/feed:\n    delivery: subscribe\n')
      .replace('max_uploads_per_principal: 8', 'max_uploads_per_principal: 256');
    await writeFile(setup.config, config);
    await mkdir(join(dir, 'plain'));
    const relay = await startRelay([setup.gateway.cert, setup.gateway.key, setup.ca, join(dir, 'plain')]);
    const gw = await startGateway(setup.config);
    const env = { BENCH_CERT: setup.sender.cert, BENCH_KEY: setup.sender.key, BENCH_CA: setup.ca, BENCH_SUB_CERT: feed.certPath, BENCH_SUB_KEY: feed.keyPath };
    const targets = {
      'plain ws relay': [`wss://127.0.0.1:${relay.port}/pub`, `wss://127.0.0.1:${relay.port}/sub`],
      'ferry gateway': [`wss://127.0.0.1:${gw.police}/v1/channels/CHANNEL`, `wss://127.0.0.1:${gw.extranet}/v1/subscriptions/CHANNEL`],
    } as const;

    console.log(`Ferry messages benchmark — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
    console.log(`1 KiB messages, ${PUBLISHERS} publishers, 1 subscriber; load, relay and gateway in separate processes; TLS 1.3, mutual authentication\n`);
    const results: Record<string, { rate: number; p50: number; p99: number; refused: number; cpuMs: number; clientMs: number; threads: string }> = {};
    const atRates: Record<string, Array<{ rate: number; p50: number; p99: number; refused: number; cpuMs: number; threads: string }>> = {};
    const pids = { 'plain ws relay': relay.child.pid!, 'ferry gateway': gw.child.pid! } as const;
    for (const [name, [pub, sub]] of Object.entries(targets)) {
      if (ONLY && !name.includes(ONLY)) continue;
      // Each run on its own channel: what the saturation run left in the gateway's backlog does not delay the next.
      const on = (url: string, ch: string) => url.replace('CHANNEL', ch);
      // CPU time per message of the server under test, from its threads' counters: on a
      // shared machine the rate says little, the CPU a message costs says where it goes.
      // From the end of the warm-up (the JIT compiling the path is not a message's cost) to the end of the run.
      const pid = pids[name as keyof typeof pids];
      let cpu0 = await threadCpu(pid);
      const sat = await load({ ...env, BENCH_WARMUP_MS: String(WARMUP_S * 1000) }, ['saturate', on(pub, 'bench-saturate'), on(sub, 'bench-saturate'), PUBLISHERS, SECONDS], async () => {
        cpu0 = await threadCpu(pid);
      });
      const spent = cpuSince(pid, cpu0, await threadCpu(pid));
      const perMsg = (s: number) => (s * 1000) / Math.max(1, sat.measured!);
      const half = await load(env, ['rate', on(pub, 'bench-half'), on(sub, 'bench-half'), PUBLISHERS, SECONDS, Math.max(1, Math.round(sat.rate! / 2))]);
      results[name] = {
        rate: sat.rate!, p50: half.p50!, p99: half.p99!, refused: sat.refused! + half.refused!,
        cpuMs: perMsg(spent.reduce((a, t) => a + t.seconds, 0)), clientMs: sat.clientCpuMs!,
        threads: spent.slice(0, 12).map((t) => `${t.name} ${perMsg(t.seconds).toFixed(2)}`).join(', '),
      };
      for (const rate of RATES) {
        // CPU a message costs at this rate: spread-out messages share fewer commits and wake-ups than a saturated stream's.
        const c0 = await threadCpu(pid);
        const r = await load(env, ['rate', on(pub, `bench-rate-${rate}`), on(sub, `bench-rate-${rate}`), PUBLISHERS, SECONDS, rate]);
        const spentAt = cpuSince(pid, c0, await threadCpu(pid));
        const per = (sec: number) => (sec * 1000) / Math.max(1, r.received!);
        (atRates[name] ??= []).push({
          rate, p50: r.p50!, p99: r.p99!, refused: r.refused!, cpuMs: per(spentAt.reduce((a, t) => a + t.seconds, 0)),
          threads: spentAt.slice(0, 6).map((t) => `${t.name} ${per(t.seconds).toFixed(2)}`).join(', '),
        });
      }
    }
    console.log(`                          messages/s at saturation   p50 at half rate   p99 at half rate`);
    for (const [name, r] of Object.entries(results)) {
      console.log(`  ${name.padEnd(24)}${r.rate.toFixed(0).padStart(26)}${`${r.p50.toFixed(1)} ms`.padStart(19)}${`${r.p99.toFixed(1)} ms`.padStart(19)}${r.refused ? `   (${r.refused} refused)` : ''}`);
    }
    const f = results['ferry gateway'];
    const p = results['plain ws relay'];
    if (f && p) console.log(`  ratio (ferry / plain)   ${(f.rate / p.rate).toFixed(2).padStart(26)}${(f.p50 / p.p50).toFixed(2).padStart(19)}${(f.p99 / p.p99).toFixed(2).padStart(19)}`);
    if (RATES.length) {
      console.log(`\np50/p99 publish→receive at fixed open-loop rates [server CPU per message, all threads, warm-up included]:`);
      for (const [name, rs] of Object.entries(atRates)) {
        console.log(`  ${name.padEnd(24)}${rs.map((r) => `${r.rate}/s ${r.p50.toFixed(1)}/${r.p99.toFixed(1)} ms [${r.cpuMs.toFixed(2)}]${r.refused ? ` (${r.refused} refused)` : ''}`).join('   ')}`);
        for (const r of rs) console.log(`${''.padEnd(26)}${r.rate}/s: ${r.threads}`);
      }
    }
    console.log(`\nServer CPU per message in the saturation run after its ${WARMUP_S} s warm-up (all threads, then the busiest threads, in ms), load average ${loadavg()[0]!.toFixed(1)}:`);
    for (const [name, r] of Object.entries(results)) console.log(`  ${name.padEnd(24)}${`${r.cpuMs.toFixed(2)} ms`.padStart(10)}   (${r.threads}); the load's own process ${r.clientMs.toFixed(2)} ms`);
    gw.child.kill('SIGTERM');
    relay.child.kill();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
