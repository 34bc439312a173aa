// The admin plane's refusals are evidence (red team 4, N4, N12, N15, N16):
// every request refused on admin.api_listen (no certificate, another CA's, a
// revoked one, a business system's, a gateway's, a name not among the
// administrators, an administrator outside its role, a console change from
// another site or without its token) is an audit record with its code, the
// principal, the role and the action attempted, throttled per principal into
// a summary; a certificate revoked while its console stream is open loses
// the stream; a gateway that is not a listed peer reads no destinations; a
// policy file that does not load is recorded with its hash and problems.
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Agent, request } from 'undici';
import { CRL_FILE, publishCrl, revoke } from '../certs/revoke.js';
import { readRecords, type AuditRecord } from '../gateway/audit/read-records.js';
import { initGatewayKeys } from '../gateway/keys/init-keys.js';
import { clientFor, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki, type Credentials } from './helpers/pki.js';

const pki = await makePki();
await publishCrl(pki.dir);
const [sam, al, sue, carol, revokedSys, streamer, rogue] = await Promise.all([
  pki.issue('ferry://admin/sam', 'admin-sam'), pki.issue('ferry://admin/al', 'admin-al'),
  pki.issue('ferry://admin/sue', 'admin-sue'), pki.issue('ferry://admin/carol', 'admin-carol'),
  pki.issue('ferry://police/sys1', 'sys1-revoked'), pki.issue('ferry://admin/al', 'admin-al-stream'),
  pki.issue('ferry://gateway/rogue', 'gw-rogue'),
]);
// As the CRL and the records name it: lower case, no leading zero bytes.
const serialOf = (c: Credentials) => new X509Certificate(c.cert).serialNumber.toLowerCase().replace(/^(00)+/, '');
await revoke(pki.dir, { serial: serialOf(revokedSys), reason: 'key-compromise' });
// gw2 is a listed peer (its key made here; it never runs); rogue is a gateway certificate from the same CA, not listed.
const peerData = await mkdtemp(join(tmpdir(), 'ferry-peer-'));
t.teardown(() => rm(peerData, { recursive: true, force: true }));
const { vkeyPath } = await initGatewayKeys(peerData, 'gw2');
const fx = await startTestGateway(t, {
  pki, destinationPort: 9, delivery: '{ retry_initial: 1m, retry_max: 5m }',
  administrators: '{ sam: sysadmin, al: auditor, sue: secadmin }',
  tls: `crl: ${join(pki.dir, CRL_FILE)}`,
  extra: `peers:\n  gw2: { networks: [social], key: ${vkeyPath} }\n`,
});
const host = `127.0.0.1:${fx.gw.adminApiPort}`;
const base = `https://${host}`;
const auditDb = join(fx.dir, 'data', 'audit.db');

function noCert(): Agent {
  const a = new Agent({ connect: { ca: pki.caCert } });
  t.teardown(() => a.close());
  return a;
}
const agents = new Map<string, Agent>();
function as(c: { cert: string; key: string }, ca = pki.caCert): Agent {
  if (!agents.has(c.cert)) agents.set(c.cert, clientFor(t, pki, c, ca));
  return agents.get(c.cert)!;
}
function lastSeq(): number {
  let last = 0;
  for (const r of readRecords(auditDb)) last = r.seq;
  return last;
}
function since(seq: number): AuditRecord[] {
  return [...readRecords(auditDb)].filter((r) => r.seq > seq);
}

const UUID = '01a22e68-3e45-77dd-9dc8-3c5edff7cd64';
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', host };
/** [what, agent, method, path, headers, the record expected: event, principal, role, action, code]. */
const CASES: Array<[string, () => Agent, string, string, Record<string, string>, { event: string; principal: string | null; role?: string; action: string; code: string }]> = [
  ['no certificate', noCert, 'GET', '/v1/admin/transfers', {}, { event: 'denied', principal: null, action: 'view-queue', code: 'FERRY_NO_CLIENT_CERT' }],
  ['another CA', () => as(pki.foreign, pki.caCert), 'GET', '/v1/admin/transfers', {}, { event: 'denied', principal: null, action: 'view-queue', code: 'FERRY_CERT_UNTRUSTED' }],
  ['a business system', () => as(pki.system('ferry://police/sys1')), 'GET', '/v1/admin/transfers', {}, { event: 'denied', principal: 'ferry://police/sys1', action: 'view-queue', code: 'FERRY_FORBIDDEN' }],
  ['a business system, console', () => as(pki.system('ferry://extranet/portal')), 'GET', '/console/', {}, { event: 'denied', principal: 'ferry://extranet/portal', action: 'open-overview', code: 'FERRY_FORBIDDEN' }],
  ['a revoked certificate', () => as(revokedSys), 'GET', '/v1/admin/transfers', {}, { event: 'denied', principal: 'ferry://police/sys1', action: 'view-queue', code: 'FERRY_CERT_REVOKED' }],
  ['a gateway', () => as(rogue), 'POST', '/v1/admin/reload', {}, { event: 'denied', principal: 'ferry://gateway/rogue', action: 'reload', code: 'FERRY_FORBIDDEN' }],
  ['a name not among the administrators', () => as(carol), 'GET', '/console/audit', {}, { event: 'denied', principal: 'ferry://admin/carol', action: 'view-admin-actions', code: 'FERRY_FORBIDDEN' }],
  ['the auditor cancels', () => as(al), 'POST', `/v1/admin/transfers/${UUID}/cancel`, {}, { event: 'admin-action', principal: 'ferry://admin/al', role: 'auditor', action: 'cancel', code: 'FERRY_FORBIDDEN' }],
  ['the auditor rotates keys', () => as(al), 'POST', '/v1/admin/keys/rotate', {}, { event: 'admin-action', principal: 'ferry://admin/al', role: 'auditor', action: 'rotate-keys', code: 'FERRY_FORBIDDEN' }],
  ['the secadmin lists transfers', () => as(sue), 'GET', '/v1/admin/transfers', {}, { event: 'admin-action', principal: 'ferry://admin/sue', role: 'secadmin', action: 'view-queue', code: 'FERRY_FORBIDDEN' }],
  ['the sysadmin reads the actions', () => as(sam), 'GET', '/v1/admin/actions', {}, { event: 'admin-action', principal: 'ferry://admin/sam', role: 'sysadmin', action: 'view-admin-actions', code: 'FERRY_FORBIDDEN' }],
  ['the sysadmin opens the Audit page', () => as(sam), 'GET', '/console/audit', {}, { event: 'admin-action', principal: 'ferry://admin/sam', role: 'sysadmin', action: 'view-admin-actions', code: 'FERRY_FORBIDDEN' }],
  ['the secadmin opens Transfers', () => as(sue), 'GET', '/console/transfers', {}, { event: 'admin-action', principal: 'ferry://admin/sue', role: 'secadmin', action: 'view-transfers', code: 'FERRY_FORBIDDEN' }],
  ['the auditor opens System', () => as(al), 'GET', '/console/system', {}, { event: 'admin-action', principal: 'ferry://admin/al', role: 'auditor', action: 'open-system', code: 'FERRY_FORBIDDEN' }],
  ['a reload posted cross-site', () => as(sam), 'POST', '/console/reload', { ...formHeaders, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, { event: 'admin-action', principal: 'ferry://admin/sam', role: 'sysadmin', action: 'reload', code: 'FERRY_FORBIDDEN' }],
  ['a deploy without the token', () => as(sue), 'POST', '/console/policy/deploy', { ...formHeaders, origin: base, 'sec-fetch-site': 'same-origin' }, { event: 'admin-action', principal: 'ferry://admin/sue', role: 'secadmin', action: 'deploy', code: 'FERRY_FORBIDDEN' }],
];

t.test('every refusal on the admin listener is an audit record: code, principal, role, action', async (t) => {
  for (const [what, agent, method, path, headers, want] of CASES) {
    const s0 = lastSeq();
    const res = await request(`${base}${path}`, { method: method as 'GET', dispatcher: agent(), headers, ...(method === 'POST' ? { body: 'note=x' } : {}) });
    await res.body.text();
    t.ok(res.statusCode === 401 || res.statusCode === 403, `${what}: refused (${res.statusCode})`);
    // Durable before the answer: no waiting.
    const recs = since(s0);
    t.equal(recs.length, 1, `${what}: one record`);
    const r = recs[0];
    if (!r) continue;
    const d = r.details as Record<string, unknown>;
    t.same({ event: r.event, principal: r.principal, role: d.role, action: d.action, code: d.code },
      { event: want.event, principal: want.principal, role: want.role, action: want.action, code: want.code }, what);
    t.equal(d.network, 'admin', `${what}: the admin plane`);
    t.equal(d.path, path, `${what}: the path`);
    if (want.event === 'admin-action') t.equal(d.refused, want.code, `${what}: refused, as the auditor's page reads it`);
    if (path.includes(UUID)) t.equal(r.transferId, UUID, `${what}: the transfer named`);
    if (want.code === 'FERRY_CERT_REVOKED') t.equal(d.serial, serialOf(revokedSys), 'the revoked serial');
    if (want.principal === null && what === 'another CA') t.ok((d.certificate as { sha256?: string } | undefined)?.sha256, 'the unknown certificate is named by its fingerprint');
  }
  // The auditor's API lists an administrator's refused attempt beside the actions done.
  const res = await request(`${base}/v1/admin/actions?limit=50`, { dispatcher: as(al) });
  const page = await res.body.json() as { actions: Array<{ principal: string; details: Record<string, unknown> }> };
  t.ok(page.actions.some((a) => a.principal === 'ferry://admin/sue' && a.details.action === 'deploy' && a.details.refused === 'FERRY_FORBIDDEN'), 'the secadmin\'s refused deploy is among the administrators\' actions');
});

t.test('a console request refused for what it asks (an export with no valid range) is recorded once, as refused', async (t) => {
  const page = await request(`${base}/console/`, { dispatcher: as(al), headers: { host } });
  const csrf = /<meta name="csrf" content="([^"]+)">/.exec(await page.body.text())?.[1] ?? '';
  t.ok(csrf, 'the form token');
  const s0 = lastSeq();
  const res = await request(`${base}/console/audit/export`, { method: 'POST', dispatcher: as(al), headers: { ...formHeaders, origin: base, 'sec-fetch-site': 'same-origin' }, body: new URLSearchParams({ csrf, since: 'yesterday-ish' }).toString() });
  await res.body.text();
  t.equal(res.statusCode, 400);
  const recs = since(s0);
  t.same(recs.map((r) => [r.event, r.principal, (r.details as Record<string, unknown>).action, (r.details as Record<string, unknown>).refused, (r.details as Record<string, unknown>).via]),
    [['admin-action', 'ferry://admin/al', 'export', 'FERRY_QUERY_INVALID', 'console']], 'one record: the export refused');
});

t.test('a flood of refusals from one principal is counted into a summary, not written one by one', async (t) => {
  const s0 = lastSeq();
  const N = 40;
  for (let i = 0; i < N; i++) {
    const res = await request(`${base}/v1/admin/transfers`, { dispatcher: as(pki.system('ferry://extranet/archive')) });
    t.equal(res.statusCode, 403);
    await res.body.text();
  }
  const one = () => since(s0).filter((r) => r.principal === 'ferry://extranet/archive' && (r.details as { code?: string }).code === 'FERRY_FORBIDDEN').length;
  t.ok(one() <= 20, `at most 20 written one by one (${one()})`);
  // Counts owed to a summary are written when the listener closes.
  await fx.gw.stop();
  const summaries = since(s0).filter((r) => (r.details as { code?: string }).code === 'FERRY_REFUSALS_SUMMARISED' && r.principal === 'ferry://extranet/archive');
  const counted = summaries.reduce((n, r) => n + Number((r.details as { count: number }).count), 0);
  t.equal(one() + counted, N, 'every refusal is recorded or counted');
  t.ok(counted > 0, 'the rest are in a summary');
  t.equal((summaries[0]?.details as { network?: string } | undefined)?.network, 'admin');
});

t.test('a certificate revoked while its console stream is open loses the stream', async (t) => {
  const gx = await startTestGateway(t, { pki, destinationPort: 9, administrators: '{ al: auditor }', tls: `crl: ${join(pki.dir, CRL_FILE)}` });
  const events: string[] = [];
  let closed!: () => void;
  const ended = new Promise<void>((r) => (closed = r));
  const req = httpsRequest({ host: '127.0.0.1', port: gx.gw.adminApiPort, path: '/console/events', ca: pki.caCert, cert: streamer.cert, key: streamer.key, agent: false, headers: { host: `127.0.0.1:${gx.gw.adminApiPort}` } }, (res) => {
    t.equal(res.statusCode, 200, 'the stream opens');
    res.on('data', (c: Buffer) => events.push(c.toString()));
    res.once('close', () => closed());
  });
  req.on('error', () => closed());
  t.teardown(() => req.destroy());
  req.end();
  await until(() => events.join('').includes('event: overview'), 'the first overview');
  await revoke(pki.dir, { serial: serialOf(streamer), reason: 'key-compromise' });
  // Bounded so that a stream left open fails the test rather than hanging it (the stream lasts an hour).
  let timer!: NodeJS.Timeout;
  const outcome = await Promise.race([ended.then(() => 'closed'), new Promise<string>((r) => { timer = setTimeout(() => r('still open'), 30_000); })]);
  clearTimeout(timer);
  t.equal(outcome, 'closed', 'the stream is closed when the CRL names its certificate');
  const rec = [...readRecords(join(gx.dir, 'data', 'audit.db'), { event: 'denied' })].find((r) => (r.details as { serial?: string }).serial === serialOf(streamer));
  t.ok(rec, 'the closing is a denied record with the serial');
  t.equal((rec?.details as { network?: string } | undefined)?.network, 'admin');
  t.equal(rec?.principal, 'ferry://admin/al');
});

t.test('GET /v1/destinations: a listed peer and a system read it; a gateway that is not a listed peer is refused and audited', async (t) => {
  const gx = await startTestGateway(t, { pki, destinationPort: 9, extra: `peers:\n  gw2: { networks: [social], key: ${vkeyPath} }\n` });
  const db = join(gx.dir, 'data', 'audit.db');
  const ask = async (c: { cert: string; key: string }) => {
    const res = await request(`${gx.url('police')}/v1/destinations`, { dispatcher: clientFor(t, pki, c) });
    return { status: res.statusCode, json: await res.body.json() as { code?: string; destinations?: unknown[] } };
  };
  const system = await ask(pki.system('ferry://police/sys1'));
  t.equal(system.status, 200);
  t.ok(system.json.destinations?.length, 'a system reads where it can send');
  const peer = await ask(pki.gateway('gw2'));
  t.equal(peer.status, 200, 'a listed peer reads it');
  const stranger = await ask(rogue);
  t.equal(stranger.status, 403);
  t.equal(stranger.json.code, 'FERRY_PEER_UNKNOWN');
  t.notOk(stranger.json.destinations, 'no destination in the answer');
  const rec = [...readRecords(db, { event: 'denied' })].find((r) => r.principal === 'ferry://gateway/rogue');
  t.equal((rec?.details as { code?: string } | undefined)?.code, 'FERRY_PEER_UNKNOWN', 'the refusal is audited');
});

t.test('a policy file overwritten with one that does not load is recorded: the file, its hash, the problems', async (t) => {
  const gx = await startTestGateway(t, { pki, destinationPort: 9 });
  const db = join(gx.dir, 'data', 'audit.db');
  const file = join(gx.dir, 'policy.yaml');
  const good = await readFile(file);
  const inForce = gx.gw.context.policy.current.hash;
  const broken = Buffer.concat([good, Buffer.from('\n  - id: broken-rule\n    effect: allow\n')]);
  await writeFile(file, broken);
  const rejected = await until(() => [...readRecords(db, { event: 'policy-loaded' })].find((r) => (r.details as { rejected?: boolean }).rejected === true), 'the rejected change recorded');
  const d = rejected.details as { file: string; file_sha256: string; problems: string[] };
  t.equal(d.file, file);
  t.equal(d.file_sha256, createHash('sha256').update(broken).digest('hex'), 'the hash of the bytes rejected');
  t.ok(d.problems.length > 0 && d.problems.every((p) => p.startsWith(file)), 'the problems, with their lines');
  t.equal(rejected.policyHash, inForce, 'policy_hash: the policy still in force');
  t.equal(gx.gw.context.policy.current.hash, inForce, 'the previous policy stays in force');
  // The good file back: no new record of a change (the policy in force never changed).
  await writeFile(file, good);
  const health = await until(async () => {
    const h = await gx.admin('/healthz');
    return !h.text.includes('rejected') && h;
  }, 'the rejection cleared');
  t.equal(health.status, 200);
  t.equal([...readRecords(db, { event: 'policy-loaded' })].filter((r) => (r.details as { rejected?: boolean }).rejected === true).length, 1, 'one record for one rejected change');
});
