// What the next hop reports is checked with the key held for it: its accepted
// receipt when it takes a relay, and its signed report (state, hops, receipts)
// when asked for the outcome. A real gw1; as its next hop, a server holding gw2's
// certificate and keys that answers as a broken or dishonest gateway would.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createServer } from 'node:https';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendFile } from 'node:fs/promises';
import t from 'tap';
import { request } from 'undici';
import { parseVkey } from '../gateway/audit/signed-note.js';
import { readRecords } from '../gateway/audit/read-records.js';
import { loadOrCreateGatewayKeys, type GatewayKeys } from '../gateway/keys/gateway-keys.js';
import { signReceipt } from '../gateway/receipts/sign-receipt.js';
import { sealReport } from '../gateway/routing/hop-report.js';
import type { HopView } from '../gateway/routing/hop-view.js';
import { verifyReceipt, type Receipt } from '../protocol/receipt.js';
import { GW1_POLICY, GW2_POLICY, prepareHop } from './helpers/chain.js';
import { clientFor, putFile, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

type Mode = 'tampered-receipt' | 'forged-report' | 'unverified-chain' | 'honest';

const pki = await makePki();
const gw2 = await prepareHop(t, pki, { name: 'gw2', networks: { extranet: 0, social: 0 }, policy: GW2_POLICY, body: '' });
const keys2 = await loadOrCreateGatewayKeys(join(gw2.dataDir, 'keys'), 'gw2');
const elsewhere = await mkdtemp(join(tmpdir(), 'ferry-gw3-keys-'));
t.teardown(() => rm(elsewhere, { recursive: true, force: true }));
const keys3 = await loadOrCreateGatewayKeys(elsewhere, 'gw3');
const k2 = parseVkey(await readFile(gw2.vkeyPath, 'utf8')).publicKey;

let mode: Mode = 'tampered-receipt';
let badAccepted = false;
const held = new Map<string, { accepted: Receipt; body: Omit<Receipt, 'key_id' | 'signature' | 'type' | 'time' | 'gateway'> }>();

function receipt(keys: GatewayKeys, type: 'accepted' | 'delivered', id: string): Receipt {
  const h = held.get(id)!;
  return signReceipt({ ...h.body, type, time: new Date().toISOString(), gateway: `ferry://gateway/${keys.name}`, ...(type === 'delivered' ? { delivered_to: 'ferry://social/benefits' } : {}) }, keys);
}

/** gw2's answer about transfer `id`, as the mode says. */
function report(id: string): Record<string, unknown> {
  const h = held.get(id)!;
  const now = new Date().toISOString();
  let delivered = receipt(keys2, 'delivered', id);
  if (mode === 'tampered-receipt') delivered = { ...delivered, delivered_to: 'ferry://social/elsewhere' }; // signed, then altered
  let hops: HopView[] = [{ gateway: 'ferry://gateway/gw2', state: 'delivered', time: now, receipts: { accepted: h.accepted, delivered } }];
  if (mode === 'unverified-chain') {
    // gw2 says a gw3 delivered it, with a receipt gw2 itself marks as not verified.
    hops = [{ gateway: 'ferry://gateway/gw2', state: 'delivered', time: now, receipts: { accepted: h.accepted } },
      { gateway: 'ferry://gateway/gw3', state: 'delivered', time: now, receipts: { delivered: receipt(keys3, 'delivered', id) }, verified: false }];
  }
  const key = mode === 'forged-report' ? generateKeyPairSync('ed25519').privateKey : keys2.signingKey;
  return { id, state: 'delivered', hops, report: sealReport({ v: 1, transfer: id, gateway: 'ferry://gateway/gw2', state: 'delivered', reason: null, withdrawn: false, hops, time: now }, key) };
}

const creds = pki.gateway('gw2');
const server = createServer({ cert: creds.cert, key: creds.key, ca: pki.caCert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
  const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  if (req.method === 'PUT' && req.url === '/v1/relay') {
    const env = JSON.parse(Buffer.from(String(req.headers['ferry-envelope']).split('.')[0]!, 'base64url').toString('utf8')) as Record<string, any>;
    req.resume();
    req.on('end', () => {
      held.set(env.transfer, { accepted: null as never, body: { transfer: env.transfer, sha256: env.sha256, size: env.size, source: `ferry://${env.source}`, destination: env.destination } });
      let accepted = receipt(keys2, 'accepted', env.transfer);
      if (badAccepted) accepted = { ...accepted, size: accepted.size, time: '2000-01-01T00:00:00.000Z' };
      held.get(env.transfer)!.accepted = accepted;
      answer(202, { id: env.transfer, state: 'queued', receipt: accepted });
    });
    return;
  }
  const m = /^\/v1\/transfers\/([^/]+)$/.exec(req.url ?? '');
  if (req.method === 'GET' && m && held.has(m[1]!)) return answer(200, report(m[1]!));
  answer(404, { code: 'FERRY_NOT_FOUND' });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
t.teardown(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

const gw1 = await prepareHop(t, pki, { name: 'gw1', networks: { police: 0, extranet: 0 }, policy: GW1_POLICY, body: '' });
await appendFile(gw1.configPath, `routes:
  social: { via: gw2, url: "https://127.0.0.1:${(server.address() as { port: number }).port}", key: ${gw2.vkeyPath} }
delivery: { retry_initial: 50ms, retry_max: 400ms }
`);
await gw1.start();
const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));

async function status(id: string): Promise<Record<string, any>> {
  const res = await request(`${gw1.url('police')}/v1/transfers/${id}`, { dispatcher: sender });
  return (await res.body.json()) as Record<string, any>;
}

async function send(text: string): Promise<string> {
  const r = await putFile(sender, gw1.url('police'), Buffer.from(text), { 'ferry-to': 'social/benefits', 'content-length': String(text.length), 'ferry-label': 'internal' });
  t.equal(r.status, 202);
  return r.json.id as string;
}

t.test('a report gw1 cannot verify is not taken; the honest one is', async (t) => {
  const id = await send('checked at every link');
  const refused = async (why: RegExp, what: string) => {
    const s = await until(async () => { const j = await status(id); return why.test(String(j.reason)) ? j : null; }, what);
    t.equal(s.state, 'relayed', `${what}: not settled on its word`);
    t.notOk(s.receipts.delivered, 'no delivered receipt is shown');
  };
  await refused(/answer of ferry:\/\/gateway\/gw2 about the outcome was not taken: its delivered receipt does not verify with the key held for gw2/, 'a delivered receipt altered after signing');
  mode = 'forged-report';
  await refused(/not taken: its signed report does not verify with the key held for this peer/, 'a report signed with another key');
  mode = 'unverified-chain';
  await refused(/not taken: it says delivered without a delivered receipt of the last gateway that was verified on the way/, 'a delivered receipt of a further gateway that gw2 did not verify');
  const refusals = [...readRecords(join(gw1.dataDir, 'audit.db'), { transferId: id })].filter((r) => r.event === 'forwarded' && (r.details as Record<string, unknown>).outcome === 'report-refused');
  t.equal(refusals.length, 3, 'each refused answer is an audit record at gw1, once per reason');
  mode = 'honest';
  const s = await until(async () => { const j = await status(id); return j.state === 'delivered' ? j : null; }, 'delivered on an answer that verifies');
  t.ok(verifyReceipt(s.receipts.delivered, k2), "the delivered receipt verifies with gw2's key");
  t.same(s.hops.map((h: HopView) => [h.gateway, h.state, h.verified]), [['ferry://gateway/gw1', 'delivered', undefined], ['ferry://gateway/gw2', 'delivered', true]], 'gw2 marked verified by gw1');
});

t.test('an accepted receipt that does not verify is marked on the hop and in the record', async (t) => {
  badAccepted = true;
  mode = 'tampered-receipt';
  const id = await send('receipt altered');
  const s = await until(async () => { const j = await status(id); return j.state === 'relayed' ? j : null; }, 'relayed');
  t.equal(s.hops[1].gateway, 'ferry://gateway/gw2');
  t.equal(s.hops[1].verified, false, 'the source sees that the next hop\'s receipt did not verify');
  const fwd = [...readRecords(join(gw1.dataDir, 'audit.db'), { transferId: id })].find((r) => r.event === 'forwarded' && (r.details as Record<string, unknown>).outcome === 'relayed');
  t.equal((fwd?.details as Record<string, unknown>).next_receipt_verified, false, 'and so does the record');
  const sys1 = pki.system('ferry://police/sys1');
  const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(new URL('../bin/ferry.js', import.meta.url)), 'status', id, '--gateway', gw1.url('police'),
    '--cert', sys1.certPath, '--key', sys1.keyPath, '--ca', pki.caCertPath], { encoding: 'utf8' });
  t.match(stdout, /hop: +ferry:\/\/gateway\/gw2 \w+ \S+ \(its receipt did not verify with the key the gateway before holds for it\)/, 'ferry status says so on the hop line');
});
