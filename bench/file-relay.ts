// npm run bench:file-relay [-- --size 1GiB --rss-size 4GiB --small 1000 --quick] [--hops 2]
//
// The same jobs through a Ferry gateway and through a plain Node HTTPS relay
// (store, hash, fsync, 202, forward; nothing else), in one run. Sender, relay
// and sink each run in their own process. Prints: ingest MB/s (body until the
// 202), end-to-end MB/s (until the sink has it), the ratio, each relay's peak
// RSS, p50/p99 time-to-202 for many small files sent 16 at a time, and the
// gateway's peak RSS on one tiny file against one huge file (fresh processes).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile, mkdtemp, rm, mkdir } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseSize } from '../gateway/config/units.js';
import { startGatewayProcess } from '../gateway/process/gateway-process.js';
import { createDevSetup, writeDevConfig, type DevSetup } from '../gateway/setup/dev-setup.js';
import { runHops } from './relay/hops.js';

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
/** --hops 2: one hop against a chain of two gateways instead (bench/relay/hops.ts). */
const HOPS = Number(opt('hops', '1'));

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

async function send(setup: DevSetup, mode: 'big' | 'small', url: string, ...rest: number[]): Promise<Record<string, any>> {
  const child = spawn(process.execPath, [here('./relay/sender.js'), mode, url, ...rest.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_CERT: setup.sender.cert, BENCH_KEY: setup.sender.key, BENCH_CA: setup.ca },
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

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-bench-'));
  try {
    const setup = await createDevSetup(dir);
    // The bench policy is the example without retention obligations, so spool files go once delivered.
    const policy = (await readFile(setup.policy, 'utf8')).replace(/\n {4}obligations:\n( {6}.*\n)+/g, '\n');
    await writeFile(setup.policy, policy);
    const sink = await startProc(here('./relay/sink.js'), [setup.pushReceiver.cert, setup.pushReceiver.key, setup.ca]);
    setup.ports.receiver = sink.port;
    await writeDevConfig(setup);
    // 16 uploads at once from one system: above the default per-principal limit of 8.
    await writeFile(setup.config, (await readFile(setup.config, 'utf8')).replace('max_uploads_per_principal: 8', 'max_uploads_per_principal: 32'));
    if (HOPS >= 2) {
      await runHops({ dir, setup, sink, size: SIZE, small: SMALL, children });
      sink.child.kill();
      return;
    }
    await mkdir(join(dir, 'plain'));
    const plain = await startProc(here('./relay/plain-relay.js'), [setup.gateway.cert, setup.gateway.key, setup.ca, join(dir, 'plain'), `https://127.0.0.1:${sink.port}/in`]);
    const gw = await startGateway(setup.config);

    console.log(`Ferry file-relay benchmark — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
    console.log(`sender, relay and sink in separate processes on 127.0.0.1; TLS 1.3 with mutual authentication\n`);

    const big: Record<string, { ingest: number; e2e: number }> = {};
    for (const [name, port] of [['plain relay', plain.port], ['ferry gateway', gw.port]] as const) {
      const r = await send(setup, 'big', `https://127.0.0.1:${port}`, SIZE);
      const at = await arrival(sink, r.id as string);
      big[name] = { ingest: mb(SIZE, r.ms as number), e2e: mb(SIZE, at - (r.start as number)) };
    }
    const small: Record<string, { p50: number; p99: number; rate: number }> = {};
    for (const [name, port] of [['plain relay', plain.port], ['ferry gateway', gw.port]] as const) {
      const r = await send(setup, 'small', `https://127.0.0.1:${port}`, SMALL, 4096, 16);
      const times = r.times as number[];
      small[name] = { p50: pct(times, 50), p99: pct(times, 99), rate: SMALL / ((r.ms as number) / 1000) };
    }
    const rssGw = await peakRss(gw.child.pid!);
    const rssPlain = await peakRss(plain.child.pid!);
    await stop(gw.child);

    console.log(`One ${MiB(SIZE)} file                 ingest MB/s   end-to-end MB/s   peak RSS`);
    console.log(`  plain relay                    ${big['plain relay']!.ingest.toFixed(0).padStart(8)}   ${big['plain relay']!.e2e.toFixed(0).padStart(15)}   ${MiB(rssPlain).padStart(8)}`);
    console.log(`  ferry gateway                  ${big['ferry gateway']!.ingest.toFixed(0).padStart(8)}   ${big['ferry gateway']!.e2e.toFixed(0).padStart(15)}   ${MiB(rssGw).padStart(8)}`);
    console.log(`  ratio (ferry / plain)          ${(big['ferry gateway']!.ingest / big['plain relay']!.ingest).toFixed(2).padStart(8)}   ${(big['ferry gateway']!.e2e / big['plain relay']!.e2e).toFixed(2).padStart(15)}`);
    console.log(`\n${SMALL} files of 4 KiB, 16 at a time   p50 to 202   p99 to 202   files/s`);
    for (const [name, s] of Object.entries(small)) {
      console.log(`  ${name.padEnd(30)} ${`${s.p50.toFixed(1)} ms`.padStart(10)}   ${`${s.p99.toFixed(1)} ms`.padStart(10)}   ${s.rate.toFixed(0).padStart(7)}`);
    }

    if (!args.includes('--skip-rss')) {
      const rss: Record<string, number> = {};
      for (const size of [4096, RSS_SIZE]) {
        const g = await startGateway(setup.config);
        const r = await send(setup, 'big', `https://127.0.0.1:${g.port}`, size);
        await arrival(sink, r.id as string);
        rss[String(size)] = await peakRss(g.child.pid!);
        await stop(g.child);
      }
      const tiny = rss['4096']!;
      const huge = rss[String(RSS_SIZE)]!;
      console.log(`\nGateway peak RSS, fresh process per run: 4 KiB file ${MiB(tiny)}, ${MiB(RSS_SIZE)} file ${MiB(huge)} (${(((huge - tiny) / tiny) * 100).toFixed(1)}% more)`);
    }
    sink.child.kill();
    plain.child.kill();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
