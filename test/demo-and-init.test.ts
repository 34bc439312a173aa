// What the README promises a newcomer: `npm start` (ferry demo) runs a working
// demo, and `ferry init DIR` writes a setup whose gateway.yaml starts.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';

const run = promisify(execFile);
const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

t.test('ferry demo sends, refuses with reasons, delivers, and verifies the log', async (t) => {
  const { stdout } = await run(process.execPath, [FERRY, 'demo'], { timeout: 120_000 });
  t.match(stdout, /季度统计\.csv\s+extranet\/archive\s+internal\s+202 accepted, receipt verified/, 'a clean file is accepted with a verified receipt');
  t.match(stdout, /minutes\.txt.*422 FERRY_CONTENT_DENIED\s+deny-classified-marking/, 'a classified marking is refused with its rule');
  t.match(stdout, /roster\.csv.*deny-personal-data · personal-data\/cn-resident-id 110\*+/, 'personal data is refused, the id masked');
  t.notMatch(stdout, /11010519491231002/, 'the raw resident id never appears');
  t.match(stdout, /invoice\.pdf.*deny-type-mismatch/, 'an executable posing as a PDF is refused');
  t.match(stdout, /pushed to extranet\/archive: 季度统计\.csv/);
  t.match(stdout, /pulled by extranet\/portal: notice\.txt/);
  t.match(stdout, /ok: \d+ records, \d+ checkpoints, [1-9]\d* signatures checked/, 'the audit log verifies with the gateway key');
});

t.test('ferry init writes a setup whose config is valid', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-init-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const target = join(dir, 'dev');
  const { stdout } = await run(process.execPath, [FERRY, 'init', target, '--port-base', '18443']);
  t.match(stdout, /ferry gateway --config .*gateway\.yaml/, 'prints how to start the gateway');
  t.match(stdout, /ferry send .* --to extranet\/portal --gateway https:\/\/127\.0\.0\.1:18443/, 'and how to send');
  t.match(stdout, /ferry receive --out/, 'and how to receive');
  t.equal(((await stat(join(target, 'pki', 'ca.key'))).mode & 0o777), 0o600, 'the CA key is 0600');
  t.match(await readFile(join(target, '.gitignore'), 'utf8'), /^pki\/\*\.key$/m, 'a .gitignore keeps the keys out of version control');
  const check = await run(process.execPath, [FERRY, 'gateway', '--config', join(target, 'gateway.yaml'), '--check']);
  t.match(check.stdout, /ok/, 'the written gateway.yaml validates');
  const bad = await run(process.execPath, [FERRY, 'init', target]).catch((e: { code: number; stderr: string }) => e);
  t.not((bad as { code?: number }).code ?? 0, 0, 'init refuses to overwrite an existing PKI');
});

t.test('a bad gateway.yaml exits 2 naming file, line and problem', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-badcfg-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const { writeFile } = await import('node:fs/promises');
  const cfg = join(dir, 'gateway.yaml');
  await writeFile(cfg, 'name: gw1\ndata_dir: ./data\ntls: { ca: a, cert: b, key: c }\nnetworks:\n  police:\n    listen: 127.0.0.1:8443\n    lisen: typo\n  extranet:\n    listen: 127.0.0.1:8443\n');
  const r = await run(process.execPath, [FERRY, 'gateway', '--config', cfg]).catch((e: { code: number; stderr: string }) => e);
  t.equal((r as { code: number }).code, 2);
  t.match((r as { stderr: string }).stderr, /gateway\.yaml:7:5: error: unknown field 'lisen'/, 'an unknown field, with its line and column');
});

t.test('a zero timeout or retry delay is refused, with its line', async (t) => {
  const { parseGatewayConfig, ConfigError } = await import('../gateway/config/gateway-config.js');
  const text = 'name: gw1\ndata_dir: ./d\ntls: { ca: a, cert: b, key: c }\nnetworks:\n  police: { listen: "127.0.0.1:0" }\n  extranet: { listen: "127.0.0.1:0" }\ndelivery:\n  retry_initial: 0s\nlimits:\n  idle_timeout: 0\n';
  try {
    parseGatewayConfig(text, '/x/gateway.yaml');
    t.fail('accepted');
  } catch (e) {
    t.ok(e instanceof ConfigError);
    t.match((e as Error).message, /gateway\.yaml:8:\d+: error: 'delivery\.retry_initial' must be at least 10 ms/);
    t.match((e as Error).message, /gateway\.yaml:10:\d+: error: 'limits\.idle_timeout' must be at least 100 ms/);
  }
});
