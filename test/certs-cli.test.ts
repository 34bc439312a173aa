// `ferry certs …` end to end, as a child process of the built program.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function ferry(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [FERRY, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

t.test('init, issue and show', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'ferry-certs-cli-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, 'pki');
  const env = { FERRY_TEST_CA_PASS: 'a long passphrase' };

  const init = await ferry(['certs', 'init', '--dir', dir, '--name', 'Bureau CA', '--passphrase-env', 'FERRY_TEST_CA_PASS'], env);
  t.equal(init.code, 0, init.stderr);
  t.match(init.stdout, /CA certificate .*ca\.crt/);
  t.notMatch(init.stdout + init.stderr, /a long passphrase/, 'the passphrase is never printed');
  t.equal((await stat(join(dir, 'ca.key'))).mode & 0o777, 0o600);
  t.match(await readFile(join(dir, 'ca.key'), 'utf8'), /ENCRYPTED PRIVATE KEY/);

  const again = await ferry(['certs', 'init', '--dir', dir]);
  t.not(again.code, 0, 'second init fails');
  t.match(again.stderr, /already exists/);

  const sys = await ferry(['certs', 'issue', '--dir', dir, '--id', 'ferry://police/sys1', '--name', 'sys1', '--days', '30', '--passphrase-env', 'FERRY_TEST_CA_PASS'], env);
  t.equal(sys.code, 0, sys.stderr);
  t.match(sys.stdout, /identity\s+ferry:\/\/police\/sys1/);
  t.equal((await stat(join(dir, 'sys1.key'))).mode & 0o777, 0o600);

  const gw = await ferry(['certs', 'issue', '--dir', dir, '--id', 'ferry://gateway/gw1', '--name', 'gw1', '--dns', 'gw1.internal', '--dns', 'gw1.example.org', '--ip', '10.0.0.5', '--passphrase-env', 'FERRY_TEST_CA_PASS'], env);
  t.equal(gw.code, 0, gw.stderr);
  const gx = new X509Certificate(await readFile(join(dir, 'gw1.crt')));
  t.equal(gx.subjectAltName, 'URI:ferry://gateway/gw1, DNS:localhost, DNS:gw1.internal, DNS:gw1.example.org, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.0.0.5');

  const show = await ferry(['certs', 'show', join(dir, 'sys1.crt')]);
  t.equal(show.code, 0, show.stderr);
  t.match(show.stdout, /identity\s+ferry:\/\/police\/sys1/);
  t.match(show.stdout, /issuer\s+CN=Bureau CA/);
  t.match(show.stdout, /sha256\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);

  const json = await ferry(['certs', 'show', join(dir, 'gw1.crt'), '--json']);
  t.equal(json.code, 0, json.stderr);
  const summary = JSON.parse(json.stdout) as Record<string, unknown>;
  t.equal(summary.identity, 'ferry://gateway/gw1');
  t.equal(summary.kind, 'gateway');
  t.same(summary.extKeyUsage, ['serverAuth', 'clientAuth']);
  t.equal(summary.sha256, gx.fingerprint256);
  t.equal(summary.serial, gx.serialNumber.toLowerCase().replace(/^00/, ''));

  const issued = (await readFile(join(dir, 'issued.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string });
  t.same(issued.map((r) => r.id), ['ferry://police/sys1', 'ferry://gateway/gw1']);
});

t.test('refusals: a sentence on stderr and a non-zero exit', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'ferry-certs-cli-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, 'pki');
  t.equal((await ferry(['certs', 'init', '--dir', dir, '--passphrase-env', 'P'], { P: 'pw' })).code, 0);

  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [['certs', 'issue', '--dir', dir, '--id', 'ferry://Police/x', '--name', 'x', '--passphrase-env', 'P'], { P: 'pw' }, /is not a ferry identity/],
    [['certs', 'issue', '--dir', dir, '--id', 'ferry://police/x', '--name', 'x'], {}, /encrypted; give its passphrase/],
    [['certs', 'issue', '--dir', dir, '--id', 'ferry://police/x', '--name', 'x', '--passphrase-env', 'P'], { P: 'nope' }, /passphrase is wrong/],
    [['certs', 'issue', '--dir', dir, '--id', 'ferry://police/x', '--name', 'x', '--passphrase-env', 'UNSET_VAR_FOR_TEST'], {}, /UNSET_VAR_FOR_TEST .*not set/],
    [['certs', 'issue', '--dir', dir, '--id', 'ferry://police/x', '--name', 'x', '--days', 'ten', '--passphrase-env', 'P'], { P: 'pw' }, /whole number of days/],
    [['certs', 'issue', '--dir', join(root, 'nowhere'), '--id', 'ferry://police/x', '--name', 'x'], {}, /No CA in/],
    [['certs', 'issue', '--dir', dir, '--name', 'x'], {}, /--id/],
    [['certs', 'show', join(dir, 'ca.key')], {}, /not a PEM or DER X\.509 certificate/],
    [['certs', 'show', join(dir, 'missing.crt')], {}, /no such file/],
  ];
  for (const [args, env, err] of cases) {
    const r = await ferry(args, env);
    t.not(r.code, 0, args.join(' '));
    t.match(r.stderr, err, args.join(' '));
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  t.same((await readFile(join(dir, 'issued.jsonl'), 'utf8').catch(() => '')), '', 'nothing was issued');
});

t.test('every certs command has help with an example', async (t) => {
  for (const cmd of [['certs'], ['certs', 'init'], ['certs', 'issue'], ['certs', 'show']]) {
    const r = await ferry([...cmd, '--help']);
    t.equal(r.code, 0, cmd.join(' '));
    t.match(r.stdout, /Examples?:\n[^\n]*ferry certs/, `${cmd.join(' ')} --help shows an example`);
  }
});

t.test('certs issue and show in Chinese: the labels translated and aligned, the values as they are', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'ferry-certs-zh-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const dir = join(root, 'pki');
  const zh = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
  t.equal((await ferry(['certs', 'init', '--dir', dir, '--name', 'Bureau CA'], zh)).code, 0);
  const issued = await ferry(['certs', 'issue', '--dir', dir, '--id', 'ferry://police/sys1', '--name', 'sys1'], zh);
  t.equal(issued.code, 0, issued.stderr);
  t.match(issued.stdout, /^身份 {6}ferry:\/\/police\/sys1$/m, 'the value starts two columns after the widest label (有效期至)');
  t.match(issued.stdout, /^私钥 {6}.*sys1\.key（权限 0600）$/m);
  const show = await ferry(['certs', 'show', join(dir, 'sys1.crt')], zh);
  t.equal(show.code, 0, show.stderr);
  t.match(show.stdout, /^签发者 {8}CN=Bureau CA$/m);
  t.match(show.stdout, /^SHA-256 指纹 {2}([0-9A-F]{2}:){31}[0-9A-F]{2}$/m);
  t.notMatch(show.stdout, /\b(subject|issuer|identity|valid to)\b/, 'no English label left');
});
