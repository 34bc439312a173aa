// Between gateways, every refusal has its code and is an audit record:
// a gateway certificate not listed as a peer, a peer asserting a source on a
// network it does not speak for, a tampered envelope, an envelope replayed
// with another body, a routing loop, and a destination no route reaches.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import t from 'tap';
import { request, type Agent } from 'undici';
import { readRecords } from '../gateway/audit/read-records.js';
import { loadOrCreateGatewayKeys } from '../gateway/keys/gateway-keys.js';
import { signReceipt } from '../gateway/receipts/sign-receipt.js';
import { uuidv7 } from '../protocol/ids.js';
import { sealEnvelope, type Envelope } from '../gateway/routing/envelope.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { initGatewayKeys } from '../gateway/keys/init-keys.js';
import { GW1_POLICY, GW2_POLICY, freePort, prepareHop, startChain, type Hop } from './helpers/chain.js';
import { clientFor, putFile, sha256, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { envelopeFrom } from './helpers/relay-envelope.js';

async function relay(agent: Agent, hop: Hop, envelope: string, body: Buffer, id: string): Promise<{ status: number; json: Record<string, any> }> {
  const res = await request(`${hop.url('extranet')}/v1/relay`, {
    method: 'PUT', dispatcher: agent, body,
    headers: { 'ferry-envelope': envelope, 'content-length': String(body.length), 'idempotency-key': id },
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, any> };
}

/** An envelope as gw1 would sign it for `body`, with gw1's own accepted receipt. */
async function envelopeFromGw1(gw1: Hop, body: Buffer, over: Partial<Envelope> = {}): Promise<{ env: Envelope; sealed: string; id: string }> {
  return envelopeFrom(gw1.dataDir, 'gw1', body, over);
}

function deniedCodes(hop: Hop): string[] {
  return [...readRecords(join(hop.dataDir, 'audit.db'), { event: 'denied' })].map((r) => String((r.details as { code?: string } | null)?.code));
}

t.test('peers, envelopes and bodies are checked, each refusal with its code and audited', async (t) => {
  const pki = await makePki();
  // gw4 is a second listed peer, to try an id gw2 already holds from gw1.
  const gw4Dir = await mkdtemp(join(tmpdir(), 'ferry-gw4-'));
  t.teardown(() => rm(gw4Dir, { recursive: true, force: true }));
  const gw4Key = await initGatewayKeys(gw4Dir, 'gw4');
  const chain = await startChain(t, pki, { extraPeers2: `  gw4: { networks: [police], key: "${gw4Key.vkey}" }` });
  const asGw1 = clientFor(t, pki, pki.gateway('gw1'));
  const body = randomBytes(40_000);

  // A gateway certificate from our CA, but not listed under gw2's peers.
  const gw3 = await pki.issue('ferry://gateway/gw3', 'gw3-unlisted', { days: 30 });
  const asGw3 = clientFor(t, pki, gw3);
  const ok = await envelopeFromGw1(chain.gw1, body);
  let r = await relay(asGw3, chain.gw2, ok.sealed, body, ok.id);
  t.equal(r.status, 403);
  t.equal(r.json.code, 'FERRY_PEER_UNKNOWN', 'an unlisted gateway is refused');

  // gw1 may speak for police only.
  const foreign = await envelopeFromGw1(chain.gw1, body, { source: 'health/clinic' });
  r = await relay(asGw1, chain.gw2, foreign.sealed, body, foreign.id);
  t.equal(r.json.code, 'FERRY_PEER_SOURCE_FORBIDDEN', 'a peer asserting a source on a network it does not border is refused');

  // One byte of the signed JSON changed: the label lowered.
  const [json, sig] = ok.sealed.split('.') as [string, string];
  const tampered = Buffer.from(Buffer.from(json, 'base64url').toString('utf8').replace('"label":"internal"', '"label":"public"')).toString('base64url');
  r = await relay(asGw1, chain.gw2, `${tampered}.${sig}`, body, ok.id);
  t.equal(r.json.code, 'FERRY_ENVELOPE_INVALID', 'a tampered envelope is refused');
  r = await relay(asGw1, chain.gw2, '', body, ok.id);
  t.equal(r.json.code, 'FERRY_ENVELOPE_INVALID', 'and so is a relay without one');

  // The envelope is bound to its body: same length, other bytes.
  const other = randomBytes(body.length);
  r = await relay(asGw1, chain.gw2, ok.sealed, other, ok.id);
  t.equal(r.status, 422);
  t.equal(r.json.code, 'FERRY_ENVELOPE_MISMATCH', 'an envelope with another body is refused after the pass');
  t.equal(await chain.gw2.gw!.context.queue.get(ok.id), undefined, 'and nothing of it is kept');
  // The right body is accepted; the same envelope replayed afterwards with another body gets the first answer and queues nothing.
  r = await relay(asGw1, chain.gw2, ok.sealed, body, ok.id);
  t.equal(r.status, 202, 'the body the envelope was signed for is accepted');
  t.equal(r.json.id, ok.id, 'under the id chosen upstream');
  r = await relay(asGw1, chain.gw2, ok.sealed, other, ok.id);
  t.equal(r.status, 202);
  t.equal(r.json.idempotent_replay, true, 'a replay gets the first answer, its body unread');
  await until(() => chain.receiver.received.length >= 1, 'the delivery');
  await new Promise((res) => setTimeout(res, 300));
  t.equal(chain.receiver.received.length, 1, 'delivered once');
  t.equal(chain.receiver.received[0]!.sha256, sha256(body), 'and only the body the envelope was signed for');

  // The id chosen upstream is one transfer's for good: another peer cannot hand on another transfer under it.
  const asGw4 = clientFor(t, pki, await pki.issue('ferry://gateway/gw4', 'gw4', { days: 30 }));
  const clash = await envelopeFrom(gw4Dir, 'gw4', body, { transfer: ok.id });
  r = await relay(asGw4, chain.gw2, clash.sealed, body, ok.id);
  t.equal(r.status, 409);
  t.equal(r.json.code, 'FERRY_ID_CONFLICT', 'an id already held from another upstream is refused');

  // A system certificate cannot relay, a gateway certificate cannot upload as a system.
  const asSystem = clientFor(t, pki, pki.system('ferry://extranet/portal'));
  r = await relay(asSystem, chain.gw2, ok.sealed, body, ok.id);
  t.equal(r.json.code, 'FERRY_FORBIDDEN');

  // max_hops (8): a transfer that has crossed eight gateways already is not taken by a ninth.
  const long = await envelopeFromGw1(chain.gw1, body, { path: ['gwa', 'gwb', 'gwc', 'gwd', 'gwe', 'gwf', 'gwg', 'gw1'] });
  r = await relay(asGw1, chain.gw2, long.sealed, body, long.id);
  t.equal(r.status, 409);
  t.equal(r.json.code, 'FERRY_HOP_LIMIT', 'a path as long as max_hops allows is refused');
  t.equal(await chain.gw2.gw!.context.queue.get(long.id), undefined, 'and nothing of it is kept');

  const codes = deniedCodes(chain.gw2);
  for (const code of ['FERRY_PEER_UNKNOWN', 'FERRY_PEER_SOURCE_FORBIDDEN', 'FERRY_ENVELOPE_INVALID', 'FERRY_ID_CONFLICT', 'FERRY_HOP_LIMIT']) t.ok(codes.includes(code), `${code} is in gw2's audit log`);
  const unknown = [...readRecords(join(chain.gw2.dataDir, 'audit.db'), { event: 'denied' })].find((x) => (x.details as { code?: string })?.code === 'FERRY_PEER_UNKNOWN');
  t.equal(unknown?.principal, 'ferry://gateway/gw3', 'naming the gateway that knocked');
  const mismatch = [...readRecords(join(chain.gw2.dataDir, 'audit.db'), { transferId: ok.id })].find((x) => x.event === 'failed');
  t.equal((mismatch?.details as { code?: string })?.code, 'FERRY_ENVELOPE_MISMATCH', 'the mismatch is recorded with the transfer');

  // No route: refused at the door.
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const nr = await putFile(sender, chain.gw1.url('police'), Buffer.from('x'), { 'ferry-to': 'health/clinic', 'content-length': '1', 'ferry-label': 'internal' });
  t.equal(nr.status, 404);
  t.equal(nr.json.code, 'FERRY_ROUTE_UNKNOWN');
  t.ok(deniedCodes(chain.gw1).includes('FERRY_ROUTE_UNKNOWN'), 'audited at gw1');
});

t.test('a loop in two gateways\' routes: refused with FERRY_ROUTE_LOOP, nothing delivered, the transfer settles', async (t) => {
  const pki = await makePki();
  const [p1, e1, e2, h2] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const gw1 = await prepareHop(t, pki, { name: 'gw1', networks: { police: p1, extranet: e1 }, policy: GW1_POLICY, body: '' });
  const gw2 = await prepareHop(t, pki, { name: 'gw2', networks: { extranet: e2, health: h2 }, policy: GW2_POLICY, body: '' });
  const { appendFile } = await import('node:fs/promises');
  // Each thinks the other reaches social.
  await appendFile(gw1.configPath, `routes:\n  social: { via: gw2, url: "https://127.0.0.1:${e2}" }\npeers:\n  gw2: { networks: [police], key: ${gw2.vkeyPath} }\ndelivery: { retry_initial: 50ms, retry_max: 400ms }\n`);
  await appendFile(gw2.configPath, `routes:\n  social: { via: gw1, url: "https://127.0.0.1:${e1}" }\npeers:\n  gw1: { networks: [police], key: ${gw1.vkeyPath} }\ndelivery: { retry_initial: 50ms, retry_max: 400ms }\n`);
  await gw2.start();
  await gw1.start();
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, gw1.url('police'), Buffer.from('round and round'), { 'ferry-to': 'social/benefits', 'content-length': '15', 'ferry-label': 'internal' });
  t.equal(r.status, 202);
  const s = await until(async () => {
    const res = await request(`${gw1.url('police')}/v1/transfers/${r.json.id}`, { dispatcher: sender });
    const j = (await res.body.json()) as Record<string, any>;
    return ['delivered', 'denied', 'failed', 'expired'].includes(j.state) ? j : null;
  }, 'the looping transfer to settle', 60_000);
  t.equal(s.state, 'failed', 'the transfer settles');
  t.match(s.reason, /FERRY_ROUTE_LOOP/, 'with the loop as its reason');
  // gw1 took it, gw2 took it and relayed it back, gw1 found itself on the path and refused.
  t.same(s.hops.map((h: { gateway: string; state: string; code?: string }) => [h.gateway, h.state, h.code ?? null]),
    [['ferry://gateway/gw1', 'failed', null], ['ferry://gateway/gw2', 'failed', null], ['ferry://gateway/gw1', 'failed', 'FERRY_ROUTE_LOOP']]);
  t.equal(s.refused_by.code, 'FERRY_ROUTE_LOOP');
  t.ok(deniedCodes(gw1).includes('FERRY_ROUTE_LOOP'), 'gw1 audited the loop it refused');
  const atGw2 = [...readRecords(join(gw2.dataDir, 'audit.db'), { transferId: r.json.id })].find((x) => x.event === 'failed');
  t.equal((atGw2?.details as { code?: string })?.code, 'FERRY_ROUTE_LOOP', 'gw2 recorded the refusal it got');
});

t.test('a peer\'s envelope names a channel only as a system could (N7): a message has one, a file none', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki);
  const asGw1 = clientFor(t, pki, pki.gateway('gw1'));
  const body = Buffer.from('an ordinary note\n');
  const refused: Array<[string, Partial<Envelope>]> = [
    ['a path', { kind: 'message', channel: '../../etc' }],
    ['5,000 characters', { kind: 'message', channel: 'a'.repeat(5000) }],
    ['upper case and punctuation', { kind: 'message', channel: 'Cases!' }],
    ['CR LF', { kind: 'message', channel: 'a\r\nferry-to: x' }],
    ['an id number', { kind: 'message', channel: 'case-11010519491231002X' }],
    ['the empty name', { kind: 'message', channel: '' }],
    ['no channel on a message', { kind: 'message' }],
    ['a channel on a file', { kind: 'file', channel: 'notes' }],
  ];
  for (const [what, over] of refused) {
    const e = await envelopeFromGw1(chain.gw1, body, over);
    const r = await relay(asGw1, chain.gw2, e.sealed, body, e.id);
    t.equal(r.status, 403, `${what}: 403`);
    t.equal(r.json.code, 'FERRY_ENVELOPE_INVALID', `${what}: FERRY_ENVELOPE_INVALID`);
    t.equal(await chain.gw2.gw!.context.queue.get(e.id), undefined, `${what}: nothing kept`);
  }
  const audit = JSON.stringify([...readRecords(join(chain.gw2.dataDir, 'audit.db'), {})]);
  t.notOk(audit.includes('11010519491231002X') || audit.includes('110105194912310'), 'the id in a channel is nowhere in gw2\'s audit log');
  t.equal(deniedCodes(chain.gw2).filter((c) => c === 'FERRY_ENVELOPE_INVALID').length, refused.length, 'each refusal audited with its code');
  // What systems name their channels crosses.
  for (const channel of ['notes', 'case-files_2026', 'a']) {
    const e = await envelopeFromGw1(chain.gw1, body, { kind: 'message', channel });
    const r = await relay(asGw1, chain.gw2, e.sealed, body, e.id);
    t.equal(r.status, 202, `a message on channel ${channel}: 202`);
  }
  const file = await envelopeFromGw1(chain.gw1, body);
  t.equal((await relay(asGw1, chain.gw2, file.sealed, body, file.id)).status, 202, 'a file without a channel: 202');
});
