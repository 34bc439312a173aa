// Regression (issue 10, broken 3): `ferry gateway --check` passed
// configurations that then failed at start. It now loads what a start loads,
// and a start refuses the same things (each case a real child process).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { gatewayYaml, type Tap } from './helpers/gateway-fixture.js';
import { runFerry } from './helpers/ferry-process.js';
import { makePki, type TestPki } from './helpers/pki.js';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';

async function setup(t: Tap, edit: (yaml: string, pki: TestPki, dir: string) => string = (y) => y): Promise<{ pki: TestPki; dir: string; config: string }> {
  const pki = await makePki();
  const dir = await mkdtemp(join(tmpdir(), 'ferry-check-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY, 'utf8'));
  const config = join(dir, 'gateway.yaml');
  await writeFile(config, edit(gatewayYaml(pki, dir, { destinationPort: 9 }), pki, dir));
  return { pki, dir, config };
}

t.test('--check refuses what a start would refuse, and a start refuses it too', async (t) => {
  const pki = await makePki();
  const cases: Array<[string, (y: string, pki: TestPki, dir: string) => string | Promise<string>, RegExp]> = [
    ['missing key file', (y, p) => y.replace(p.gateway('gw1').keyPath, '/nonexistent/gw1.key'), /tls\.key: cannot read \/nonexistent\/gw1\.key/],
    ['missing policy file', (y, _p, d) => y.replace(join(d, 'policy.yaml'), join(d, 'missing.yaml')), /policy: .*missing\.yaml.*no such file/],
    ['policy that does not load', async (y, _p, d) => {
      await writeFile(join(d, 'broken.yaml'), 'policy: broken\nrules: 7\n');
      return y.replace(join(d, 'policy.yaml'), join(d, 'broken.yaml'));
    }, /policy: .*broken\.yaml:\d+:\d+: /],
    ['no policy', (y) => y.replace(/^policy: .*$/m, ''), /no policy file is configured/],
    ['certificate of another gateway', (y, p) => y.replace(p.gateway('gw1').certPath, p.gateway('gw2').certPath).replace(p.gateway('gw1').keyPath, p.gateway('gw2').keyPath), /tls\.cert: the certificate is for ferry:\/\/gateway\/gw2, but this gateway is named 'gw1'/],
    ['certificate and key that do not match', (y, p) => y.replace(p.gateway('gw1').keyPath, p.gateway('gw2').keyPath), /tls\.key: .* is not the key of the certificate/],
    ['CA file that is not a certificate', (y) => y.replace(pki.caCertPath, pki.caKeyPath), /tls\.ca: .* holds no PEM certificate/],
    ['CA file that is a leaf certificate', (y, p) => y.replace(pki.caCertPath, p.system('ferry://police/sys1').certPath), /tls\.ca: .* but not a CA certificate/],
  ];
  // Each case is a child process; --check runs of four cases at a time keep the file within its time bound on a loaded machine.
  const prepared = await Promise.all(cases.map(async ([name, edit, expected]) => {
    const { dir, config } = await setup(t, (y) => y);
    await writeFile(config, await edit(await readFile(config, 'utf8'), pki, dir));
    return { name, expected, dir, config };
  }));
  for (let i = 0; i < prepared.length; i += 4) {
    const batch = prepared.slice(i, i + 4);
    const runs = await Promise.all(batch.map((c) => runFerry(['gateway', '--check', '--config', c.config])));
    batch.forEach((c, j) => {
      const check = runs[j]!;
      t.equal(check.code, 2, `--check: ${c.name}: exits 2`);
      t.match(check.stderr, c.expected, `--check: ${c.name}: says why`);
      t.notMatch(check.stdout, /ok/, `--check: ${c.name}: does not say ok`);
    });
  }
  // A start runs the same preflight; two cases prove it (each start is a process).
  for (const c of prepared.filter((p) => /no policy|another gateway/.test(p.name))) {
    const start = await runFerry(['gateway', '--config', c.config]);
    t.equal(start.code, 2, `start: ${c.name}: exits 2`);
    t.match(start.stderr, c.expected, `start: ${c.name}: the same reason`);
    t.notOk(existsSync(join(c.dir, 'data')), `start: ${c.name}: data directory untouched`);
  }
  const { config } = await setup(t);
  const good = await runFerry(['gateway', '--check', '--config', config]);
  t.equal(good.code, 0, 'a good configuration passes');
  t.match(good.stdout, /: ok$/m);
});


// Issue 10 (Simplified Chinese): a configuration's problems in the reader's language, at the same place.
t.test('LANG=zh_CN.UTF-8: --check and a start say a broken configuration in Chinese, file:line:col and severity unchanged', async (t) => {
  const CJK = /[\u4e00-\u9fff]/;
  const prefix = (l: string) => /^(.*?:\d+:\d+: error: )/.exec(l)?.[1];
  const schema = await setup(t, (y) => `${y.replace('extranet: { listen: "127.0.0.1:0" }', 'extranet: { listen: "nowhere" }')}colour: red\n`);
  const after = await setup(t, (y) => y.replace('retry_initial: 50ms, retry_max: 400ms', 'retry_initial: 5s, retry_max: 400ms').replace('audit: { checkpoint_every: 100', 'audit: { retention: 30d, checkpoint_every: 100'));
  const zhEnv = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
  const enEnv = { LANG: 'C', LC_ALL: '', LC_MESSAGES: '' };
  const [zs, es, za, ea, start] = await Promise.all([
    runFerry(['gateway', '--check', '--config', schema.config], { env: zhEnv }),
    runFerry(['gateway', '--check', '--config', schema.config], { env: enEnv }),
    runFerry(['gateway', '--check', '--config', after.config], { env: zhEnv }),
    runFerry(['gateway', '--check', '--config', after.config], { env: enEnv }),
    runFerry(['gateway', '--config', after.config], { env: zhEnv }),
  ]);
  for (const [name, zh, en] of [['schema', zs, es], ['after the schema', za, ea]] as const) {
    t.equal(zh.code, 2, `${name}: exits 2`);
    t.equal(en.code, 2, `${name}: exits 2 in English`);
    const zl = zh.stderr.trim().split('\n');
    const el = en.stderr.trim().split('\n');
    t.same(zl.map(prefix), el.map(prefix), `${name}: the same file:line:col and severity, in order`);
    t.ok(zl.every((l) => prefix(l) && CJK.test(l.slice(prefix(l)!.length))), `${name}: every sentence in Chinese`);
  }
  t.match(es.stderr, /:6:23: error: 'networks\.extranet\.listen' must be an address and port such as "127\.0\.0\.1:8443" or "\[::1\]:8443" \(not "nowhere"\)/, 'English unchanged');
  t.match(zs.stderr, /:6:23: error: 'networks\.extranet\.listen' 必须是地址加端口，例如 "127\.0\.0\.1:8443" 或 "\[::1\]:8443"（而不是 "nowhere"）/, 'a schema description in Chinese');
  t.match(zs.stderr, /:16:1: error: 文档 中有未知字段 'colour'/, 'unknown field');
  t.match(za.stderr, /:14:\d+: error: 'delivery\.retry_max' 不能小于 'delivery\.retry_initial'/, 'a check after the schema');
  t.match(za.stderr, /:15:\d+: error: 'audit\.retention' 至少为 180 天/, 'the retention floor');
  t.equal(start.code, 2, 'a start refuses it: exits 2');
  t.equal(start.stderr, za.stderr, 'a start says the same as --check');
  t.notOk(existsSync(join(after.dir, 'data')), 'data directory untouched');
});
