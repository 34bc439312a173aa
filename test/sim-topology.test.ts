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

t.test('a policy file that is not there is said at its line, before anything starts (a copied topology\'s relative path)', async (t) => {
  const p = problems(BASE.replace('gw-a: { borders: [police, extranet] }', 'gw-a: { borders: [police, extranet], policy: ../../policies/examples/default.yaml }'));
  t.match(p.join('\n'), /topo\.yaml:4:\d+: error: gateway 'gw-a': no policy file at \/policies\/examples\/default\.yaml \(a path is relative to the topology file\)/);
  t.equal(p.length, 1);
  const builtin = parseTopology(await readFile(join(BUILTIN_TOPOLOGIES, 'two-networks.yaml'), 'utf8'), join(BUILTIN_TOPOLOGIES, 'two-networks.yaml'));
  t.ok(builtin.gateways[0]!.policy, 'in place, the built-in two-networks finds its policy file');
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

// Issue 10 (Simplified Chinese): a topology's problems in the reader's language.
const BROKEN = BASE.replace('to: social/benefits, files: { count: 2 } }', 'to: social/benefits, files: { count: 2 }, refuse: { malware: 0.5 } }\n  - { from: police/records, to: extranet/nobody, files: { count: 1 } }') + `links:
  - { gateway: gw-a, network: social, latency: 5ms }
faults:
  - { kind: kill, target: gw-zz, at: 1s, for: 1s }
  - { kind: cut, target: gw-a/police, for: 1s }
`;
const CJK = /[\u4e00-\u9fff]/;

t.test('every problem after the schema has a key whose English sentence is the message, and a Chinese one', async (t) => {
  const { problemSentence } = await import('../i18n/problem-text.js');
  const all = [];
  for (const text of [
    BROKEN,
    BASE.replace('gw-a: { borders: [police, extranet] }', 'gw-a: { borders: [police, extranet, mars], routes: { social: { via: gw-a } } }'),
    BASE.replace('gw-a: { borders: [police, extranet] }', 'gw-a: { borders: [police, extranet], colour: red }'),
    BASE.replace('  gw-b: { borders: [extranet, social] }\n', '  gw-b: { borders: [extranet, social] }\n  gw-c: { borders: [extranet, social] }\n'),
  ]) {
    try {
      parseTopology(text, '/x/topo.yaml');
    } catch (err) {
      if (!(err instanceof TopologyError)) throw err;
      all.push(...err.problems);
    }
  }
  t.ok(all.length >= 8, `${all.length} problems`);
  t.ok(all.some((p) => p.key === 'topology.ambiguous'), 'an ambiguous path among them (a list of gateways)');
  for (const p of all) {
    t.ok(p.key, `a key: ${p.message}`);
    t.equal(problemSentence(p.key!, p.params ?? {}, 'en'), p.message, `en catalogue: ${p.key}`);
    const zh = problemSentence(p.key!, p.params ?? {}, 'zh-CN');
    t.ok(CJK.test(zh) && !/\{\{/.test(zh), `zh: ${zh}`);
  }
});

t.test('ferry sim check under LANG=zh_CN.UTF-8: Chinese sentences at the same file:line:col', async (t) => {
  const [{ mkdtemp, rm, writeFile }, { tmpdir }, { runFerry }] = await Promise.all([import('node:fs/promises'), import('node:os'), import('./helpers/ferry-process.js')]);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-topo-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'topo.yaml');
  await writeFile(file, BROKEN);
  const env = { LC_ALL: '', LC_MESSAGES: '' };
  const [zh, en] = await Promise.all([runFerry(['sim', 'check', file], { env: { ...env, LANG: 'zh_CN.UTF-8' } }), runFerry(['sim', 'check', file], { env: { ...env, LANG: 'C' } })]);
  t.equal(zh.code, 2, 'exits 2');
  t.equal(en.code, 2, 'exits 2 in English too');
  const zl = zh.stderr.trim().split('\n');
  const el = en.stderr.trim().split('\n');
  const prefix = (l: string) => /^(.*?:\d+:\d+: error: )/.exec(l)?.[1];
  t.equal(zl.length, el.length, `${el.length} problems each`);
  t.same(zl.map(prefix), el.map(prefix), 'the same file:line:col and severity, in order');
  t.ok(el.some((l) => /:11:\d+: error: malware test files need an antivirus: gateway 'gw-a' on this path has no 'clamd: true'$/.test(l)), 'English unchanged');
  t.ok(zl.some((l) => /:11:\d+: error: 恶意软件测试文件需要杀毒引擎：此路径上的网关 'gw-a' 没有设置 'clamd: true'$/.test(l)), 'malware without clamd');
  t.ok(zl.some((l) => /:12:\d+: error: 'systems' 中没有系统 'extranet\/nobody'$/.test(l)), 'unknown system');
  t.ok(zl.some((l) => /:16:\d+: error: 没有可 kill 的网关 'gw-zz'$/.test(l)), 'kill of no gateway');
  t.ok(zl.every((l) => prefix(l) && CJK.test(l.slice(prefix(l)!.length))), 'every sentence in Chinese');
});
