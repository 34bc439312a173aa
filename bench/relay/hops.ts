// npm run bench:file-relay -- --hops 2 [--size 1GiB --small 1000 --quick]
//
// One hop against two hops, in the same run: the end-to-end time of one large
// file and of many 4 KiB files sent 16 at a time, through
//   one hop:  police/records → gw1 (police | extranet) → extranet/archive
//   two hops: police/records → gw1 (police | transit) → gw2 (transit | extranet) → extranet/archive
// Each gateway, the sender and the sink run in their own process, all on this
// machine's cores. Store-and-forward: a large file takes about the sum of its
// hops; a stream of small files should keep both gateways busy at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { issueCertificate } from '../../certs/issue.js';
import { initGatewayKeys } from '../../gateway/keys/init-keys.js';
import { startGatewayProcess } from '../../gateway/process/gateway-process.js';
import type { DevSetup } from '../../gateway/setup/dev-setup.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

interface Gw { child: ChildProcess; ports: Record<string, number> }
interface Sink { lines: AsyncIterator<string> }

export interface HopsOptions {
  dir: string;
  setup: DevSetup;
  sink: Sink;
  size: number;
  small: number;
  children: Set<ChildProcess>;
}

async function startGateway(config: string, children: Set<ChildProcess>): Promise<Gw> {
  // Ready when it writes its structured ready line (protocol/ready-signal.ts), with its ports.
  const gw = await startGatewayProcess({ config });
  children.add(gw.child);
  return { child: gw.child, ports: gw.ready.ports };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null) return r();
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

async function send(setup: DevSetup, args: Array<string | number>): Promise<Record<string, any>> {
  const child = spawn(process.execPath, [here('./sender.js'), ...args.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_CERT: setup.sender.cert, BENCH_KEY: setup.sender.key, BENCH_CA: setup.ca },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`sender failed (${code})`);
  return JSON.parse(out) as Record<string, any>;
}

/** The time the last of `ids` reached the sink. */
async function arrivals(sink: Sink, ids: Iterable<string>): Promise<number> {
  const want = new Set(ids);
  let last = 0;
  while (want.size) {
    const { value, done } = await sink.lines.next();
    if (done) throw new Error('sink ended');
    const j = JSON.parse(value as string) as { id: string; at: number };
    if (want.delete(j.id)) last = Math.max(last, j.at);
  }
  return last;
}

/** gw1 (police | transit) routes extranet via gw2 (transit | extranet), which pushes to the sink. */
async function writeChain(o: HopsOptions): Promise<{ hop1: string; hop2: string }> {
  const { dir, setup } = o;
  const base = parse(await readFile(setup.config, 'utf8')) as Record<string, any>;
  const gw2 = await issueCertificate(setup.pki, { id: 'ferry://gateway/gw2', name: 'gw2' });
  const hop1Data = join(dir, 'hop1-data');
  const { vkeyPath } = await initGatewayKeys(hop1Data, setup.name);
  const hop2Data = join(dir, 'hop2-data');
  const hop2Keys = await initGatewayKeys(hop2Data, 'gw2');
  const hop2 = {
    ...base, name: 'gw2', data_dir: hop2Data,
    tls: { ...base.tls, cert: gw2.certPath, key: gw2.keyPath },
    networks: { transit: { listen: '127.0.0.1:0' }, extranet: { listen: '127.0.0.1:0' } },
    admin: { listen: '127.0.0.1:0' },
    peers: { [setup.name]: { networks: ['police'], key: vkeyPath } },
  };
  const hop2Path = join(dir, 'hop2.yaml');
  await writeFile(hop2Path, stringify(hop2));
  const hop1 = {
    ...base, data_dir: hop1Data,
    networks: { police: { listen: '127.0.0.1:0' }, transit: { listen: '127.0.0.1:0' } },
    admin: { listen: '127.0.0.1:0' },
    destinations: undefined,
    routes: { extranet: { via: 'gw2', url: 'https://127.0.0.1:0', key: hop2Keys.vkeyPath } },
  };
  delete hop1.destinations;
  const hop1Path = join(dir, 'hop1.yaml');
  await writeFile(hop1Path, stringify(hop1));
  return { hop1: hop1Path, hop2: hop2Path };
}

async function measure(o: HopsOptions, police: number): Promise<{ bigMs: number; smallMs: number; p50: number }> {
  const url = `https://127.0.0.1:${police}`;
  const big = await send(o.setup, ['big', url, o.size]);
  const bigAt = await arrivals(o.sink, [big.id as string]);
  const small = await send(o.setup, ['small', url, o.small, 4096, 16]);
  const smallAt = await arrivals(o.sink, small.ids as string[]);
  const times = [...(small.times as number[])].sort((a, b) => a - b);
  return { bigMs: bigAt - (big.start as number), smallMs: smallAt - (small.start as number), p50: times[Math.floor(times.length / 2)]! };
}

export async function runHops(o: HopsOptions): Promise<void> {
  console.log(`Ferry multi-hop benchmark — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`every gateway, the sender and the sink in its own process on 127.0.0.1; the gateways share these ${cpus().length} cores\n`);
  const one = await startGateway(o.setup.config, o.children);
  const r1 = await measure(o, one.ports.police!);
  await stop(one.child);

  const { hop1, hop2 } = await writeChain(o);
  const g2 = await startGateway(hop2, o.children);
  await writeFile(hop1, (await readFile(hop1, 'utf8')).replace('https://127.0.0.1:0', `https://127.0.0.1:${g2.ports.transit}`));
  const g1 = await startGateway(hop1, o.children);
  const r2 = await measure(o, g1.ports.police!);
  await Promise.all([stop(g1.child), stop(g2.child)]);

  const GiB = o.size / 2 ** 30;
  const label = GiB >= 1 ? `${GiB.toFixed(0)} GiB` : `${(o.size / 2 ** 20).toFixed(0)} MiB`;
  console.log(`                          one ${label} file, end to end     ${o.small} × 4 KiB, 16 at a time: end to end   files/s   p50 to 202`);
  for (const [name, r] of [['one hop', r1], ['two hops', r2]] as const) {
    console.log(`  ${name.padEnd(22)}  ${`${(r.bigMs / 1000).toFixed(1)} s`.padStart(10)} (${(o.size / 1e6 / (r.bigMs / 1000)).toFixed(0).padStart(4)} MB/s)   ${`${(r.smallMs / 1000).toFixed(1)} s`.padStart(26)}   ${(o.small / (r.smallMs / 1000)).toFixed(0).padStart(7)}   ${`${r.p50.toFixed(1)} ms`.padStart(10)}`);
  }
  console.log(`  two hops / one hop      ${(r2.bigMs / r1.bigMs).toFixed(2).padStart(10)} × time${''.padStart(13)}${(r2.smallMs / r1.smallMs).toFixed(2).padStart(26)} × time`);
  console.log(`\nThe two gateways of the chain share the machine's ${cpus().length} cores with the sender and the sink.`);
}
