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
// gateway there and nothing on the other network. The namespaces are gone
// afterwards.

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
});
