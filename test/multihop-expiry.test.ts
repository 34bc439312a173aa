// The next hop down: a transfer relayed when it comes back; past the expiry,
// expired at the first hop with the next hop's last error as the reason.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { request, type Agent } from 'undici';
import { startChain, type Hop } from './helpers/chain.js';
import { clientFor, putFile, sha256, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

async function state(agent: Agent, hop: Hop, id: string): Promise<Record<string, any>> {
  const res = await request(`${hop.url('police')}/v1/transfers/${id}`, { dispatcher: agent });
  return (await res.body.json()) as Record<string, any>;
}

t.test('the next hop down for a while: delivered when it comes back', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { fixedPorts: true, noStart: true });
  await chain.gw1.start();
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = randomBytes(70_000);
  const r = await putFile(sender, chain.gw1.url('police'), body, { 'ferry-to': 'social/benefits', 'content-length': String(body.length), 'ferry-label': 'internal' });
  t.equal(r.status, 202);
  const row = await until(async () => { const x = await chain.gw1.gw!.context.queue.get(r.json.id); return x && x.attempts >= 2 ? x : null; }, 'two failed relay attempts');
  t.match(row.reason, /relay to gw2 failed: .*ECONNREFUSED/, 'the reason of the last failure is kept');
  await chain.gw2.start();
  await until(() => chain.receiver.received.length === 1, 'the delivery');
  t.equal(chain.receiver.received[0]!.sha256, sha256(body));
  await until(async () => (await state(sender, chain.gw1, r.json.id)).state === 'delivered', 'delivered at gw1');
});

t.test('the next hop down past the expiry: expired at hop 1, with the reason', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { fixedPorts: true, noStart: true, delivery1: '{ retry_initial: 50ms, retry_max: 200ms, expire_after: 1500ms }' });
  await chain.gw1.start();
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, chain.gw1.url('police'), Buffer.from('too late'), { 'ferry-to': 'social/benefits', 'content-length': '8', 'ferry-label': 'internal' });
  t.equal(r.status, 202);
  const s = await until(async () => { const j = await state(sender, chain.gw1, r.json.id); return j.state === 'expired' ? j : null; }, 'expired', 30_000);
  t.match(s.reason, /not delivered within 2 s; last error: relay to gw2 failed/, 'the reason names the next hop and its last error');
  t.equal(chain.receiver.received.length, 0);
});

t.test('relayed, but the next gateway never confirms: withdrawn from it, expired at hop 1 when the config says, with the reason', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { delivery1: '{ retry_initial: 50ms, retry_max: 200ms, expire_after: 3s }' });
  chain.receiver.failWith = 503; // gw2 holds the transfer (its own expiry is days away) and cannot deliver it yet
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, chain.gw1.url('police'), Buffer.from('held downstream'), { 'ferry-to': 'social/benefits', 'content-length': '15', 'ferry-label': 'internal' });
  t.equal(r.status, 202);
  const id = r.json.id as string;
  await until(async () => (await state(sender, chain.gw1, id)).state === 'relayed', 'relayed to gw2');
  const s = await until(async () => { const j = await state(sender, chain.gw1, id); return j.state !== 'relayed' ? j : null; }, 'the end at gw1', 30_000);
  t.equal(s.state, 'expired', 'the source learns the transfer expired, not that it is still under way');
  // (A push attempt at gw2 under way when the withdrawal came, no answer yet, is one the receiver may hold.)
  t.match(s.reason, /^relayed to ferry:\/\/gateway\/gw2, which did not confirm delivery within 3 s; last seen there: (queued|forwarding) at .*; withdrawn from ferry:\/\/gateway\/gw2( before delivery|; it had been handed out once before \(to ferry:\/\/social\/benefits, last at [^)]+\), unacknowledged: the destination may hold it)$/,
    'the reason names the next hop, what it last said, and that it was withdrawn from there');
  t.match(s.withdrawal, { final: 'expired', reason: /did not confirm delivery within 3 s/ }, 'the source sees the withdrawal');
  // gw2 dropped it: it ends there too, with gw1's reason, and is never delivered, even once the destination answers again.
  const held = await chain.gw2.gw!.context.queue.get(id);
  t.equal(held?.state, 'failed', 'withdrawn at gw2');
  t.match(held?.reason, /^withdrawn by ferry:\/\/gateway\/gw1: relayed to ferry:\/\/gateway\/gw2, which did not confirm delivery/);
  t.same(s.hops.map((h: any) => [h.gateway, h.state, h.verified]), [['ferry://gateway/gw1', 'expired', undefined], ['ferry://gateway/gw2', 'failed', true]], 'both hops, gw2 as its signed answer said');
  const { readRecords } = await import('../gateway/audit/read-records.js');
  const { join } = await import('node:path');
  // The row is settled first and its record follows (settle.ts): the state can be read a moment before the record.
  await until(() => [...readRecords(join(chain.gw1.dataDir, 'audit.db'), { transferId: id })].some((x) => x.event === 'expired'), 'the expired record at gw1');
  const at1 = [...readRecords(join(chain.gw1.dataDir, 'audit.db'), { transferId: id })];
  const expired = at1.filter((x) => x.event === 'expired');
  t.equal(expired.length, 1, 'one expired record at gw1');
  t.ok(['queued', 'forwarding'].includes(String((expired[0]!.details as Record<string, unknown>).downstream_state)), 'the record names the state gw2 last reported');
  t.equal((expired[0]!.details as Record<string, unknown>).next_hop, 'ferry://gateway/gw2');
  t.equal((expired[0]!.details as Record<string, unknown>).withdrawn_from, 'ferry://gateway/gw2', 'and that it was withdrawn from there');
  t.equal(at1.filter((x) => x.event === 'forwarded' && (x.details as Record<string, unknown>).outcome === 'withdrawing').length, 1, 'gw1 recorded asking for the withdrawal, once');
  await until(() => [...readRecords(join(chain.gw2.dataDir, 'audit.db'), { transferId: id })].some((x) => x.event === 'failed'), 'the failed record at gw2');
  const at2 = [...readRecords(join(chain.gw2.dataDir, 'audit.db'), { transferId: id })].filter((x) => x.event === 'failed');
  t.equal(at2.length, 1, 'one final record at gw2');
  t.match(at2[0]!.details, { withdrawn_by: 'ferry://gateway/gw1', upstream_final: 'expired', reason: /^withdrawn by ferry:\/\/gateway\/gw1: / }, 'gw2 recorded the withdrawal with its reason');
  chain.receiver.failWith = null;
  await new Promise((res) => setTimeout(res, 1500)); // gw2's retries were every 50–400 ms: it would have pushed by now
  t.equal(chain.receiver.received.length, 0, 'nothing reached the destination');
  t.equal((await chain.gw2.gw!.context.queue.get(id))?.state, 'failed', 'and gw2 still has it withdrawn');
});
