// A hostile next hop's unsigned answers are not outcomes (red team 30 Nov 2026,
// night, N10). gw1 relays to "gw2", here a fake gateway with gw2's certificate
// and keys that answers as told: a refusal or a withdrawal's "not found" is
// taken only signed with gw2's key, for this transfer (routing/signed-refusal.ts);
// unsigned, signed by another key or for another transfer, it is a failure of the
// hop (FERRY_HOP_UNVERIFIED, tried again), never gw2's verdict, and the sender's
// status never carries findings no gateway signed. Real gw1, real mTLS.
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer } from 'node:https';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { readRecords } from '../gateway/audit/read-records.js';
import { loadOrCreateGatewayKeys } from '../gateway/keys/gateway-keys.js';
import { signReceipt } from '../gateway/receipts/sign-receipt.js';
import { REFUSAL_MEMBER, sealRefusal } from '../gateway/routing/signed-refusal.js';
import { startChain } from './helpers/chain.js';
import { clientFor, putFile, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

const pki = await makePki();
const admin = await pki.issue('ferry://admin/alice', 'admin-alice');
const chain = await startChain(t, pki, { fixedPorts: true, noStart: true, administrators: '{ alice: sysadmin }', delivery1: '{ retry_initial: 50ms, retry_max: 200ms }' });
const gw2Keys = await loadOrCreateGatewayKeys(join(chain.gw2.dataDir, 'keys'), 'gw2');
const otherKey: KeyObject = generateKeyPairSync('ed25519').privateKey;
const GW2 = 'ferry://gateway/gw2';

type Mode =
  | { relay: 'refuse'; sign: 'none' | 'gw2' | 'other-key' | 'other-transfer' | 'other-asker' }
  | { relay: 'take'; withdraw: 'unsigned-404' | 'signed-404' };
let mode: Mode = { relay: 'refuse', sign: 'none' };
const held = new Set<string>();
const FINDINGS = [{ kind: 'malware', subkind: 'Win.Trojan.Invented', offset: 0 }];

function refusal(transfer: string, key: KeyObject, status: number, code: string, extra: { rule?: string; findings?: unknown[]; askedBy?: string } = {}): string {
  return sealRefusal({ v: 1, transfer, gateway: GW2, asked_by: extra.askedBy ?? 'ferry://gateway/gw1', status, code, rule: extra.rule ?? null, findings: extra.findings ?? [], detail: 'refused by the fake', time: new Date().toISOString() }, key);
}

const creds = pki.gateway('gw2');
const fake = createServer({ cert: creds.cert, key: creds.key, ca: pki.caCert, requestCert: true }, (q, s) => {
  const chunks: Buffer[] = [];
  q.on('data', (c: Buffer) => chunks.push(c));
  q.on('end', () => {
    const url = q.url ?? '';
    const problem = (status: number, body: Record<string, unknown>) => s.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status, ...body }));
    if (q.method === 'PUT' && url.startsWith('/v1/relay')) {
      const env = JSON.parse(Buffer.from(String(q.headers['ferry-envelope']).split('.')[0]!, 'base64url').toString('utf8')) as Record<string, any>;
      if (mode.relay === 'refuse') {
        const body: Record<string, unknown> = { code: 'FERRY_CONTENT_DENIED', rule: 'deny-malware', detail: 'The antivirus found malware.', findings: FINDINGS };
        const m = mode.sign;
        if (m !== 'none') body[REFUSAL_MEMBER] = refusal(m === 'other-transfer' ? '01a22f13-5de6-7001-a3aa-3bf7ba892902' : env.transfer, m === 'other-key' ? otherKey : gw2Keys.signingKey, 422, 'FERRY_CONTENT_DENIED', { rule: 'deny-malware', findings: FINDINGS, ...(m === 'other-asker' ? { askedBy: 'ferry://gateway/gw9' } : {}) });
        return problem(422, body);
      }
      const content = Buffer.concat(chunks);
      held.add(env.transfer);
      const receipt = signReceipt({ type: 'accepted', transfer: env.transfer, sha256: createHash('sha256').update(content).digest('hex'), size: content.length, source: env.source, destination: env.destination, time: new Date().toISOString(), gateway: GW2 }, gw2Keys);
      s.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: env.transfer, state: 'queued', receipt }));
      return;
    }
    const w = /^\/v1\/relay\/([^/]+)\/withdraw$/.exec(url);
    if (w && mode.relay === 'take') {
      return problem(404, { code: 'FERRY_NOT_FOUND', ...(mode.withdraw === 'signed-404' ? { [REFUSAL_MEMBER]: refusal(w[1]!, gw2Keys.signingKey, 404, 'FERRY_NOT_FOUND') } : {}) });
    }
    // Asked for the outcome: not now (the relayed transfer stays relayed).
    problem(503, { code: 'FERRY_NOT_READY' });
  });
});
await new Promise<void>((r) => fake.listen(Number(new URL(chain.gw2.url('extranet')).port), '127.0.0.1', r));
t.teardown(() => new Promise<void>((r) => fake.close(() => r())));
fake.unref();
await chain.gw1.start();

const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
const asAdmin = clientFor(t, pki, admin);
const records = (id: string) => [...readRecords(join(chain.gw1.dataDir, 'audit.db'), { transferId: id })];

async function send(text: string): Promise<string> {
  const r = await putFile(sender, chain.gw1.url('police'), Buffer.from(text), { 'ferry-to': 'social/benefits', 'content-length': String(text.length), 'ferry-label': 'internal' });
  t.equal(r.status, 202);
  return r.json.id as string;
}

async function status(id: string): Promise<Record<string, any>> {
  const res = await request(`${chain.gw1.url('police')}/v1/transfers/${id}`, { dispatcher: sender });
  return (await res.body.json()) as Record<string, any>;
}

for (const sign of ['none', 'other-key', 'other-transfer', 'other-asker'] as const) {
  t.test(`a refusal with invented findings, ${sign === 'none' ? 'unsigned' : sign === 'other-key' ? 'signed by another key' : sign === 'other-asker' ? 'signed as answered to another gateway' : 'signed for another transfer'}: a failure of the hop, not gw2's verdict`, async (t) => {
    mode = { relay: 'refuse', sign };
    const id = await send(`ordinary report (${sign})`);
    const tries = await until(() => { const f = records(id).filter((r) => r.event === 'forwarded'); return f.length >= 2 ? f : null; }, 'tried twice');
    t.match(tries[0]!.details, { outcome: 'retry', code: 'FERRY_HOP_UNVERIFIED', answered_code: 'FERRY_CONTENT_DENIED' }, 'recorded as what it is');
    t.notOk(tries.some((r) => JSON.stringify(r.details).includes('Win.Trojan.Invented')), 'the invented finding is in no record');
    t.notOk(records(id).some((r) => r.event === 'denied'), 'not denied');
    const s = await status(id);
    // Between two attempts or in the next one (the retries come every 50–400 ms): either way, not settled.
    t.ok(['queued', 'forwarding'].includes(s.state), `still to be relayed (${s.state})`);
    t.match(s.reason, /^FERRY_HOP_UNVERIFIED: ferry:\/\/gateway\/gw2 answered 422 FERRY_CONTENT_DENIED, not taken as its verdict/);
    t.notOk(JSON.stringify(s).includes('Win.Trojan.Invented'), 'the sender\'s status carries no finding nobody signed');
    t.equal(s.refused_by, undefined);
    // Settle it with a signed refusal so that it stops taking the fake's time.
    mode = { relay: 'refuse', sign: 'gw2' };
    await until(async () => (await status(id)).state === 'denied', 'ended by a signed refusal');
  });
}

t.test('a refusal signed with gw2\'s key, for this transfer: gw2\'s verdict, its findings to the sender as signed', async (t) => {
  mode = { relay: 'refuse', sign: 'gw2' };
  const id = await send('refused, signed');
  const s = await until(async () => { const j = await status(id); return j.state !== 'queued' && j.state !== 'forwarding' ? j : null; }, 'settled');
  t.equal(s.state, 'denied');
  t.match(s.refused_by, { gateway: GW2, code: 'FERRY_CONTENT_DENIED', rule: 'deny-malware', findings: FINDINGS });
  t.match(s.hops[1], { gateway: GW2, verified: true });
  const d = records(id).find((r) => r.event === 'denied');
  t.match(d?.details, { code: 'FERRY_CONTENT_DENIED', rule: 'deny-malware', findings: FINDINGS, next_refusal_signature: /^[A-Za-z0-9_-]{86}$/ }, 'recorded with the signature it was taken on');
  const { checkRefusal } = await import('../gateway/routing/signed-refusal.js');
  const again = checkRefusal((d?.details as { next_refusal?: unknown }).next_refusal, [gw2Keys.signingPublicKey], { transfer: id, gateway: GW2, status: 422, askedBy: 'ferry://gateway/gw1' });
  t.ok(again.ok, 'and with the whole signed note, which an outsider can check again with gw2\'s key');
  t.equal(records(id).filter((r) => r.event === 'denied' || r.event === 'failed').length, 1, 'one end');
});

t.test('a withdrawal answered 404 unsigned: no answer (asked again), never "no longer held"; signed, it is taken', async (t) => {
  mode = { relay: 'take', withdraw: 'unsigned-404' };
  const id = await send('kept by the next hop');
  await until(async () => (await status(id)).state === 'relayed', 'relayed');
  const c = await request(`https://127.0.0.1:${chain.gw1.gw!.adminApiPort}/v1/admin/transfers/${id}/cancel`, { method: 'POST', dispatcher: asAdmin });
  t.equal(c.statusCode, 200);
  await c.body.text();
  const notTaken = await until(() => records(id).find((r) => r.event === 'forwarded' && (r.details as any)?.outcome === 'report-refused'), 'the unsigned answer recorded as not taken');
  t.match(notTaken.details, { reason: /^FERRY_HOP_UNVERIFIED: ferry:\/\/gateway\/gw2 answered the withdrawal 404 FERRY_NOT_FOUND, not taken: it is not signed/ });
  const s = await status(id);
  t.equal(s.state, 'relayed', 'still being withdrawn');
  t.ok(s.withdrawal, 'with the withdrawal shown');
  t.notOk(records(id).some((r) => r.event === 'failed'), 'not settled');
  mode = { relay: 'take', withdraw: 'signed-404' };
  const end = await until(async () => { const j = await status(id); return j.state !== 'relayed' ? j : null; }, 'withdrawn once gw2 signs');
  t.equal(end.state, 'failed');
  t.match(end.reason, /ferry:\/\/gateway\/gw2 no longer held it$/);
  t.ok(held.has(id));
});
