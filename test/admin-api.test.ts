// The administrators' API (issue 10): mutual TLS with ferry://admin/<name>
// certificates, one role each from gateway.yaml; list, retry, cancel and
// reload, each an audit record naming who did it; SIGHUP reloads too.
import Database from 'better-sqlite3';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { clientFor, putFile, startTestGateway, until } from './helpers/gateway-fixture.js';
import { runFerry } from './helpers/ferry-process.js';
import { makePki } from './helpers/pki.js';

const pki = await makePki();
const [alice, bob, carol, dave] = await Promise.all([
  pki.issue('ferry://admin/alice', 'admin-alice'), pki.issue('ferry://admin/bob', 'admin-bob'),
  pki.issue('ferry://admin/carol', 'admin-carol'), pki.issue('ferry://admin/dave', 'admin-dave'),
]);
// Deliveries fail (nothing listens on port 9) and wait a minute between attempts: transfers stay queued.
const fx = await startTestGateway(t, {
  destinationPort: 9, delivery: '{ retry_initial: 1m, retry_max: 5m }',
  administrators: '{ alice: sysadmin, bob: auditor, dave: secadmin }',
});
const base = `https://127.0.0.1:${fx.gw.adminApiPort}`;
const as = (c: { certPath: string; keyPath: string }) => ({ FERRY_ADMIN: base, FERRY_ADMIN_CERT: c.certPath, FERRY_ADMIN_KEY: c.keyPath, FERRY_CA: pki.caCertPath });
const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
const ids: string[] = [];
for (const body of ['one', 'two']) {
  const r = await putFile(sender, fx.url('police'), Buffer.from(body), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '3' });
  ids.push(r.json.id);
}

function adminRecords(): Array<{ principal: string; transfer_id: string | null; details: string }> {
  const db = new Database(join(fx.dir, 'data', 'audit.db'), { readonly: true });
  try {
    return db.prepare("SELECT principal, transfer_id, details FROM records WHERE event = 'admin-action' ORDER BY seq").all() as never;
  } finally {
    db.close();
  }
}

t.test('roles: an auditor lists but may not act; unknown administrators and system certificates are refused', async (t) => {
  const list = await runFerry(['admin', 'transfers', '--json'], { env: as(bob) });
  t.equal(list.code, 0, list.stderr);
  const a = JSON.parse(list.stdout);
  t.same(a.transfers.map((x: { id: string }) => x.id).sort(), [...ids].sort());
  t.same(a.by_destination, { 'extranet/archive': 2 });
  const retry = await runFerry(['admin', 'retry', ids[0]!], { env: as(bob) });
  t.equal(retry.code, 1);
  t.match(retry.stderr, /FERRY_FORBIDDEN.*auditor may not retry/);
  const stranger = await runFerry(['admin', 'transfers'], { env: as(carol) });
  t.match(stranger.stderr, /ferry:\/\/admin\/carol is not among the administrators/);
  const sys = pki.system('ferry://police/sys1');
  const asSystem = clientFor(t, pki, sys);
  const res = await request(`${base}/v1/admin/transfers`, { dispatcher: asSystem });
  t.equal(res.statusCode, 403);
  t.match(await res.body.text(), /only administrator certificates/);
});

t.test('a sysadmin retries and cancels; each action is an audit record naming who', async (t) => {
  const cancel = await runFerry(['admin', 'cancel', ids[0]!], { env: as(alice) });
  t.equal(cancel.code, 0, cancel.stderr);
  const retry = await runFerry(['admin', 'retry', ids[1]!, '--json'], { env: as(alice) });
  t.equal(retry.code, 0, retry.stderr);
  t.equal(JSON.parse(retry.stdout).by, 'ferry://admin/alice');
  const status = await request(`${fx.url('police')}/v1/transfers/${ids[0]}`, { dispatcher: sender });
  const s = await status.body.json() as { state: string; reason?: string; hops?: Array<{ reason?: string }> };
  t.equal(s.state, 'failed');
  t.match(JSON.stringify(s), /cancelled by the administrator ferry:\/\/admin\/alice/);
  const again = await runFerry(['admin', 'cancel', ids[0]!], { env: as(alice) });
  t.match(again.stderr, /FERRY_ADMIN_CONFLICT/, 'a cancelled transfer cannot be cancelled again');
  // Listing the queue is recorded too (view-queue, tested in console-access): here only the changes.
  const recs = adminRecords().filter((r) => JSON.parse(r.details).action !== 'view-queue');
  t.ok(adminRecords().some((r) => JSON.parse(r.details).action === 'view-queue'), 'the listing was recorded');
  // The auditor's refused retry (previous subtest) and the second cancel are recorded as refused, with their codes (red team 4, N4).
  t.same(recs.map((r) => [r.principal, r.transfer_id, JSON.parse(r.details).action, JSON.parse(r.details).refused]), [
    ['ferry://admin/bob', ids[0], 'retry', 'FERRY_FORBIDDEN'],
    ['ferry://admin/alice', ids[0], 'cancel', undefined],
    ['ferry://admin/alice', ids[1], 'retry', undefined],
    ['ferry://admin/alice', ids[0], 'cancel', 'FERRY_ADMIN_CONFLICT'],
  ]);
});

t.test('reload by a secadmin, and by SIGHUP: destinations applied, what needs a restart named', async (t) => {
  const file = join(fx.dir, 'gateway.yaml');
  await writeFile(file, fx.configText.replace('  extranet/portal: { delivery: pull }', '  extranet/portal: { delivery: pull }\n  extranet/newbox: { delivery: pull }'));
  const r = await runFerry(['admin', 'reload', '--json'], { env: as(dave) });
  t.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  t.ok(report.changed.includes('destinations'));
  t.same(report.restart_needed, []);
  const dests = await request(`${fx.url('police')}/v1/destinations`, { dispatcher: sender });
  t.ok(((await dests.body.json()) as { destinations: Array<{ id: string }> }).destinations.some((d) => d.id === 'extranet/newbox'), 'the new destination is served');
  await writeFile(file, fx.configText.replace('delivery: { retry_initial: 1m, retry_max: 5m }', 'delivery: { retry_initial: 2m, retry_max: 5m }'));
  process.kill(process.pid, 'SIGHUP');
  const rec = await until(() => adminRecords().find((x) => JSON.parse(x.details).by === 'signal:SIGHUP'), 'the SIGHUP reload record');
  const d = JSON.parse(rec.details);
  t.ok(d.changed.includes('destinations'), 'extranet/newbox removed again');
  t.same(d.restart_needed, ['delivery'], 'a delivery change needs a restart, and says so');
  t.equal(adminRecords().find((x) => JSON.parse(x.details).action === 'reload')!.principal, 'ferry://admin/dave');
});

t.test('in Chinese: lists, refusals and reload said in the reader\'s language, ids, states and codes as they are', async (t) => {
  const zh = (c: { certPath: string; keyPath: string }) => ({ ...as(c), LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
  const list = await runFerry(['admin', 'transfers'], { env: zh(bob) });
  t.equal(list.code, 0, list.stderr);
  t.match(list.stdout, new RegExp(`^${ids[1]}  queued +police/sys1 → extranet/archive  已尝试 \\d+ 次`, 'm'), 'the state word and ids as the gateway said them');
  t.match(list.stdout, /^extranet\/archive：\d+$/m);
  const refused = await runFerry(['admin', 'retry', ids[1]!], { env: zh(bob) });
  t.equal(refused.code, 1, 'a refusal still exits 1');
  t.match(refused.stderr, /^ferry admin: 已拒绝：FERRY_FORBIDDEN（HTTP 403）：/, 'the code unchanged');
  t.notMatch(refused.stderr, /refused/);
  const missing = await runFerry(['admin', 'transfers'], { env: { ...zh(bob), FERRY_ADMIN_CERT: join(fx.dir, 'no-such.crt') } });
  t.equal(missing.code, 2, 'a local problem exits 2');
  t.match(missing.stderr, /无法读取 --cert 指定的 .*no-such\.crt：文件不存在/);
  const reload = await runFerry(['admin', 'reload'], { env: zh(dave) });
  t.match(reload.stdout, /^已变更：/m, reload.stderr);
  t.notMatch(reload.stdout, /changed|restart|problem/);
});
