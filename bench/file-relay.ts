// npm run bench:file-relay [-- --size 1GiB --rss-size 4GiB --small 1000 --many 10000 --rounds 3 --clamd --quick] [--hops 2]
//   [--large: the one-large-file job only] [--skip-rss: no peak-RSS runs]
//   [--seal-thread: a second gateway with spool.seal_thread on, beside the first]
//
// The same jobs through a Ferry gateway, a plain Node HTTPS relay (store, hash,
// fsync, 202, forward; nothing else) and nginx taking WebDAV PUTs with client
// certificates (what an operator would stand up instead), interleaved in one run. Sender, relay
// and sink each run in their own process. Prints: ingest MB/s (body until the
// 202), end-to-end MB/s (until the sink has it), the ratio, each relay's peak
// RSS, p50/p99 time-to-202 for many small files sent 16 at a time, and the
// gateway's peak RSS on one tiny file against one huge file (fresh processes).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile, mkdtemp, rm, mkdir } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseSize } from '../gateway/config/units.js';
import { startGatewayProcess } from '../gateway/process/gateway-process.js';
import { createDevSetup, writeDevConfig, type DevSetup } from '../gateway/setup/dev-setup.js';
import { startClamd } from '../test/helpers/clamd.js';
import { runHops } from './relay/hops.js';
import { NGINX, startNginx } from './relay/nginx.js';
import { cpuSince, threadCpu } from './relay/thread-cpu.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const FERRY = here('../bin/ferry.js');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const quick = args.includes('--quick');
const SIZE = parseSize(opt('size', quick ? '256MiB' : '1GiB'));
const RSS_SIZE = parseSize(opt('rss-size', quick ? '512MiB' : '4GiB'));
const SMALL = Number(opt('small', quick ? '300' : '1000'));
/** The second small-file job: many more files, 64 in flight. */
const MANY = Number(opt('many', quick ? '1000' : '10000'));
const ROUNDS = Number(opt('rounds', quick ? '1' : '3'));
/** --clamd: a second gateway with a real clamd (Debian clamav-daemon) beside the one without. */
const WITH_CLAMD = args.includes('--clamd');
/** --hops 2: one hop against a chain of two gateways instead (bench/relay/hops.ts). */
const HOPS = Number(opt('hops', '1'));
/** --large: only the one-large-file job (and the peak RSS, unless --skip-rss). */
const LARGE_ONLY = args.includes('--large');
/** --seal-thread: a second Ferry gateway that hashes, encrypts and writes on a thread of its own (spool.seal_thread: true). */
const SEAL = args.includes('--seal-thread');

interface Proc { child: ChildProcess; lines: AsyncIterator<string>; port: number }

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

async function startProc(script: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Proc> {
  const child = spawn(process.execPath, [script, ...argv], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.add(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  return { child, lines, port: (JSON.parse(first.value as string) as { port: number }).port };
}

async function startGateway(config: string): Promise<{ child: ChildProcess; port: number }> {
  // BENCH_GATEWAY_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the gateway.
  const nodeArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const gw = await startGatewayProcess({ config, nodeArgs });
  children.add(gw.child);
  return { child: gw.child, port: gw.ready.ports.police! };
}

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null) return r();
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

async function send(setup: DevSetup, mode: 'big' | 'small', url: string, env: NodeJS.ProcessEnv | undefined, ...rest: number[]): Promise<Record<string, any>> {
  const child = spawn(process.execPath, [here('./relay/sender.js'), mode, url, ...rest.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env, BENCH_CERT: setup.sender.cert, BENCH_KEY: setup.sender.key, BENCH_CA: setup.ca },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`sender failed (${code})`);
  return JSON.parse(out) as Record<string, any>;
}

async function arrival(sink: Proc, id: string): Promise<number> {
  for (;;) {
    const { value, done } = await sink.lines.next();
    if (done) throw new Error('sink ended');
    const j = JSON.parse(value as string) as { id: string; at: number };
    if (j.id === id) return j.at;
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const mb = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
const MiB = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;

type Target = { name: string; port: number; env?: NodeJS.ProcessEnv; forwards: boolean; pid?: number };
interface Sample { ingest: number; e2e?: number }
interface SmallSample { rate: number; p50: number; p99: number }

const median = (xs: number[]) => pct(xs, 50);
const spread = (xs: number[], f: (n: number) => string) => (xs.length > 1 ? ` (${f(Math.min(...xs))}–${f(Math.max(...xs))})` : '');

/** Each round runs every target once per job, in an order that rotates from round to round. */
function rotate<T>(xs: T[], by: number): T[] {
  return xs.map((_, i) => xs[(i + by) % xs.length]!);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-bench-'));
  const stops: Array<() => Promise<void>> = [];
  try {
    const setup = await createDevSetup(dir);
    // The bench policy is the example without retention obligations, so spool files go once delivered.
    // The senders send random bytes, which the example policy refuses as uninspectable: the
    // bench policy lets them through, as an operator does for a binary type it must carry.
    const policy = (await readFile(setup.policy, 'utf8')).replace(/\n {4}obligations:\n( {6}.*\n)+/g, '\n')
      .replace(/\n {2}- id: deny-uninspectable\n( {4}.*\n)+/, '\n');
    await writeFile(setup.policy, policy);
    const sink = await startProc(here('./relay/sink.js'), [setup.pushReceiver.cert, setup.pushReceiver.key, setup.ca]);
    setup.ports.receiver = sink.port;
    await writeDevConfig(setup);
    // Up to 64 uploads at once from one system and one address: above the default limits.
    await writeFile(setup.config, (await readFile(setup.config, 'utf8'))
      .replace('max_uploads_per_principal: 8', 'max_uploads_per_principal: 128')
      .replace('max_connections_per_address: 64', 'max_connections_per_address: 256'));
    if (HOPS >= 2) {
      await runHops({ dir, setup, sink, size: SIZE, small: SMALL, children });
      sink.child.kill();
      return;
    }
    await mkdir(join(dir, 'plain'));
    const plain = await startProc(here('./relay/plain-relay.js'), [setup.gateway.cert, setup.gateway.key, setup.ca, join(dir, 'plain'), `https://127.0.0.1:${sink.port}/in`]);
    const gw = await startGateway(setup.config);
    const targets: Target[] = [{ name: 'plain relay', port: plain.port, forwards: true, pid: plain.child.pid! }];
    if (NGINX) {
      const ngx = await startNginx(join(dir, 'nginx'), { cert: setup.gateway.cert, key: setup.gateway.key, ca: setup.ca });
      stops.push(ngx.stop);
      targets.push({ name: 'nginx (WebDAV PUT)', port: ngx.port, env: { BENCH_TARGET: 'nginx' }, forwards: false });
    }
    targets.push({ name: 'ferry gateway', port: gw.port, forwards: true, pid: gw.child.pid! });
    if (SEAL) {
      const cfgPath = join(dirname(setup.config), 'gateway-seal.yaml');
      const cfg = (await readFile(setup.config, 'utf8'))
        .replace(/data_dir: .*/, 'data_dir: ./data-seal')
        .replace(/listen: 127\.0\.0\.1:\d+/g, 'listen: 127.0.0.1:0');
      await writeFile(cfgPath, `${cfg}\nspool:\n  seal_thread: true\n`);
      const ns = await startGateway(cfgPath);
      stops.push(() => stop(ns.child));
      targets.push({ name: 'ferry + seal thread', port: ns.port, forwards: true, pid: ns.child.pid! });
    }
    let clamdNote = 'no clamd';
    if (WITH_CLAMD) {
      try {
        const clamd = await startClamd();
        stops.push(clamd.stop);
        // A second gateway beside the first (paths are relative to its file): same keys and
        // policy, its own data directory and ports, and clamd.
        const avConfig = join(dirname(setup.config), 'gateway-clamd.yaml');
        const cfg = (await readFile(setup.config, 'utf8'))
          .replace(/data_dir: .*/, 'data_dir: ./data-clamd')
          .replace(/listen: 127\.0\.0\.1:\d+/g, 'listen: 127.0.0.1:0');
        await writeFile(avConfig, `${cfg}\ninspect:\n  clamd: { host: 127.0.0.1, port: ${clamd.port}, timeout: 120s }\n`);
        const av = await startGateway(avConfig);
        stops.push(() => stop(av.child));
        targets.push({ name: 'ferry gateway + clamd', port: av.port, forwards: true, pid: av.child.pid! });
        clamdNote = 'clamd with the project\'s test signature set';
      } catch (e) {
        clamdNote = `clamd column skipped: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      }
    }

    console.log(`Ferry file-relay benchmark — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
    console.log(`sender, relays and sink in separate processes on 127.0.0.1; TLS 1.3 with mutual authentication; ${ROUNDS} round(s), interleaved`);
    console.log(NGINX ? `nginx: ${NGINX} (stores the body and answers 201: no inspection, encryption, fsync, audit or forwarding)` : 'nginx: not installed, its column is skipped (apt-get install nginx)');
    console.log(`${clamdNote}\n`);

    const big = new Map<string, Sample[]>();
    const small = new Map<string, SmallSample[]>();
    const many = new Map<string, SmallSample[]>();
    const push = <T>(m: Map<string, T[]>, k: string, v: T) => m.set(k, [...(m.get(k) ?? []), v]);
    /** CPU seconds each relay's threads spent on the large file, until its 202 (ingest only). */
    const cpu: string[] = [];
    /** CPU a small file cost each relay's threads, in ms (all threads, then the busiest), per run. */
    const smallCpu: string[] = [];
    const smallRun = async (tg: Target, count: number, inFlight: number): Promise<SmallSample> => {
      const before = tg.pid ? await threadCpu(tg.pid) : null;
      const r = await send(setup, 'small', `https://127.0.0.1:${tg.port}`, tg.env, count, 4096, inFlight);
      if (before) {
        const spent = cpuSince(tg.pid!, before, await threadCpu(tg.pid!));
        const ms = (s: number) => ((s * 1000) / count).toFixed(2);
        smallCpu.push(`  ${tg.name.padEnd(24)} ${count} × 4 KiB, ${inFlight} in flight: ${ms(spent.reduce((a, x) => a + x.seconds, 0))} ms a file (${spent.slice(0, 6).map((x) => `${x.name} ${ms(x.seconds)}`).join(', ')}), load ${loadavg()[0]!.toFixed(1)}`);
      }
      const times = r.times as number[];
      return { p50: pct(times, 50), p99: pct(times, 99), rate: count / ((r.ms as number) / 1000) };
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const tg of rotate(targets, round)) {
        const before = tg.pid ? await threadCpu(tg.pid) : null;
        const r = await send(setup, 'big', `https://127.0.0.1:${tg.port}`, tg.env, SIZE);
        if (before) {
          const spent = cpuSince(tg.pid!, before, await threadCpu(tg.pid!));
          const total = spent.reduce((a, x) => a + x.seconds, 0);
          cpu.push(`  ${tg.name.padEnd(24)} round ${round + 1}: ${total.toFixed(1)} s CPU (${spent.slice(0, 5).map((x) => `${x.name} ${x.seconds.toFixed(1)}`).join(', ')}), load ${loadavg()[0]!.toFixed(1)}`);
        }
        const sample: Sample = { ingest: mb(SIZE, r.ms as number) };
        if (tg.forwards) sample.e2e = mb(SIZE, (await arrival(sink, r.id as string)) - (r.start as number));
        push(big, tg.name, sample);
      }
      if (LARGE_ONLY) continue;
      for (const tg of rotate(targets, round)) push(small, tg.name, await smallRun(tg, SMALL, 16));
      for (const tg of rotate(targets, round)) push(many, tg.name, await smallRun(tg, MANY, 64));
    }
    const rss = new Map<string, number>();
    for (const tg of targets) if (tg.pid) rss.set(tg.name, await peakRss(tg.pid));
    await stop(gw.child);

    const f0 = (n: number) => n.toFixed(0);
    const f1 = (n: number) => n.toFixed(1);
    const base = median((big.get('nginx (WebDAV PUT)') ?? big.get('plain relay')!).map((x) => x.ingest));
    const baseName = big.has('nginx (WebDAV PUT)') ? 'nginx' : 'plain relay';
    console.log(`One ${MiB(SIZE)} file: median (min–max)`);
    console.log(`  ${'target'.padEnd(24)} ${'ingest MB/s'.padStart(22)} ${'end-to-end MB/s'.padStart(22)}  × ${baseName}  peak RSS`);
    for (const tg of targets) {
      const xs = big.get(tg.name)!;
      const ing = xs.map((x) => x.ingest);
      const e2e = xs.flatMap((x) => (x.e2e === undefined ? [] : [x.e2e]));
      const r = rss.get(tg.name);
      console.log(`  ${tg.name.padEnd(24)} ${(f0(median(ing)) + spread(ing, f0)).padStart(22)} ${(e2e.length ? f0(median(e2e)) + spread(e2e, f0) : '—').padStart(22)}  ${(median(ing) / base).toFixed(2).padStart(5)}  ${r ? MiB(r) : ''}`);
    }
    console.log(`\nCPU seconds per thread until the 202 of the ${MiB(SIZE)} file (/proc/<pid>/task; busiest first):\n${cpu.join('\n')}`);
    for (const [title, m] of [[`${SMALL} files of 4 KiB, 16 in flight`, small], [`${MANY} files of 4 KiB, 64 in flight`, many]] as const) {
      if (LARGE_ONLY) break;
      const baseSmall = m.get('nginx (WebDAV PUT)') ?? m.get('plain relay')!;
      const bRate = median(baseSmall.map((x) => x.rate));
      const bP99 = median(baseSmall.map((x) => x.p99));
      console.log(`\n${title}: median (min–max)`);
      console.log(`  ${'target'.padEnd(24)} ${'files/s'.padStart(18)} ${'p50 ms'.padStart(18)} ${'p99 ms'.padStart(20)}  rate × ${baseName}  p99 × ${baseName}`);
      for (const tg of targets) {
        const xs = m.get(tg.name)!;
        const rate = xs.map((x) => x.rate);
        const p50 = xs.map((x) => x.p50);
        const p99 = xs.map((x) => x.p99);
        console.log(`  ${tg.name.padEnd(24)} ${(f0(median(rate)) + spread(rate, f0)).padStart(18)} ${(f1(median(p50)) + spread(p50, f1)).padStart(18)} ${(f1(median(p99)) + spread(p99, f1)).padStart(20)}  ${(median(rate) / bRate).toFixed(2).padStart(10)}  ${(median(p99) / bP99).toFixed(2).padStart(9)}`);
      }
    }

    if (smallCpu.length) console.log(`\nCPU a small file cost each Node relay's threads, until the last 202 of its run (/proc/<pid>/task; busiest first; 10 ms ticks, so a thread under ${(10 / Math.max(SMALL, 1)).toFixed(2)} ms a file may not show):\n${smallCpu.join('\n')}`);

    if (!args.includes('--skip-rss')) {
      const peak: Record<string, number> = {};
      for (const size of [4096, RSS_SIZE]) {
        const g = await startGateway(setup.config);
        const r = await send(setup, 'big', `https://127.0.0.1:${g.port}`, undefined, size);
        await arrival(sink, r.id as string);
        peak[String(size)] = await peakRss(g.child.pid!);
        await stop(g.child);
      }
      const tiny = peak['4096']!;
      const huge = peak[String(RSS_SIZE)]!;
      console.log(`\nGateway peak RSS, fresh process per run: 4 KiB file ${MiB(tiny)}, ${MiB(RSS_SIZE)} file ${MiB(huge)} (${(((huge - tiny) / tiny) * 100).toFixed(1)}% more)`);
    }
    sink.child.kill();
    plain.child.kill();
  } finally {
    for (const s of stops) await s().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

await main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
