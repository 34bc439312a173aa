// `ferry certs revoke | crl | renew | show --dir` as an operator runs them, and
// the CRL checked by OpenSSL itself (skipped where openssl is not installed),
// plus the gateway's expiry figures on /metrics and /healthz.
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseCrl } from '../certs/crl.js';
import { stringWidth } from '../i18n/text-width.js';
import { initCa } from '../certs/ca.js';
import { issueCertificate } from '../certs/issue.js';
import { revoke } from '../certs/revoke.js';
import { expiryReport, formatExpiryReport } from '../certs/expiry-report.js';
import { startDestination, startTestGateway } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

const ferryBin = new URL('../bin/ferry.js', import.meta.url).pathname;
const ferry = (...args: string[]) => execFileSync(process.execPath, [ferryBin, ...args], { encoding: 'utf8' });
const ferryFails = (...args: string[]) => spawnSync(process.execPath, [ferryBin, ...args], { encoding: 'utf8' });
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

t.test('revoke, crl, renew and show --dir from the command line', async (t) => {
  const dir = join(await mkdtemp(join(tmpdir(), 'ferry-certs-life-')), 'pki');
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  ferry('certs', 'init', '--dir', dir);
  ferry('certs', 'issue', '--dir', dir, '--id', 'ferry://police/sys1', '--name', 'sys1');
  ferry('certs', 'issue', '--dir', dir, '--id', 'ferry://police/sys2', '--name', 'sys2');
  ferry('certs', 'issue', '--dir', dir, '--id', 'ferry://gateway/gw1', '--name', 'gw1', '--dns', 'gw1.internal');
  const sys1 = new X509Certificate(await readFile(join(dir, 'sys1.crt')));
  const serial1 = sys1.serialNumber.toLowerCase().replace(/^(00)+/, '');

  const out = ferry('certs', 'revoke', '--dir', dir, '--id', 'ferry://police/sys1', '--reason', 'key-compromise');
  t.match(out, new RegExp(`revoked  ${serial1}  ferry://police/sys1`));
  const crl1 = parseCrl(await readFile(join(dir, 'ca.crl')));
  t.equal(crl1.number, 1);
  t.same([...crl1.entries.keys()], [serial1]);
  t.equal(crl1.entries.get(serial1)?.reason, 'key-compromise');
  t.ok(crl1.nextUpdate && crl1.nextUpdate.getTime() - crl1.thisUpdate.getTime() === 7 * 86_400_000, 'next update a week later by default');
  t.equal(((await stat(join(dir, 'ca.crl'))).mode & 0o777), 0o644);

  t.match(ferryFails('certs', 'revoke', '--dir', dir, '--id', 'ferry://police/sys1', '--reason', 'superseded').stderr, /already revoked or expired/);
  t.match(ferryFails('certs', 'revoke', '--dir', dir, '--serial', 'abcdef', '--reason', 'superseded').stderr, /No certificate with serial abcdef/);
  t.match(ferryFails('certs', 'revoke', '--dir', dir, '--id', 'ferry://police/sys2', '--reason', 'lost').stderr, /not a revocation reason/);

  ferry('certs', 'crl', '--dir', dir, '--days', '2');
  const crl2 = parseCrl(await readFile(join(dir, 'ca.crl')));
  t.equal(crl2.number, 2, 'a fresh CRL has the next number');
  t.same([...crl2.entries.keys()], [serial1], 'and still lists what was revoked');

  const renewed = ferry('certs', 'renew', '--dir', dir, '--name', 'gw1');
  const oldGw = /was ([0-9a-f]+)/.exec(renewed)![1]!;
  const gw = new X509Certificate(await readFile(join(dir, 'gw1.crt')));
  t.match(gw.subjectAltName, /URI:ferry:\/\/gateway\/gw1/, 'the same identity');
  t.match(gw.subjectAltName, /DNS:gw1\.internal/, 'the same extra names');
  t.ok(gw.checkPrivateKey((await import('node:crypto')).createPrivateKey(await readFile(join(dir, 'gw1.key')))), 'the key in place belongs to the new certificate');
  t.equal(((await stat(join(dir, 'gw1.key'))).mode & 0o777), 0o600);
  t.equal(((await stat(join(dir, `gw1.${oldGw}.key`))).mode & 0o777), 0o600, 'the old key is kept, still 0600');

  const listing = ferry('certs', 'show', '--dir', dir);
  t.match(listing, /crl +ca\.crl #2 \(1 revoked\)/);
  t.match(listing, new RegExp(`${serial1} .* revoked \\(key-compromise\\)`));
  t.match(listing, new RegExp(`${oldGw} .* superseded`));
  const rows = JSON.parse(ferry('certs', 'show', '--dir', dir, '--json')) as Array<{ what: string; days: number | null; state: string }>;
  t.ok(rows.some((r) => r.what === 'ca' && r.state === 'valid' && (r.days ?? 0) > 3000));
  t.ok(rows.some((r) => r.what === 'crl' && r.state === 'expiring'), 'a CRL due within the warning window is flagged');

});

t.test('show --dir: the state of every certificate, from the CRL and issued.jsonl, in either language', async (t) => {
  const dir = join(await mkdtemp(join(tmpdir(), 'ferry-certs-state-')), 'pki');
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await initCa(dir);
  await issueCertificate(dir, { id: 'ferry://police/ok', name: 'ok', days: 365 });
  await issueCertificate(dir, { id: 'ferry://police/soon', name: 'soon', days: 10 });
  await issueCertificate(dir, { id: 'ferry://police/gone', name: 'gone', days: 1 });
  await issueCertificate(dir, { id: 'ferry://police/bad', name: 'bad', days: 365 });
  await revoke(dir, { id: 'ferry://police/bad', reason: 'key-compromise' });
  // Two days on, 'gone' has expired; the CRL (a week by default) is still current.
  const later = await expiryReport(dir, new Date(Date.now() + 2 * 86_400_000));
  const stateOf = (n: string) => later.find((r) => r.name.startsWith(`${n} `))?.state;
  t.same(['ok', 'soon', 'gone', 'bad'].map(stateOf), ['valid', 'expiring', 'expired', 'revoked'], 'the stable words');
  t.equal(later.find((r) => r.name.startsWith('bad '))?.reason, 'key-compromise');
  const line = (out: string, n: string) => out.split('\n').find((l) => l.includes(`ferry://police/${n}`)) ?? '';
  const stateColumn = (out: string) => new Set(['ok', 'soon', 'gone', 'bad'].map((n) => stringWidth(line(out, n).replace(/ {2}\S+(\s\S+)*$/, ''))));
  const en = formatExpiryReport(later, 'en');
  t.same(['ok', 'soon', 'gone', 'bad'].map((n) => line(en, n).split(/ {2,}/).at(-1)), ['valid', 'expiring soon', 'expired', 'revoked (key-compromise)']);
  const zh = formatExpiryReport(later, 'zh-CN');
  t.same(['ok', 'soon', 'gone', 'bad'].map((n) => line(zh, n).split(/ {2,}/).at(-1)), ['有效', '即将到期', '已过期', '已吊销（key-compromise）'], 'the reason code stays as it is');
  t.equal(stateColumn(zh).size, 1, 'every state starts in one column, counted in terminal cells');

  // The command itself, today, in Chinese; the revocation is read from the CRL too.
  await rm(join(dir, 'revoked.jsonl'), { force: true });
  const out = execFileSync(process.execPath, [ferryBin, 'certs', 'show', '--dir', dir], { encoding: 'utf8', env: { ...process.env, LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
  t.match(out, /^对象 +名称 +序列号 +到期时间 +剩余天数 +状态$/m);
  t.match(out, /ca\.crl #1（已吊销 1 个）/);
  t.match(line(out, 'bad'), / 已吊销（key-compromise）$/, 'revoked by the CRL alone');
  t.match(line(out, 'soon'), / 即将到期$/);
  t.match(line(out, 'ok'), / 有效$/);
  t.notMatch(out, /\b(valid|expiring|revoked)\b/, 'no English state left');
});

t.test('OpenSSL reads the CRL and finds the revoked certificate', { skip: hasOpenssl ? false : 'openssl is not installed' }, async (t) => {
  const dir = join(await mkdtemp(join(tmpdir(), 'ferry-certs-openssl-')), 'pki');
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  ferry('certs', 'init', '--dir', dir);
  ferry('certs', 'issue', '--dir', dir, '--id', 'ferry://police/sys1', '--name', 'sys1');
  ferry('certs', 'issue', '--dir', dir, '--id', 'ferry://police/sys2', '--name', 'sys2');
  ferry('certs', 'revoke', '--dir', dir, '--id', 'ferry://police/sys1', '--reason', 'key-compromise');
  const text = execFileSync('openssl', ['crl', '-in', join(dir, 'ca.crl'), '-noout', '-text'], { encoding: 'utf8' });
  t.match(text, /Version 2/);
  t.match(text, /X509v3 CRL Reason Code: *\n *Key Compromise/);
  t.match(text, /X509v3 Authority Key Identifier/);
  const sig = spawnSync('openssl', ['crl', '-in', join(dir, 'ca.crl'), '-CAfile', join(dir, 'ca.crt'), '-noout'], { encoding: 'utf8' });
  t.equal(sig.status, 0, 'the CRL signature verifies with the CA');
  t.match(sig.stdout + sig.stderr, /verify OK/);
  const v = spawnSync('openssl', ['verify', '-crl_check', '-CRLfile', join(dir, 'ca.crl'), '-CAfile', join(dir, 'ca.crt'), join(dir, 'sys1.crt'), join(dir, 'sys2.crt')], { encoding: 'utf8' });
  t.match(v.stdout + v.stderr, /certificate revoked/, 'OpenSSL finds sys1 revoked');
  t.match(v.stdout, /sys2\.crt: OK/, 'and sys2 good');
});

t.test('expiry on /metrics and /healthz', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  // The test certificates last 90 days: a 120-day warning window flags them.
  const fx = await startTestGateway(t, { destinationPort: dest.port, tls: 'expiry_warning: 120d' });
  const metrics = (await fx.admin('/metrics')).text;
  const cert = /ferry_expiry_seconds\{kind="certificate",name="CN=gw1"\} (\d+)/.exec(metrics);
  t.ok(cert, 'the gateway certificate has an expiry gauge');
  t.ok(Number(cert![1]) > 89 * 86_400 && Number(cert![1]) <= 90 * 86_400, 'in seconds');
  t.match(metrics, /ferry_expiry_seconds\{kind="ca",name="CN=Ferry Test CA"\} \d+/);
  const health = await fx.admin('/healthz');
  t.equal(health.status, 200, 'a warning does not make the gateway unready');
  const h = JSON.parse(health.text) as { status: string; degraded: string[]; checks: { expiry: unknown[] } };
  t.equal(h.status, 'degraded', 'it is reported as degraded');
  t.ok(h.degraded.some((w) => /the certificate CN=gw1 expires on/.test(w)), '/healthz warns within the window');
  t.equal(h.checks.expiry.length, 2);
  // A hundred days on, everything of the test PKI has expired: not ready, with each reason.
  const later = fx.gw.context.trust.health(new Date(Date.now() + 100 * 86_400_000));
  t.ok(later.reasons.some((r) => /the certificate CN=gw1 expired/.test(r)));
  t.ok(later.reasons.some((r) => /the ca CN=Ferry Test CA expired/.test(r)));
});
