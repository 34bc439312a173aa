// Withdrawal across hops: a relayed transfer cancelled by an administrator at
// the first gateway (or expired there: multihop-expiry.test.ts) is withdrawn
// from the next gateway, which drops it if it has not delivered it yet; if it
// had, the first gateway records that truthfully. Real gateways, real mTLS.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import t from 'tap';
import { request, type Agent } from 'undici';
import { parseVkey } from '../gateway/audit/signed-note.js';
import { readRecords } from '../gateway/audit/read-records.js';
import { loadOrCreateGatewayKeys } from '../gateway/keys/gateway-keys.js';
import { checkReport } from '../gateway/routing/hop-report.js';
import { endedByWithdrawal } from '../gateway/delivery/withdraw.js';
import { sealWithdrawal, WITHDRAWAL_HEADER, type WithdrawalNote } from '../gateway/routing/withdrawal.js';
import { verifyReceipt } from '../protocol/receipt.js';
import { startChain, type Hop } from './helpers/chain.js';
import { clientFor, putFile, until, type Tap } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { openPublisher, openSubscriber } from './helpers/channels.js';

const pki = await makePki();
const admin = await pki.issue('ferry://admin/alice', 'admin-alice');
const chain = await startChain(t, pki, { administrators: '{ alice: sysadmin }', destinations2: '  social/hr: { delivery: subscribe }' });
const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
const asAdmin = clientFor(t, pki, admin);
const asGw1 = clientFor(t, pki, pki.gateway('gw1'));

async function send(text: string): Promise<string> {
  const r = await putFile(sender, chain.gw1.url('police'), Buffer.from(text), { 'ferry-to': 'social/benefits', 'content-length': String(Buffer.byteLength(text)), 'ferry-label': 'internal' });
  t.equal(r.status, 202);
  return r.json.id as string;
}

async function cancel(id: string): Promise<{ status: number; json: Record<string, any> }> {
  const res = await request(`https://127.0.0.1:${chain.gw1.gw!.adminApiPort}/v1/admin/transfers/${id}/cancel`, { method: 'POST', dispatcher: asAdmin });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, any> };
}

async function status(agent: Agent, hop: Hop, id: string): Promise<Record<string, any>> {
  const res = await request(`${hop.url('police')}/v1/transfers/${id}`, { dispatcher: agent });
  return (await res.body.json()) as Record<string, any>;
}

const records = (hop: Hop, id: string) => [...readRecords(join(hop.dataDir, 'audit.db'), { transferId: id })];
const row = (hop: Hop, id: string) => hop.gw!.context.queue.get(id);

/** gw2's subscription waits on opening message `id` until released (a gate on its sealed body's opening). */
function holdOpening(t: Tap, id: string): { readonly opening: boolean; release(): void } {
  const seal = chain.gw2.gw!.context.messageSeal;
  const open = seal.open.bind(seal);
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const state = { opening: false, release: () => release() };
  seal.open = async (which, sealed) => {
    if (which === id) { state.opening = true; await gate; }
    return open(which, sealed);
  };
  t.teardown(() => { release(); seal.open = open; });
  return state;
}

/** gw1's signed withdrawal of `id`, sent to gw2: its answer. */
async function withdrawAtGw2(id: string, key: Parameters<typeof sealWithdrawal>[1]): Promise<{ status: number; json: unknown }> {
  const note: WithdrawalNote = { v: 1, transfer: id, gateway: 'ferry://gateway/gw1', final: 'failed', reason: 'cancelled upstream', time: new Date().toISOString() };
  const res = await request(`${chain.gw2.url('extranet')}/v1/relay/${id}/withdraw`, { method: 'POST', dispatcher: asGw1, headers: { [WITHDRAWAL_HEADER]: sealWithdrawal(note, key) } });
  return { status: res.statusCode, json: await res.body.json() };
}

t.test('cancelled at gw1 while gw2 still holds it: withdrawn from gw2, failed at both, never delivered', async (t) => {
  chain.receiver.failWith = 503;
  t.teardown(() => { chain.receiver.failWith = null; });
  const id = await send('cancel me');
  await until(async () => (await row(chain.gw1, id))?.state === 'relayed', 'relayed to gw2');
  const c = await cancel(id);
  t.equal(c.status, 200, 'an administrator may cancel a relayed transfer');
  t.match(c.json, { state: 'relayed', withdrawing: true }, 'it is being withdrawn');
  const s = await until(async () => { const j = await status(sender, chain.gw1, id); return j.state !== 'relayed' ? j : null; }, 'the end at gw1');
  t.equal(s.state, 'failed');
  // A push attempt at gw2 that the withdrawal found under way (its bytes sent, no answer yet) is one the
  // receiver may hold: the end says so (push-handed-out.test.ts); between attempts it says "before delivery".
  const inFlight = '; it had been handed out once before \\(to ferry://social/benefits, last at [^)]+\\), unacknowledged: the destination may hold it';
  t.match(s.reason, new RegExp(`^cancelled by the administrator ferry://admin/alice; withdrawn from ferry://gateway/gw2( before delivery|${inFlight})$`));
  t.equal((await row(chain.gw2, id))?.state, 'failed', 'withdrawn at gw2');
  t.match((await row(chain.gw2, id))?.reason, new RegExp(`^withdrawn by ferry://gateway/gw1: cancelled by the administrator ferry://admin/alice(${inFlight})?$`));
  t.match(records(chain.gw1, id).filter((r) => r.event === 'failed').map((r) => r.details), [{ withdrawn_from: 'ferry://gateway/gw2', reason: /cancelled by the administrator/ }], 'gw1 recorded the end once, with the reason');
  t.match(records(chain.gw2, id).filter((r) => r.event === 'failed').map((r) => r.details), [{ withdrawn_by: 'ferry://gateway/gw1', upstream_final: 'failed' }], 'gw2 recorded the withdrawal once, with the reason');
  t.equal((await cancel(id)).status, 409, 'a second cancel is refused: it has ended');

  // The same withdrawal again (an answer lost on the way back): the same answer, no second record.
  const keys1 = await loadOrCreateGatewayKeys(join(chain.gw1.dataDir, 'keys'), 'gw1');
  const note: WithdrawalNote = { v: 1, transfer: id, gateway: 'ferry://gateway/gw1', final: 'failed', reason: 'again', time: new Date().toISOString() };
  const again = await request(`${chain.gw2.url('extranet')}/v1/relay/${id}/withdraw`, { method: 'POST', dispatcher: asGw1, headers: { [WITHDRAWAL_HEADER]: sealWithdrawal(note, keys1.signingKey) } });
  const j = (await again.body.json()) as Record<string, any>;
  t.equal(again.statusCode, 200);
  t.equal(j.withdrawn, true, 'withdrawn, says gw2 again');
  const k2 = parseVkey(await readFile(chain.gw2.vkeyPath, 'utf8')).publicKey;
  const checked = checkReport(j.report, { id, sha256: j.sha256, size: j.size }, 'gw2', [k2]);
  t.ok(checked.ok && checked.report.withdrawn, "and its answer is signed with gw2's key");
  t.equal(records(chain.gw2, id).filter((r) => r.event === 'failed').length, 1, 'still one final record at gw2');
  t.equal(chain.receiver.received.filter((r) => r.headers['ferry-transfer-id'] === id).length, 0, 'nothing reached the destination');
});

t.test('cancelled at gw1 after gw2 delivered it: gw1 records it delivered, with the verified receipt, not cancelled', async (t) => {
  chain.receiver.failWith = 503;
  const id = await send('too late to cancel');
  await until(async () => (await row(chain.gw1, id))?.state === 'relayed', 'relayed to gw2');
  // gw1 asks gw2 for the outcome only in a minute from now, so it has not learnt of the delivery when the cancel comes.
  await chain.gw1.gw!.context.queue.pollLater(id, Date.now() + 60_000, null, null);
  chain.receiver.failWith = null;
  await until(async () => (await row(chain.gw2, id))?.state === 'delivered', 'delivered by gw2');
  t.equal((await row(chain.gw1, id))?.state, 'relayed', 'gw1 does not know yet');
  const c = await cancel(id);
  t.equal(c.status, 200);
  const end = await until(async () => { const r = await row(chain.gw1, id); return r && r.state !== 'relayed' ? r : null; }, 'the end at gw1');
  t.equal(end.state, 'delivered', 'the source is told delivered, which is what happened');
  const k2 = parseVkey(await readFile(chain.gw2.vkeyPath, 'utf8')).publicKey;
  t.ok(end.receiptDelivered && verifyReceipt(end.receiptDelivered, k2), "with gw2's delivered receipt, verified");
  const last = records(chain.gw1, id).pop()!;
  t.equal(last.event, 'delivered');
  t.match(last.details, { by: 'ferry://gateway/gw2', withdrawal: 'too late', withdrawal_reason: /cancelled by the administrator/ }, 'the record says the withdrawal came too late');
  t.equal(chain.receiver.received.filter((r) => r.headers['ferry-transfer-id'] === id).length, 1, 'delivered once');
  t.equal((await row(chain.gw2, id))?.state, 'delivered', 'gw2 keeps it delivered');
});

t.test('withdrawals gw2 does not take: each refused with its code and audited', async (t) => {
  const id = await send('not withdrawn by strangers');
  await until(async () => (await row(chain.gw1, id))?.state === 'delivered', 'delivered');
  const withdraw = async (agent: Agent, header: string | undefined, path = id) => {
    const res = await request(`${chain.gw2.url('extranet')}/v1/relay/${path}/withdraw`, { method: 'POST', dispatcher: agent, headers: header ? { [WITHDRAWAL_HEADER]: header } : {} });
    return { status: res.statusCode, json: (await res.body.json()) as Record<string, any> };
  };
  const note: WithdrawalNote = { v: 1, transfer: id, gateway: 'ferry://gateway/gw1', final: 'failed', reason: 'forged', time: new Date().toISOString() };
  const forged = await withdraw(asGw1, sealWithdrawal(note, generateKeyPairSync('ed25519').privateKey));
  t.match(forged, { status: 403, json: { code: 'FERRY_WITHDRAWAL_INVALID' } }, 'signed with another key than the one gw2 lists for gw1');
  t.match((await withdraw(asGw1, undefined)).json, { code: 'FERRY_WITHDRAWAL_INVALID' }, 'unsigned');
  const keys1 = await loadOrCreateGatewayKeys(join(chain.gw1.dataDir, 'keys'), 'gw1');
  const other = '01900000-0000-7000-8000-000000000000';
  t.match((await withdraw(asGw1, sealWithdrawal(note, keys1.signingKey), other)).json, { code: 'FERRY_WITHDRAWAL_INVALID' }, "gw1's withdrawal of one transfer replayed against another");
  const stranger = clientFor(t, pki, await pki.issue('ferry://gateway/gw9', 'gw9'));
  t.match(await withdraw(stranger, sealWithdrawal(note, keys1.signingKey)), { status: 403, json: { code: 'FERRY_PEER_UNKNOWN' } }, 'a gateway gw2 does not list');
  t.equal((await row(chain.gw2, id))?.state, 'delivered', 'the transfer is untouched');
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(chain.gw2.dataDir, 'audit.db'), { readonly: true });
  t.teardown(() => db.close());
  const refused = db.prepare("SELECT details FROM records WHERE event = 'denied' AND details LIKE '%FERRY_WITHDRAWAL_INVALID%'").all();
  t.ok(refused.length >= 3, 'each invalid withdrawal is an audit record at gw2');
  t.equal((db.prepare("SELECT COUNT(*) AS n FROM records WHERE event = 'denied' AND details LIKE '%FERRY_PEER_UNKNOWN%'").get() as { n: number }).n, 1, 'and the stranger too');
});

t.test('scheduled outcome questions go in batches; the batch answer is checked per transfer and given to the upstream only', async (t) => {
  chain.receiver.failWith = 503;
  t.teardown(() => { chain.receiver.failWith = null; });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push(await send(`batch ${i}`));
  for (const id of ids) await until(async () => (await row(chain.gw1, id))?.state === 'relayed', 'relayed to gw2');

  // The batch endpoint as gw1 asks it: one question, every transfer gw1 handed on, each with gw2's signed report.
  const unknown = '01900000-0000-7000-8000-000000000001';
  const res = await request(`${chain.gw2.url('extranet')}/v1/relay/status?ids=${[...ids, unknown].join(',')}`, { dispatcher: asGw1 });
  t.equal(res.statusCode, 200);
  const answer = (await res.body.json()) as { transfers: Record<string, { state: string; report: string }> };
  t.same(Object.keys(answer.transfers).sort(), [...ids].sort(), 'every transfer gw1 handed on, an unknown id left out');
  const k2 = parseVkey(await readFile(chain.gw2.vkeyPath, 'utf8')).publicKey;
  for (const id of ids) {
    const r = (await row(chain.gw1, id))!;
    const c = checkReport(answer.transfers[id]!.report, r, 'gw2', [k2]);
    t.ok(c.ok && c.report.transfer === id, `the report on ${id} verifies with gw2's key`);
  }
  const asPortal = clientFor(t, pki, pki.system('ferry://extranet/portal'));
  const bySystem = await request(`${chain.gw2.url('extranet')}/v1/relay/status?ids=${ids[0]}`, { dispatcher: asPortal });
  t.match(await bySystem.body.json(), { code: 'FERRY_FORBIDDEN' }, 'a system cannot ask');
  const tooMany = await request(`${chain.gw2.url('extranet')}/v1/relay/status?ids=${Array.from({ length: 101 }, () => ids[0]).join(',')}`, { dispatcher: asGw1 });
  t.match({ status: tooMany.statusCode, json: await tooMany.body.json() }, { status: 400, json: { code: 'FERRY_QUERY_INVALID' } }, 'more than 100 ids are refused');

  // gw1's scheduler: the six questions made due at the same moment go as one batch, and settle all six.
  const m = chain.gw1.gw!.context.metrics;
  const count = async () => ({
    batches: (await m.relayQuestions.get()).values.find((v) => v.labels.kind === 'batch')?.value ?? 0,
    asked: (await m.relayQuestioned.get()).values[0]?.value ?? 0,
  });
  // First gw1's own questions are put off, so that none learns of the delivery on its own schedule.
  await until(async () => {
    let later = true;
    for (const id of ids) {
      if ((await row(chain.gw1, id))!.nextAttemptAt > Date.now() + 30_000) continue;
      later = false;
      await chain.gw1.gw!.context.queue.pollLater(id, Date.now() + 60_000, null, null);
    }
    return later;
  }, "gw1's questions put off");
  chain.receiver.failWith = null;
  for (const id of ids) await until(async () => (await row(chain.gw2, id))?.state === 'delivered', 'delivered by gw2');
  const before = await count();
  const at = Date.now() + 300;
  for (const id of ids) await chain.gw1.gw!.context.queue.pollLater(id, at, null, null);
  for (const id of ids) await until(async () => (await row(chain.gw1, id))?.state === 'delivered', 'delivered at gw1, learnt without the sender asking');
  const after = await count();
  t.ok(after.asked - before.asked >= ids.length, 'every transfer was asked about in a batch');
  t.ok(after.batches - before.batches < ids.length, `in fewer questions than transfers (${after.batches - before.batches} for ${ids.length})`);
});

t.test('a question in flight is waited for: the scheduler neither asks it again nor spins while the next gateway is slow to answer', async (t) => {
  chain.receiver.failWith = 503;
  t.teardown(() => { chain.receiver.failWith = null; });
  const id = await send('slow answer');
  await until(async () => (await row(chain.gw1, id))?.state === 'relayed', 'relayed to gw2');
  const q1 = chain.gw1.gw!.context.queue;
  const q2 = chain.gw2.gw!.context.queue;
  // gw2 is slow to answer about this transfer: its read of the row waits until released.
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  let held = 0;
  const get2 = q2.get.bind(q2);
  q2.get = async (x: string) => {
    if (x === id) { held++; await gate; }
    return get2(x);
  };
  // How often gw1's scheduler looks for due questions.
  let looks = 0;
  const due1 = q1.relayedDue.bind(q1);
  q1.relayedDue = (n: number) => { looks++; return due1(n); };
  t.teardown(() => { release(); q2.get = get2; q1.relayedDue = due1; });

  await q1.pollLater(id, Date.now(), null, null);
  await until(async () => held > 0, 'gw1 asked gw2, which holds the answer');
  const before = looks;
  await new Promise((r) => setTimeout(r, 2000));
  const during = looks - before;
  // Once a second (for expiries) and at each wake; a scheduler that re-armed at 0 ms looked hundreds of times.
  t.ok(during <= 8, `gw1 looked for due questions ${during} times in 2 s while its question was in flight`);
  t.equal(held, 1, 'and did not ask about it again');
  release();
  await until(async () => (await row(chain.gw1, id))!.polls > 0 || (await row(chain.gw1, id))!.nextAttemptAt > Date.now(), 'the answer taken');
});

t.test('a transfer says it was withdrawn only when the withdrawal ended it, not when it ended on its own with a withdrawal on its row', async (t) => {
  // The rows as gw2 holds them at each end, taken from a real transfer of this chain.
  const id = await send('which end');
  const base = (await row(chain.gw1, id))!;
  const asked = { final: 'failed' as const, reason: 'cancelled by the administrator ferry://admin/alice', at: Date.now() };
  const ended = (state: typeof base.state, reason: string | null, w: typeof base.withdrawal = asked) => ({ ...base, state, reason, withdrawal: w });
  t.ok(endedByWithdrawal(ended('failed', `${asked.reason}; ferry://gateway/gw3 no longer held it`)), 'withdrawn from the next gateway, which no longer held it');
  t.ok(endedByWithdrawal(ended('failed', `${asked.reason}; withdrawn from ferry://gateway/gw3 before delivery`)), 'withdrawn from the next gateway before delivery');
  const here = { ...asked, by: 'ferry://gateway/gw1' };
  t.ok(endedByWithdrawal(ended('failed', `withdrawn by ferry://gateway/gw1: ${asked.reason}`, here)), 'withdrawn here while it waited');
  t.notOk(endedByWithdrawal(ended('failed', 'ferry://social/benefits refused it: 403 Forbidden')), 'refused further on after the withdrawal was asked: ended on its own');
  t.notOk(endedByWithdrawal(ended('denied', 'denied by ferry://gateway/gw3: rule deny-keyword')), 'denied further on');
  t.notOk(endedByWithdrawal(ended('delivered', null)), 'delivered before the withdrawal came');
  t.notOk(endedByWithdrawal(ended('expired', `${asked.reason}; withdrawn from ferry://gateway/gw3 before delivery`)), 'a state other than the one the withdrawal asked for');
  t.notOk(endedByWithdrawal(ended('failed', `${asked.reason}; ferry://gateway/gw3 no longer held it`, null)), 'no withdrawal on the row');
  t.notOk(endedByWithdrawal(ended('relayed', null)), 'still being withdrawn');
});

t.test('a message withdrawn while a subscriber holds it unacknowledged: busy until the ack (then delivered), withdrawn once the subscriber left without one', async (t) => {
  const pub = await openPublisher(chain.gw1.gw!.ports.police!, pki.caCert, pki.system('ferry://police/sys1'), 'notes');
  t.teardown(() => pub.close());
  const keys1 = await loadOrCreateGatewayKeys(join(chain.gw1.dataDir, 'keys'), 'gw1');
  const withdraw = async (id: string) => {
    const note: WithdrawalNote = { v: 1, transfer: id, gateway: 'ferry://gateway/gw1', final: 'failed', reason: 'cancelled upstream', time: new Date().toISOString() };
    const res = await request(`${chain.gw2.url('extranet')}/v1/relay/${id}/withdraw`, { method: 'POST', dispatcher: asGw1, headers: { [WITHDRAWAL_HEADER]: sealWithdrawal(note, keys1.signingKey) } });
    return { status: res.statusCode, json: (await res.body.json()) as Record<string, any> };
  };
  const sub = await openSubscriber(chain.gw2.gw!.ports.social!, pki.caCert, pki.system('ferry://social/hr'), 'notes');
  t.teardown(() => sub.close());

  const a = await pub.send({ to: 'social/hr', label: 'internal', body: 'held by the subscriber' });
  t.equal(a.status, 202);
  const [first] = await sub.waitFor(1);
  t.equal(first!.id, a.id, 'relayed to gw2 and sent to its subscriber');
  const busy = await withdraw(a.id as string);
  t.match(busy, { status: 409, json: { code: 'FERRY_TRANSFER_BUSY', detail: /with a subscriber, not yet acknowledged/ } }, 'not withdrawn from under the subscriber');
  t.equal((await row(chain.gw2, a.id as string))?.state, 'queued', 'still waiting for its ack');
  sub.ack(first!.seq);
  await until(async () => (await row(chain.gw2, a.id as string))?.state === 'delivered', 'the ack settles it delivered');
  t.match(await withdraw(a.id as string), { status: 200, json: { state: 'delivered', withdrawn: false } }, 'asked again: too late, it was delivered');

  // The subscriber leaves without acking the next one: then it can be withdrawn, and is not sent again.
  const b = await pub.send({ to: 'social/hr', label: 'internal', body: 'never acknowledged' });
  await sub.waitFor(2);
  await sub.close();
  const w = await until(async () => { const r = await withdraw(b.id as string); return r.status === 200 ? r : null; }, 'withdrawn once no subscriber holds it');
  t.match(w.json, { state: 'failed', withdrawn: true });
  const again = await openSubscriber(chain.gw2.gw!.ports.social!, pki.caCert, pki.system('ferry://social/hr'), 'notes');
  t.teardown(() => again.close());
  const c = await pub.send({ to: 'social/hr', label: 'internal', body: 'after the withdrawal' });
  const [next] = await again.waitFor(1);
  t.equal(next!.id, c.id, 'the next subscriber gets what follows, not the withdrawn message');
});

t.test('a message withdrawn after a subscription read it, before its turn to be sent: not sent', async (t) => {
  const pub = await openPublisher(chain.gw1.gw!.ports.police!, pki.caCert, pki.system('ferry://police/sys1'), 'notes');
  t.teardown(() => pub.close());
  const keys1 = await loadOrCreateGatewayKeys(join(chain.gw1.dataDir, 'keys'), 'gw1');
  const a = await pub.send({ to: 'social/hr', label: 'internal', body: 'first in the batch' });
  const b = await pub.send({ to: 'social/hr', label: 'internal', body: 'second in the batch, withdrawn' });
  for (const m of [a, b]) await until(async () => (await row(chain.gw2, m.id as string))?.state === 'queued', 'queued at gw2');
  // gw2's subscription will read both in one batch, then wait on opening the first.
  const gate = holdOpening(t, a.id as string);
  const sub = await openSubscriber(chain.gw2.gw!.ports.social!, pki.caCert, pki.system('ferry://social/hr'), 'notes');
  t.teardown(() => sub.close());
  await until(async () => gate.opening, 'the subscription opening the first message');
  const res = await withdrawAtGw2(b.id as string, keys1.signingKey);
  t.match(res, { status: 200, json: { state: 'failed', withdrawn: true } }, 'the second is withdrawn while the first is being opened');
  gate.release();
  const c = await pub.send({ to: 'social/hr', label: 'internal', body: 'after' });
  // (What an earlier subtest left unacknowledged comes first: only these three are looked at.)
  await until(async () => sub.messages.some((f) => f.id === c.id), 'the next message');
  const ours = sub.messages.filter((f) => [a.id, b.id, c.id].includes(f.id));
  t.same(ours.map((f) => f.id), [a.id, c.id], 'the subscriber gets the first and the next, never the withdrawn one');
  sub.ack(sub.messages[sub.messages.length - 1]!.seq);
});

t.test('a message handed to an open subscription as it was queued, withdrawn before its turn to be sent: not sent', async (t) => {
  const pub = await openPublisher(chain.gw1.gw!.ports.police!, pki.caCert, pki.system('ferry://police/sys1'), 'notes');
  t.teardown(() => pub.close());
  const keys1 = await loadOrCreateGatewayKeys(join(chain.gw1.dataDir, 'keys'), 'gw1');
  const a = await pub.send({ to: 'social/hr', label: 'internal', body: 'first, read from the queue' });
  await until(async () => (await row(chain.gw2, a.id as string))?.state === 'queued', 'queued at gw2');
  // gw2's subscription reads the first from the queue and waits on opening it; meanwhile the
  // second is queued and handed to the subscription (it is not next in order yet), then withdrawn.
  const gate = holdOpening(t, a.id as string);
  const sub = await openSubscriber(chain.gw2.gw!.ports.social!, pki.caCert, pki.system('ferry://social/hr'), 'notes');
  t.teardown(() => sub.close());
  await until(async () => gate.opening, 'the subscription opening the first message');
  const b = await pub.send({ to: 'social/hr', label: 'internal', body: 'second, handed over as queued, withdrawn' });
  await until(async () => (await row(chain.gw2, b.id as string))?.state === 'queued', 'the second queued at gw2 while the subscription is open');
  const res = await withdrawAtGw2(b.id as string, keys1.signingKey);
  t.match(res, { status: 200, json: { state: 'failed', withdrawn: true } }, 'withdrawn while held by the subscription, not yet sent');
  gate.release();
  const c = await pub.send({ to: 'social/hr', label: 'internal', body: 'after, handed over' });
  await until(async () => sub.messages.some((f) => f.id === c.id), 'the next message');
  const ours = sub.messages.filter((f) => [a.id, b.id, c.id].includes(f.id));
  t.same(ours.map((f) => f.id), [a.id, c.id], 'the subscriber gets the first and the next, never the withdrawn one');
  t.same(ours.map((f) => f.body), ['first, read from the queue', 'after, handed over'], 'bodies as published, whichever way they were sent');
  sub.ack(sub.messages[sub.messages.length - 1]!.seq);
});
