// Content handed out before any acknowledgement is on the record (red team
// 30 Nov 2026, night, N6): a pull download and every message frame sent to a
// subscriber (a redelivery after a reconnect too) is a `handed-out` record
// naming who took it, and a transfer withdrawn, cancelled or expired after
// that says it had been handed out, at every gateway and to its sender, never
// "withdrawn before delivery". Real gateways (gw1 → gw2), real mTLS.
import { join } from 'node:path';
import t from 'tap';
import { request, type Agent } from 'undici';
import { readRecords, type AuditRecord } from '../gateway/audit/read-records.js';
import { verifyLogFile } from '../gateway/audit/verify.js';
import { startChain, type Hop } from './helpers/chain.js';
import { clientFor, putFile, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { openPublisher, openSubscriber } from './helpers/channels.js';

const pki = await makePki();
const admin = await pki.issue('ferry://admin/alice', 'admin-alice');
const inboxCreds = await pki.issue('ferry://social/inbox', 'social-inbox');
const chain = await startChain(t, pki, {
  administrators: '{ alice: sysadmin }',
  destinations2: '  social/hr: { delivery: subscribe }\n  social/inbox: { delivery: pull }',
});
const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
const asAdmin = clientFor(t, pki, admin);
const asInbox = clientFor(t, pki, inboxCreds);

const records = (hop: Hop, id: string): AuditRecord[] => [...readRecords(join(hop.dataDir, 'audit.db'), { transferId: id })];
const handedOut = (hop: Hop, id: string) => records(hop, id).filter((r) => r.event === 'handed-out');
const row = (hop: Hop, id: string) => hop.gw!.context.queue.get(id);

async function status(agent: Agent, hop: Hop, id: string): Promise<Record<string, any>> {
  const res = await request(`${hop.url('police')}/v1/transfers/${id}`, { dispatcher: agent });
  return (await res.body.json()) as Record<string, any>;
}

async function cancel(id: string): Promise<number> {
  const res = await request(`https://127.0.0.1:${chain.gw1.gw!.adminApiPort}/v1/admin/transfers/${id}/cancel`, { method: 'POST', dispatcher: asAdmin });
  await res.body.text();
  return res.statusCode;
}

t.test('a pull download is recorded each time, before the content leaves; a withdrawal after it says so at both gateways and to the sender', async (t) => {
  const text = 'downloaded, never acknowledged';
  const up = await putFile(sender, chain.gw1.url('police'), Buffer.from(text), { 'ferry-to': 'social/inbox', 'content-length': String(text.length), 'ferry-label': 'internal' });
  t.equal(up.status, 202);
  const id = up.json.id as string;
  await until(async () => (await row(chain.gw2, id))?.state === 'queued', 'waiting in gw2\'s inbox');
  t.same(handedOut(chain.gw2, id), [], 'nothing handed out before the download');
  for (let i = 0; i < 2; i++) {
    const res = await request(`${chain.gw2.url('social')}/v1/inbox/${id}`, { dispatcher: asInbox });
    t.equal(await res.body.text(), text, `download ${i + 1} gets the content`);
  }
  const h = handedOut(chain.gw2, id);
  t.equal(h.length, 2, 'two downloads, two handed-out records at gw2');
  t.match(h[0], { principal: 'ferry://gateway/gw1', source: 'police/sys1', destination: 'social/inbox', size: text.length, details: { handed_to: 'ferry://social/inbox', via: 'pull' } });
  t.equal(h[0]!.sha256, up.json.receipt.sha256, 'with the content\'s hash');
  t.same([...readRecords(join(chain.gw2.dataDir, 'audit.db'), { event: 'handed-out', transferId: id })].map((r) => r.seq), h.map((r) => r.seq), 'found by event, as ferry log query --event handed-out finds them');
  const waiting = await until(async () => { const s = await status(sender, chain.gw1, id); return s.handed_out ? s : null; }, 'the sender told it was handed out');
  t.equal(waiting.state, 'relayed', 'still not acknowledged');
  t.match(waiting.handed_out, { count: 2, to: ['ferry://social/inbox'] }, 'the sender sees two downloads by social/inbox');

  t.equal(await cancel(id), 200, 'the administrator cancels it at gw1');
  const end = await until(async () => { const s = await status(sender, chain.gw1, id); return s.state !== 'relayed' ? s : null; }, 'the end at gw1');
  t.equal(end.state, 'failed');
  t.notMatch(end.reason, /before delivery|no longer held/, 'never "withdrawn before delivery"');
  t.match(end.reason, /^cancelled by the administrator ferry:\/\/admin\/alice; withdrawn from ferry:\/\/gateway\/gw2; it had been handed out 2 times before \(to ferry:\/\/social\/inbox, last at .+\), unacknowledged: the destination may hold it$/);
  t.match(end.handed_out, { count: 2 });
  const gw2End = records(chain.gw2, id).find((r) => r.event === 'failed');
  t.match(gw2End?.details, { withdrawn_by: 'ferry://gateway/gw1', handed_out: { count: 2, to: ['ferry://social/inbox'] } }, 'gw2\'s record of the withdrawal counts the downloads');
  t.match(String(gw2End?.details?.reason), /it had been handed out 2 times before/);
  const gw1End = records(chain.gw1, id).find((r) => r.event === 'failed');
  t.match(gw1End?.details, { withdrawn_from: 'ferry://gateway/gw2', handed_out: { count: 2, reported_by: 'ferry://gateway/gw2' } }, 'gw1\'s record says what gw2 signed');
  for (const hop of [chain.gw1, chain.gw2]) {
    const v = await verifyLogFile(join(hop.dataDir, 'audit.db'));
    t.ok(v.ok, `${hop.name}'s log verifies with the new records`);
  }
});

t.test('every frame sent to a subscriber is recorded, a redelivery after a reconnect too, with the subscriber and the sequence', async (t) => {
  const pub = await openPublisher(chain.gw1.gw!.ports.police!, pki.caCert, pki.system('ferry://police/sys1'), 'handed');
  t.teardown(() => pub.close());
  const sub = await openSubscriber(chain.gw2.gw!.ports.social!, pki.caCert, pki.system('ferry://social/hr'), 'handed');
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await pub.send({ to: 'social/hr', label: 'internal', body: `message ${i}` })).id as string);
  const got = await sub.waitFor(3);
  t.same(got.map((f) => f.id), ids, 'three messages received in full, none acknowledged');
  await sub.close();
  const once = await until(() => (ids.every((id) => handedOut(chain.gw2, id).length === 1) ? ids.map((id) => handedOut(chain.gw2, id)[0]!) : null), 'one handed-out record each');
  once.forEach((r, i) => t.match(r.details, { handed_to: 'ferry://social/hr', via: 'subscribe', channel: 'handed', sequence: got[i]!.seq }, `message ${i}: who, how, which sequence`));
  t.ok(once.every((r) => !records(chain.gw2, r.transferId!).some((x) => x.event === 'delivered')), 'and no delivered record: nothing was acknowledged');

  const again = await openSubscriber(chain.gw2.gw!.ports.social!, pki.caCert, pki.system('ferry://social/hr'), 'handed');
  const second = await again.waitFor(3);
  t.same(second.map((f) => f.id), ids, 'sent again after the reconnect');
  again.ack(second[2]!.seq);
  await until(async () => (await Promise.all(ids.map((id) => row(chain.gw2, id)))).every((r) => r?.state === 'delivered'), 'acknowledged');
  await again.close();
  for (const id of ids) {
    const evs = records(chain.gw2, id).map((r) => r.event);
    t.same(evs.filter((e) => e === 'handed-out').length, 2, 'two sends, two records');
    t.ok(evs.lastIndexOf('handed-out') < evs.indexOf('delivered'), 'the sends are recorded before the acknowledgement');
  }
});

t.test('a message sent and never acknowledged, then cancelled at the source: the withdrawal says it had been handed out', async (t) => {
  const pub = await openPublisher(chain.gw1.gw!.ports.police!, pki.caCert, pki.system('ferry://police/sys1'), 'handed2');
  t.teardown(() => pub.close());
  const sub = await openSubscriber(chain.gw2.gw!.ports.social!, pki.caCert, pki.system('ferry://social/hr'), 'handed2');
  const id = (await pub.send({ to: 'social/hr', label: 'internal', body: 'read, not acknowledged' })).id as string;
  await sub.waitFor(1);
  await sub.close();
  await until(async () => (await row(chain.gw1, id))?.state === 'relayed', 'relayed');
  t.equal(await cancel(id), 200);
  const end = await until(async () => { const s = await status(sender, chain.gw1, id); return s.state !== 'relayed' ? s : null; }, 'the end at gw1');
  t.equal(end.state, 'failed');
  t.match(end.reason, /withdrawn from ferry:\/\/gateway\/gw2; it had been handed out once before \(to ferry:\/\/social\/hr, /);
  t.match(records(chain.gw2, id).find((r) => r.event === 'failed')?.details, { handed_out: { count: 1, to: ['ferry://social/hr'] } });
});

t.test('cancelled where it waits, after a download: gw2 says it had been handed out, and gw1 ends it as gw2 signed it', async (t) => {
  const text = 'downloaded once, then cancelled at gw2';
  const up = await putFile(sender, chain.gw1.url('police'), Buffer.from(text), { 'ferry-to': 'social/inbox', 'content-length': String(text.length), 'ferry-label': 'internal' });
  const id = up.json.id as string;
  await until(async () => (await row(chain.gw2, id))?.state === 'queued', 'waiting in gw2\'s inbox');
  const res = await request(`${chain.gw2.url('social')}/v1/inbox/${id}`, { dispatcher: asInbox });
  t.equal(await res.body.text(), text);
  const c = await request(`https://127.0.0.1:${chain.gw2.gw!.adminApiPort}/v1/admin/transfers/${id}/cancel`, { method: 'POST', dispatcher: asAdmin });
  t.equal(c.statusCode, 200, 'the administrator cancels it at gw2');
  await c.body.text();
  const gw2End = records(chain.gw2, id).find((r) => r.event === 'failed');
  t.match(gw2End?.details, { cancelled_by: 'ferry://admin/alice', handed_out: { count: 1, to: ['ferry://social/inbox'] } });
  t.match(String(gw2End?.details?.reason), /^cancelled by the administrator ferry:\/\/admin\/alice; it had been handed out once before \(to ferry:\/\/social\/inbox, last at .+\), unacknowledged: the destination may hold it$/);
  const end = await until(async () => { const s = await status(sender, chain.gw1, id); return s.state !== 'relayed' ? s : null; }, 'the end at gw1');
  t.equal(end.state, 'failed');
  t.match(end.reason, /it had been handed out once before/, 'the sender is told');
  t.match(end.handed_out, { count: 1, to: ['ferry://social/inbox'] });
});
