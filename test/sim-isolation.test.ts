import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { requires } from './helpers/requires.js';

// Isolation mode: as root with `ip netns`, every network is a namespace and
// the gateway is dual-homed into both; a system on one network reaches the
// gateway there and nothing on the other network. Where the kernel offers
// tbf and htb, a link's bandwidth is shaped by them in the network's
// namespace (a degrade fault changes it there), and the report says so. The
// namespaces are gone afterwards, also when the run is interrupted.

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

const TOPOLOGY = `name: t-isolated
seed: 5
drain_timeout: 90s
networks: [police, extranet]
gateways:
  gw1: { borders: [police, extranet], policy: ${EXAMPLE_POLICY} }
systems:
  police/records: {}
  extranet/archive: { receive: push }
  extranet/portal: { receive: pull }
links:
  - { gateway: gw1, network: extranet, latency: 5ms, bandwidth: 4MiB/s }
faults:
  - { kind: degrade, target: gw1/extranet, at: 1s, for: 1s, bandwidth: 1MiB/s }
workloads:
  - { from: police/records, to: extranet/archive, files: { count: 8, rate: 4/s, sizes: [{ size: 8KiB }] }, refuse: { classified: 0.25 } }
  - { from: police/records, to: extranet/portal, messages: { channel: notes, count: 4, rate: 4/s } }
expect: { lost: 0, false_accept: 0 }
`;

t.test('isolation mode: a namespace per network, the gateway dual-homed, nothing else crosses', { skip: requires('netns') }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-sim-iso-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'topology.yaml'), TOPOLOGY);
  const report = join(dir, 'report');
  const child = spawn(process.execPath, [FERRY, 'sim', 'run', join(dir, 'topology.yaml'), '--report', report, '--isolation', 'on'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  t.equal(code, 0, out.slice(-3000));
  const r = JSON.parse(await readFile(join(report, 'report.json'), 'utf8'));
  t.equal(r.mode.name, 'netns', 'the report says which mode ran');
  t.equal(r.verdict, 'valid');
  t.equal(r.counts.lost, 0);
  t.equal(r.counts.delivered, 6 + 4);
  const probes = r.isolation.probes as Array<{ from: string; to: string; expect: string; ok: boolean }>;
  t.ok(probes.length >= 6, 'probed from every network');
  t.ok(probes.filter((p) => p.expect === 'reach').every((p) => p.ok), 'from each network, its gateway answers');
  t.ok(probes.filter((p) => p.expect === 'blocked').every((p) => p.ok), 'and nothing on the other network is reachable, the gateway\'s other side included');
  t.ok(probes.some((p) => p.from === 'police' && p.to === 'gw1 on extranet' && p.expect === 'blocked'));
  const plan = JSON.parse(await readFile(join(report, 'netns-plan.json'), 'utf8'));
  const { stdout } = await promisify(execFile)('ip', ['netns', 'list']);
  t.notMatch(stdout, new RegExp(`^${plan.prefix}-`, 'm'), 'every namespace the run made is gone');

  // What shaped each link.
  const links = new Map((r.links as Array<{ id: string; shaped_by: string; measured: { peak_from: Record<'up' | 'down', string> }; kernel: null | Record<'up' | 'down', null | { qdisc: string; ns: string; sent_bytes?: number }> }>).map((l) => [l.id, l]));
  const shaped = links.get('gw1/extranet')!;
  const unshaped = links.get('gw1/police')!;
  t.equal(unshaped.kernel, null, 'a link without a bandwidth has no qdisc');
  t.match(unshaped.shaped_by, /no bandwidth limit/);
  const qdiscs = plan.qdiscs as string[];
  if (!qdiscs.includes('tbf') && !qdiscs.includes('htb')) {
    t.comment(`this kernel offers neither tbf nor htb (${qdiscs.join(', ') || 'no qdisc'}): the link proxies shaped the bandwidth, and kernel shaping was not tested`);
    t.equal(shaped.kernel, null);
    t.match(shaped.shaped_by, /proxy/);
  } else {
    t.match(shaped.shaped_by, /bandwidth in the kernel/, 'the report says the kernel shaped the bandwidth');
    for (const [dir, qdisc] of [['up', 'tbf'], ['down', 'htb']] as const) {
      if (!qdiscs.includes(qdisc)) continue;
      const k = shaped.kernel![dir]!;
      t.equal(k.qdisc, qdisc, `${dir}: a ${qdisc}`);
      t.equal(k.ns, plan.networks.extranet.ns, `${dir}: in the extranet's namespace, between the systems and the gateway`);
      t.ok((k.sent_bytes ?? 0) > 0, `${dir}: the link's traffic went through the ${qdisc} (${k.sent_bytes} bytes)`);
      t.equal(shaped.measured.peak_from[dir], qdisc, `${dir}: the measured peak is the ${qdisc}'s own count`);
    }
  }
  const degrade = (r.faults.timeline as Array<{ kind: string; phase: string; failed?: boolean; detail: string }>).filter((e) => e.kind === 'degrade');
  t.same(degrade.map((e) => e.phase), ['start', 'end'], 'the degrade fault started and ended');
  t.notOk(degrade.some((e) => e.failed), `tc changed the rate and back: ${degrade.map((e) => e.detail).join('; ')}`);
});

t.test('isolation mode interrupted (SIGTERM): every namespace it made is removed', { skip: requires('netns') }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-sim-iso-int-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'topology.yaml'), TOPOLOGY.replace('count: 8, rate: 4/s', 'count: 200, rate: 4/s'));
  const report = join(dir, 'report');
  const child = spawn(process.execPath, [FERRY, 'sim', 'run', join(dir, 'topology.yaml'), '--report', report, '--isolation', 'on'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  // Interrupted once the workload runs: namespaces, veths, qdiscs and gateways all exist then.
  await new Promise<void>((resolve) => {
    const onData = (d: Buffer) => {
      out += d;
      if (/workload: /.test(out)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => resolve());
  });
  const plan = JSON.parse(await readFile(join(report, 'netns-plan.json'), 'utf8'));
  const before = (await promisify(execFile)('ip', ['netns', 'list'])).stdout;
  t.match(before, new RegExp(`^${plan.prefix}-`, 'm'), 'the run\'s namespaces exist while it runs', { output: out.slice(-2000) });
  child.kill('SIGTERM');
  const code = await exited;
  t.not(code, 0, 'an interrupted run is not a valid one');
  const { stdout } = await promisify(execFile)('ip', ['netns', 'list']);
  t.notMatch(stdout, new RegExp(`^${plan.prefix}-`, 'm'), 'every namespace the run made is gone', { output: out.slice(-2000) });
});
