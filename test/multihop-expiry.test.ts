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

t.test('relayed, but the next gateway never confirms: expired at hop 1 when the config says, with the reason', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { delivery1: '{ retry_initial: 50ms, retry_max: 200ms, expire_after: 3s }' });
  chain.receiver.failWith = 503; // gw2 holds the transfer (its own expiry is days away) and never delivers it
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, chain.gw1.url('police'), Buffer.from('held downstream'), { 'ferry-to': 'social/benefits', 'content-length': '15', 'ferry-label': 'internal' });
  t.equal(r.status, 202);
  const id = r.json.id as string;
  await until(async () => (await state(sender, chain.gw1, id)).state === 'relayed', 'relayed to gw2');
  const s = await until(async () => { const j = await state(sender, chain.gw1, id); return j.state !== 'relayed' ? j : null; }, 'the end at gw1', 30_000);
  t.equal(s.state, 'expired', 'the source learns the transfer expired, not that it is still under way');
  t.match(s.reason, /relayed to ferry:\/\/gateway\/gw2, which did not confirm delivery within 3 s; last seen there: (queued|forwarding) at /, 'the reason names the next hop and what it last said (waiting there, or being pushed on when asked)');
  t.ok(['queued', 'forwarding'].includes(String((await chain.gw2.gw!.context.queue.get(id))?.state)), 'gw2 still holds it (waiting, or trying to push it on): only gw1 stopped waiting');
  const { readRecords } = await import('../gateway/audit/read-records.js');
  const { join } = await import('node:path');
  const expired = [...readRecords(join(chain.gw1.dataDir, 'audit.db'), { transferId: id })].filter((x) => x.event === 'expired');
  t.equal(expired.length, 1, 'one expired record at gw1');
  t.ok(['queued', 'forwarding'].includes(String((expired[0]!.details as Record<string, unknown>).downstream_state)), 'the record names the state gw2 last reported');
  t.equal((expired[0]!.details as Record<string, unknown>).next_hop, 'ferry://gateway/gw2');
  t.equal(chain.receiver.received.length, 0);
});
