import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILTIN_TOPOLOGIES } from '../simulator/cli.js';
import { parseTopology, TopologyError } from '../simulator/topology.js';
import { generateItems } from '../simulator/workload.js';

// The topology validator: every problem with file:line:col, and routes and
// peers derived where the answer is unambiguous.

function problems(text: string): string[] {
  try {
    parseTopology(text, '/x/topo.yaml');
  } catch (err) {
    if (err instanceof TopologyError) return err.message.split('\n');
    throw err;
  }
  return [];
}

const BASE = `name: t
networks: [police, extranet, social]
gateways:
  gw-a: { borders: [police, extranet] }
  gw-b: { borders: [extranet, social] }
systems:
  police/records: {}
  social/benefits: { receive: push }
  extranet/portal: { receive: pull }
workloads:
  - { from: police/records, to: social/benefits, files: { count: 2 } }
`;

t.test('a valid topology loads, with routes and peers derived', async (t) => {
  const topo = parseTopology(BASE, '/x/topo.yaml');
  t.same([...topo.routes.routesOf('gw-a')], [['social', 'gw-b']]);
  t.same([...topo.routes.routesOf('gw-b')], [['police', 'gw-a']]);
  t.same([...topo.routes.peersOf('gw-b')], [['gw-a', ['police']]], 'gw-a speaks for police towards gw-b');
  t.same(topo.workloads[0]!.path, ['gw-a', 'gw-b'], 'two boundaries');
  t.equal(topo.links.length, 4, 'one link per gateway and bordered network');
});

t.test('schema problems point at the line and column', async (t) => {
  const p = problems(BASE.replace('gw-a: { borders: [police, extranet] }', 'gw-a: { borders: [police, extranet], colour: red }'));
  t.match(p[0], /^\/x\/topo\.yaml:4:40: error: unknown field 'colour'/);
  const q = problems(BASE.replace('files: { count: 2 }', 'files: { count: -1 }'));
  t.match(q[0], /^\/x\/topo\.yaml:11:\d+: error: 'workloads\.0\.files\.count' must be >= 0/);
});

t.test('what a schema cannot say, said with lines', async (t) => {
  const text = BASE + `links:
  - { gateway: gw-a, network: social, latency: 5ms }
faults:
  - { kind: kill, target: gw-zz, at: 1s, for: 1s }
  - { kind: cut, target: gw-a/police, for: 1s }
  - { kind: down, target: police/records, at: 2s, for: 1s }
  - { kind: clamd, target: gw-a, at: 2s, for: 1s }
`;
  const p = problems(text.replace('to: social/benefits, files: { count: 2 } }', 'to: social/benefits, files: { count: 2 }, refuse: { malware: 0.5 } }\n  - { from: police/records, to: extranet/nobody, files: { count: 1 } }'));
  const has = (re: RegExp, what: string) => t.ok(p.some((l) => re.test(l)), what, { problems: p });
  has(/topo\.yaml:11:\d+: error: malware test files need an antivirus: gateway 'gw-a'/, 'malware without clamd');
  has(/topo\.yaml:12:\d+: error: no system 'extranet\/nobody'/, 'unknown destination');
  has(/topo\.yaml:14:\d+: error: gateway 'gw-a' does not border 'social'; a link joins/, 'link on a network not bordered');
  has(/topo\.yaml:16:\d+: error: no gateway 'gw-zz' to kill/, 'kill of no gateway');
  has(/topo\.yaml:17:\d+: error: a fault happens either 'at' a time or 'after_bytes'/, 'fault with no time');
  has(/topo\.yaml:18:\d+: error: 'police\/records' is not a receiving system/, 'down of a sender');
  has(/topo\.yaml:19:\d+: error: gateway 'gw-a' does not run clamd/, 'clamd fault without clamd');
  has(/topo\.yaml:11:\d+: error: malware test files need an antivirus: gateway 'gw-b'/, 'both gateways of the path named');
  t.equal(p.length, 8, 'nothing else');
});

t.test('a route through the gateway itself, or to a gateway sharing no network, is refused', async (t) => {
  const p = problems(BASE.replace('gw-a: { borders: [police, extranet] }', 'gw-a: { borders: [police, extranet], routes: { social: { via: gw-a } } }'));
  t.match(p.join('\n'), /topo\.yaml:4:\d+: error: a route of 'gw-a' cannot go through 'gw-a' itself/);
});

t.test('two equally short paths through different gateways need an explicit route', async (t) => {
  const text = BASE.replace('  gw-b: { borders: [extranet, social] }\n', '  gw-b: { borders: [extranet, social] }\n  gw-c: { borders: [extranet, social] }\n');
  t.match(problems(text).join('\n'), /topo\.yaml:12:\d+: error: no single gateway path from 'police' to 'social'/);
  const fixed = parseTopology(text.replace('gw-a: { borders: [police, extranet] }', 'gw-a: { borders: [police, extranet], routes: { social: { via: gw-c } } }'), '/x/topo.yaml');
  t.same(fixed.workloads[0]!.path, ['gw-a', 'gw-c']);
});

t.test('the workload is seeded: the same seed gives the same items', async (t) => {
  const text = BASE.replace('files: { count: 2 }', 'files: { count: 40 }, refuse: { classified: 0.1, personal_data: 0.1, executable: 0.1, zip_bomb: 0.1 }');
  const topo = parseTopology(text, '/x/topo.yaml');
  const a = generateItems(topo, 5).map((i) => `${i.id}:${i.sha256}`);
  t.same(generateItems(topo, 5).map((i) => `${i.id}:${i.sha256}`), a);
  t.not(generateItems(topo, 6).map((i) => `${i.id}:${i.sha256}`).join(), a.join());
  t.equal(new Set(a.map((x) => x.split(':')[1])).size, 40, 'every item has content of its own');
  t.equal(generateItems(topo, 5).filter((i) => i.expect === 'refused').length, 16, 'the shares are honoured');
});

t.test('every built-in topology is valid', async (t) => {
  for (const f of (await readdir(BUILTIN_TOPOLOGIES)).filter((x) => x.endsWith('.yaml'))) {
    const path = join(BUILTIN_TOPOLOGIES, f);
    const text = await readFile(path, 'utf8');
    t.doesNotThrow(() => parseTopology(text, path), f);
  }
});
