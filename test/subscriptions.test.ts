// Subscriptions (WSS /v1/subscriptions/<c>): a destination system receives its
// messages on a channel in acceptance order, acknowledges them cumulatively,
// resumes, and is held to the protocol by close codes. Real gateway, real TLS.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { readRecords } from '../gateway/audit/read-records.js';
import { verifyReceipt } from '../protocol/receipt.js';
import { openPublisher, openSubscriber, type Publisher, type SubscribeRefusal } from './helpers/channels.js';
import { clientFor, startDestination, startTestGateway, until, type GatewayFixture, type Tap } from './helpers/gateway-fixture.js';
import { makePki, type Credentials } from './helpers/pki.js';
import { SUB_DESTINATIONS, SUB_POLICY } from './helpers/subscription-policy.js';

interface World {
  fx: GatewayFixture;
  feed: Credentials;
  ledger: Credentials;
  sys1: Credentials;
  port: { police: number; extranet: number };
  publish(ch: string): Promise<Publisher>;
}

/** The test PKI is one per process: the two subscribers' certificates are issued once. */
let issued: Promise<[Credentials, Credentials]> | null = null;

async function world(t: Tap, extra = '', delivery?: string): Promise<World> {
  const dest = await startDestination(t, await makePki());
  const fx = await startTestGateway(t, { destinationPort: dest.port, policyText: SUB_POLICY, destinations: SUB_DESTINATIONS, extra, ...(delivery ? { delivery } : {}) });
  issued ??= Promise.all([fx.pki.issue('ferry://extranet/feed', 'extranet-feed'), fx.pki.issue('ferry://extranet/ledger', 'extranet-ledger')]);
  const [feed, ledger] = await issued;
  const sys1 = fx.pki.system('ferry://police/sys1');
  const port = { police: fx.gw.ports.police!, extranet: fx.gw.ports.extranet! };
  return {
    fx, feed, ledger, sys1, port,
    publish: async (ch) => {
      const p = await openPublisher(port.police, fx.pki.caCert, sys1, ch);
      t.teardown(() => p.close());
      return p;
    },
  };
}

t.test('in order, acknowledged cumulatively, settled as delivered with a receipt and the sequence', async (t) => {
  const w = await world(t);
  const pub = await w.publish('notices');
  const sub = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'notices');
  t.teardown(() => sub.close());
  t.equal(sub.hello.destination, 'extranet/feed', 'the stream is the certificate\'s own');
  const ids: string[] = [];
  for (let i = 1; i <= 20; i++) {
    const a = await pub.send({ ref: `r${i}`, to: 'extranet/feed', label: 'internal', body: `通知 ${i}` });
    t.equal(a.status, 202);
    ids.push(a.id as string);
  }
  const got = await sub.waitFor(20);
  t.same(got.map((m) => m.seq), Array.from({ length: 20 }, (_, i) => i + 1), 'sequence 1..20, no gap');
  t.same(got.map((m) => m.id), ids, 'in acceptance order');
  t.same(got.map((m) => m.body), Array.from({ length: 20 }, (_, i) => `通知 ${i + 1}`), 'bodies intact (UTF-8 text)');
  t.equal(got[0]!.source, 'police/sys1');
  t.equal(got[0]!.label, 'internal');
  t.equal(got[0]!.channel, 'notices');
  t.match(got[0]!.content_type, /^text\/plain/);

  sub.ack(12); // one ack for twelve
  const sender = clientFor(t, w.fx.pki, w.sys1);
  const status = await until(async () => {
    const res = await request(`${w.fx.url('police')}/v1/transfers/${ids[11]}`, { dispatcher: sender });
    const j = (await res.body.json()) as { state: string; receipts?: { delivered?: unknown } };
    return j.state === 'delivered' ? j : null;
  }, 'message 12 delivered');
  t.ok(status.receipts?.delivered, 'the publisher can fetch the delivered receipt, as for a file');
  const row13 = (await w.fx.gw.context.queue.get(ids[12]!))!;
  t.equal(row13.state, 'queued', 'message 13 is not acknowledged yet');
  const rec = [...readRecords(join(w.fx.dir, 'data', 'audit.db'), { transferId: ids[4]! })].find((r) => r.event === 'delivered');
  t.ok(rec, 'a delivered audit record');
  t.match(rec!.details, { via: 'subscribe', channel: 'notices', sequence: 5, delivered_to: 'ferry://extranet/feed' });
  const receipt = (await w.fx.gw.context.queue.get(ids[0]!))!.receiptDelivered!;
  t.ok(verifyReceipt(receipt, w.fx.gw.context.keys.signingPublicKey), 'the delivered receipt verifies');
  t.equal((await w.fx.gw.context.queue.messages.head('extranet/feed', 'notices')).backlogCount, 8, 'eight wait');
  await sub.close();

  // Disconnected with 13..20 unacknowledged: they come again, from 13.
  const again = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'notices');
  t.teardown(() => again.close());
  const redelivered = await again.waitFor(8);
  t.same(redelivered.map((m) => m.seq), [13, 14, 15, 16, 17, 18, 19, 20], 'redelivered from the first unacknowledged');
  again.ack(20);
  await until(async () => (await w.fx.gw.context.queue.messages.head('extranet/feed', 'notices')).backlogCount === 0, 'backlog drained');
  t.equal((await w.fx.gw.context.queue.get(ids[19]!))!.state, 'delivered');
});

t.test('resume from a sequence: from=S acknowledges what came before S, as far as it was ever sent', async (t) => {
  const w = await world(t);
  const pub = await w.publish('cases');
  for (let i = 1; i <= 10; i++) t.equal((await pub.send({ to: 'extranet/feed', label: 'public', body: `c${i}` })).status, 202);
  // Sent once, never acknowledged: the subscriber's application kept them and resumes after 6.
  const first = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'cases');
  t.same((await first.waitFor(10)).map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'all ten sent once');
  await first.close();
  const sub = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'cases', 7);
  t.teardown(() => sub.close());
  const got = await sub.waitFor(4);
  t.same(got.map((m) => m.seq), [7, 8, 9, 10], 'starts at 7');
  t.same(got.map((m) => m.body), ['c7', 'c8', 'c9', 'c10']);
  await until(async () => (await w.fx.gw.context.queue.messages.head('extranet/feed', 'cases')).backlogCount === 4, '1..6 settled by the resume point');
  const beyond = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'cases', 12).catch((e: SubscribeRefusal) => e);
  t.equal((beyond as SubscribeRefusal).status, 400, 'a resume point past the stream is refused');
  t.equal((beyond as SubscribeRefusal).body.code, 'FERRY_ACK_AHEAD');
  const atEnd = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'cases', 11);
  t.teardown(() => atEnd.close());
  t.equal(atEnd.hello.from, 11, 'one past the last is the end of the stream: accepted');
});

t.test('a resume point past what was ever sent settles nothing unsent: those are sent, and no delivered receipt is signed for them', async (t) => {
  const w = await world(t);
  const pub = await w.publish('leads');
  const ids: string[] = [];
  for (let i = 1; i <= 3; i++) ids.push((await pub.send({ to: 'extranet/feed', label: 'public', body: `l${i}` })).id as string);
  // Nobody ever subscribed: a subscriber claiming to have 1..3 (a state file ahead, another gateway's numbers) is wrong.
  const sub = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'leads', 4);
  t.teardown(() => sub.close());
  t.equal(sub.hello.from, 4, 'the resume point is taken (it is not past the stream)');
  const got = await sub.waitFor(3);
  t.same(got.map((m) => m.seq), [1, 2, 3], 'what was never sent is sent: the subscriber drops by sequence what it really has');
  for (const id of ids) t.equal((await w.fx.gw.context.queue.get(id))!.state, 'queued', 'not settled delivered by the resume point');
  sub.ack(3);
  await until(async () => (await Promise.all(ids.map((id) => w.fx.gw.context.queue.get(id)))).every((r) => r?.state === 'delivered'), 'settled by the acknowledgement of what was sent');
});

t.test('a message whose stored body does not authenticate is failed, never sent, and an ack past it does not settle it delivered', async (t) => {
  const w = await world(t);
  const pub = await w.publish('bodies');
  const ids: string[] = [];
  // Published with nobody subscribed: the subscription reads them back from the queue database, sealed.
  for (let i = 1; i <= 3; i++) ids.push((await pub.send({ to: 'extranet/feed', label: 'public', body: `b${i}` })).id as string);
  const db = new Database(join(w.fx.dir, 'data', 'queue.db'));
  const sealed = db.prepare('SELECT sealed FROM message_bodies WHERE transfer_id = ?').pluck().get(ids[1]) as Buffer;
  sealed[sealed.length - 1]! ^= 0x01;
  db.prepare('UPDATE message_bodies SET sealed = ? WHERE transfer_id = ?').run(sealed, ids[1]);
  db.close();
  // Its failure is held back (the row's change waits) until the subscriber has acknowledged past it.
  const queue = w.fx.gw.context.queue;
  const settle = queue.settle.bind(queue);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let held = false;
  queue.settle = async (...a: Parameters<typeof settle>) => {
    if (a[0] === ids[1]) {
      held = true;
      await gate;
    }
    return settle(...a);
  };
  t.teardown(() => { queue.settle = settle; release(); });
  const sub = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'bodies');
  t.teardown(() => sub.close());
  const got = await sub.waitFor(2);
  t.same(got.map((m) => m.seq), [1, 3], 'the message that does not open is passed over, not sent');
  // Its failure is recorded first, then reaches the row's change (delivery/settle.ts): held there.
  t.ok(await until(() => held, 'its failure under way, held'), 'its failure was under way, held');
  sub.ack(3);
  await until(async () => (await queue.get(ids[2]!))?.state === 'delivered', 'the messages sent settled delivered');
  t.equal((await queue.get(ids[0]!))!.state, 'delivered');
  t.equal((await queue.get(ids[1]!))!.state, 'queued', 'the one passed over is not settled by the ack');
  release();
  await until(async () => (await queue.get(ids[1]!))?.state === 'failed', 'the one that did not open failed');
  const records = [...readRecords(join(w.fx.dir, 'data', 'audit.db'), { transferId: ids[1]! })].map((r) => r.event);
  t.notOk(records.includes('delivered'), `no delivered record for it (${records.join(' ')})`);
  t.ok(records.includes('failed'), 'a failed record');
});

t.test('an ack ahead of the stream, a malformed frame and an oversized frame close with their codes', async (t) => {
  const w = await world(t);
  const pub = await w.publish('alerts');
  for (let i = 1; i <= 3; i++) await pub.send({ to: 'extranet/feed', label: 'public', body: `a${i}` });
  const s1 = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'alerts');
  await s1.waitFor(3);
  s1.ack(5);
  const c1 = await s1.closed;
  t.equal(c1.code, 4416, 'ack ahead: 4416');
  t.match(c1.reason, /^FERRY_ACK_AHEAD: ack 5 is past the last sequence sent, 3/);
  t.equal((await w.fx.gw.context.queue.messages.head('extranet/feed', 'alerts')).backlogCount, 3, 'nothing was settled by it');

  const s2 = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'alerts');
  s2.ws.send('{"type":"ack","seq":"two"}');
  const c2 = await s2.closed;
  t.equal(c2.code, 4400, 'malformed frame: 4400');
  t.match(c2.reason, /^FERRY_FRAME_INVALID/);

  const s3 = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'alerts');
  s3.ws.send(JSON.stringify({ type: 'ack', seq: 1, pad: 'x'.repeat(10_000) }));
  t.equal((await s3.closed).code, 1009, 'oversized frame: 1009');

  // The refusals' records are appended as the connections close, and committed by the next group commit:
  // read once both are there (or time out, and fail below), not at once (this read raced the commit: 1 run in 3 failed).
  const deniedNow = () => [...readRecords(join(w.fx.dir, 'data', 'audit.db'), { event: 'denied' })].map((r) => r.details as { kind?: string; code?: string });
  const both = (ds: Array<{ kind?: string; code?: string }>) => ['FERRY_ACK_AHEAD', 'FERRY_FRAME_INVALID'].every((c) => ds.some((d) => d.kind === 'subscription' && d.code === c));
  const denied = await until(() => { const ds = deniedNow(); return both(ds) ? ds : null; }, 'the refusals\' audit records', 10_000).catch(() => deniedNow());
  t.ok(denied.some((d) => d.kind === 'subscription' && d.code === 'FERRY_ACK_AHEAD'), 'the bad ack is an audit record');
  t.ok(denied.some((d) => d.kind === 'subscription' && d.code === 'FERRY_FRAME_INVALID'), 'the bad frame too');

  const s4 = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'alerts');
  t.teardown(() => s4.close());
  t.same((await s4.waitFor(3)).map((m) => m.body), ['a1', 'a2', 'a3'], 'and the gateway serves the next subscriber as before');
});

t.test('a newer subscription takes over; the older is closed with 4409', async (t) => {
  const w = await world(t);
  const pub = await w.publish('jobs');
  for (let i = 1; i <= 5; i++) await pub.send({ to: 'extranet/feed', label: 'public', body: `j${i}` });
  const old = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'jobs');
  await old.waitFor(5);
  old.ack(2);
  await until(async () => (await w.fx.gw.context.queue.messages.head('extranet/feed', 'jobs')).ackedSeq === 2, 'ack 2 recorded');
  const newer = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'jobs');
  t.teardown(() => newer.close());
  const c = await old.closed;
  t.equal(c.code, 4409);
  t.match(c.reason, /^FERRY_SUBSCRIPTION_SUPERSEDED/);
  t.same((await newer.waitFor(3)).map((m) => m.seq), [3, 4, 5], 'the newer starts from the first unacknowledged');
  await pub.send({ to: 'extranet/feed', label: 'public', body: 'j6' });
  t.equal((await newer.waitFor(4))[3]!.body, 'j6', 'and gets what comes next');
});

t.test('a refused message never reaches the subscriber; the publisher stays connected', async (t) => {
  const w = await world(t);
  const pub = await w.publish('reports');
  const sub = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'reports');
  t.teardown(() => sub.close());
  t.equal((await pub.send({ to: 'extranet/feed', label: 'internal', body: 'before' })).status, 202);
  const refused = await pub.send({ to: 'extranet/feed', label: 'internal', body: '【机密★】专案进展' });
  t.equal(refused.status, 422, 'classified marking: refused');
  t.equal(refused.problem.rule, 'deny-classified-marking');
  t.equal(pub.ws.readyState, pub.ws.OPEN, 'the publisher\'s connection stays open');
  t.equal((await pub.send({ to: 'extranet/feed', label: 'internal', body: 'after' })).status, 202, 'and goes on');
  const got = await sub.waitFor(2);
  t.same(got.map((m) => [m.seq, m.body]), [[1, 'before'], [2, 'after']], 'the refused one took no sequence and never came');
  await new Promise((r) => setTimeout(r, 300));
  t.equal(sub.messages.length, 2, 'nothing else came');
});

t.test('a subscriber gets only its own messages; identity from the certificate only', async (t) => {
  const w = await world(t);
  const pub = await w.publish('notices');
  const ledger = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.ledger, 'notices');
  t.teardown(() => ledger.close());
  for (let i = 1; i <= 5; i++) await pub.send({ to: 'extranet/feed', label: 'public', body: `for feed ${i}` });
  await pub.send({ to: 'extranet/ledger', label: 'public', body: 'for ledger' });
  const got = await ledger.waitFor(1);
  await new Promise((r) => setTimeout(r, 300));
  t.same(ledger.messages.map((m) => m.body), ['for ledger'], 'ledger\'s certificate gets ledger\'s message, none of feed\'s');
  t.equal(got[0]!.seq, 1, 'its own sequence');
  const archive = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.fx.pki.system('ferry://extranet/archive'), 'notices').catch((e: SubscribeRefusal) => e);
  t.equal((archive as SubscribeRefusal).body.code, 'FERRY_SUBSCRIPTION_UNAVAILABLE', 'a push destination has no subscription');
  const wrongSide = await openSubscriber(w.port.police, w.fx.pki.caCert, w.feed, 'notices').catch((e: SubscribeRefusal) => e);
  t.equal((wrongSide as SubscribeRefusal).body.code, 'FERRY_WRONG_NETWORK', 'only on its own network\'s listener');
  const noCert = await openSubscriber(w.port.extranet, w.fx.pki.caCert, { cert: '', key: '' }, 'notices').catch((e: SubscribeRefusal) => e);
  t.equal((noCert as SubscribeRefusal).status, 401);
});

t.test('a subscriber that never acks: a window in flight, then publishers are told FERRY_BACKLOG_FULL', async (t) => {
  const w = await world(t, 'subscriptions: { window: 16, backlog_messages: 50, backlog_bytes: 1MiB }');
  const sub = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'slow');
  t.teardown(() => sub.close());
  const pub = await w.publish('slow');
  let accepted = 0;
  let full: Record<string, any> | null = null;
  for (let i = 0; i < 80 && !full; i++) {
    const a = await pub.send({ to: 'extranet/feed', label: 'public', body: `m${i} ${'x'.repeat(1000)}` });
    if (a.status === 202) accepted++;
    else full = a;
  }
  t.equal(accepted, 50, 'accepted up to the backlog limit');
  t.equal(full?.status, 429);
  t.equal(full?.problem.code, 'FERRY_BACKLOG_FULL');
  t.ok((full?.problem.retry_after as number) > 0, 'with retry_after');
  t.equal(pub.ws.readyState, pub.ws.OPEN, 'the publisher stays connected');
  await sub.waitFor(16);
  await new Promise((r) => setTimeout(r, 300));
  t.equal(sub.messages.length, 16, 'no more than the window is sent unacknowledged');
  t.equal((await w.fx.gw.context.queue.messages.head('extranet/feed', 'slow')).backlogCount, 50, 'the backlog holds at its limit');
  sub.ack(16);
  await sub.waitFor(32);
  t.equal(sub.messages[31]!.seq, 32, 'an ack opens the window again');
  await until(async () => (await pub.send({ to: 'extranet/feed', label: 'public', body: 'again' })).status === 202, 'publishing again once room was made');
});

// Fifth red team, F5: the limit was checked against what was stored, so every message in flight
// at once passed it (a limit of 50 let 70–80 in). Messages between the check and their insert count.
t.test('publishers sending at once never take a stream past its backlog limit', async (t) => {
  const w = await world(t, 'subscriptions: { window: 16, backlog_messages: 50, backlog_bytes: 1MiB }');
  const pubs = await Promise.all(Array.from({ length: 4 }, () => w.publish('burst')));
  const answers = (await Promise.all(pubs.map((p, k) => Promise.all(Array.from({ length: 30 }, (_, i) => p.send({ to: 'extranet/feed', label: 'public', body: `p${k} m${i}` })))))).flat();
  const accepted = answers.filter((a) => a.status === 202).length;
  const full = answers.filter((a) => a.problem?.code === 'FERRY_BACKLOG_FULL').length;
  t.ok(accepted <= 50, `at most the limit accepted (${accepted} of 120)`);
  t.ok(full > 0, `the rest told FERRY_BACKLOG_FULL (${full})`);
  const head = await w.fx.gw.context.queue.messages.head('extranet/feed', 'burst');
  t.equal(head.backlogCount, accepted, 'the backlog holds exactly what was accepted');
  t.ok(head.backlogCount <= 50, 'and never more than its limit');
  // Every place taken was given back: once drained, the stream takes its limit again.
  const sub = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'burst');
  t.teardown(() => sub.close());
  await sub.waitFor(Math.min(accepted, 16));
  for (let got = 0; got < accepted;) {
    got = sub.messages.length;
    sub.ack(sub.messages[got - 1]!.seq);
    await until(() => sub.messages.length > got || got >= accepted, 'the next window');
  }
  await until(async () => (await w.fx.gw.context.queue.messages.head('extranet/feed', 'burst')).backlogCount === 0, 'drained');
  await sub.close();
  let again = 0;
  for (let i = 0; i < 50; i++) if ((await pubs[0]!.send({ to: 'extranet/feed', label: 'public', body: `again ${i}` })).status === 202) again++;
  t.equal(again, 50, 'once drained, the stream takes its whole limit again: no place was kept');
});

// Fifth red team, F6: each subscription's window was bounded, their sum was not (a slow reader held
// ~5 MiB; hundreds of them, gigabytes). subscriptions.window_bytes_total bounds the sum; a subscription
// with nothing in flight may always send one message, so every subscriber still moves.
t.test('the bytes in flight over all subscriptions are bounded: slow readers wait, each still gets one', async (t) => {
  const w = await world(t, 'subscriptions: { window: 100, window_bytes: 1MiB, window_bytes_total: 3000 }');
  const pub = await w.publish('ta');
  const pubB = await w.publish('tb');
  const kib = (i: number) => `${i} ${'x'.repeat(1020)}`;
  for (let i = 0; i < 8; i++) {
    t.equal((await pub.send({ to: 'extranet/feed', label: 'public', body: kib(i) })).status, 202);
    t.equal((await pubB.send({ to: 'extranet/feed', label: 'public', body: kib(i) })).status, 202);
  }
  const a = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'ta');
  t.teardown(() => a.close());
  await a.waitFor(3);
  const b = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'tb');
  t.teardown(() => b.close());
  await b.waitFor(1);
  await new Promise((r) => setTimeout(r, 400));
  t.equal(a.messages.length, 3, 'the first takes the total (3,000 bytes: three of 1,022) and waits');
  t.equal(b.messages.length, 1, 'the second, with nothing in flight, gets one and waits');
  t.ok(w.fx.gw.context.subscriptions.inflightBytes <= 3000 + 2 * 1022, `at most the total and one message in flight (${w.fx.gw.context.subscriptions.inflightBytes} bytes)`);
  // The room made goes first to the one that waited (the one that acked, with nothing in flight now, may send one).
  a.ack(3);
  await b.waitFor(2);
  await new Promise((r) => setTimeout(r, 400));
  t.equal(b.messages.length, 2, 'an acknowledgement makes room: the one waiting goes on, up to the total');
  t.equal(a.messages.length, 4, 'and the one that acknowledged gets the one a subscription with nothing in flight may always have');
  t.ok(w.fx.gw.context.subscriptions.inflightBytes <= 3000 + 2 * 1022, `still bounded (${w.fx.gw.context.subscriptions.inflightBytes} bytes)`);
  await a.close();
  await until(() => w.fx.gw.context.subscriptions.inflightBytes === b.messages.length * 1022, 'a closed subscription lets its messages in flight go');
});

t.test('a subscriber that stops answering pings is closed with 4408; its messages wait for the next', async (t) => {
  const w = await world(t, 'subscriptions: { heartbeat: 200ms }');
  const pub = await w.publish('beats');
  await pub.send({ to: 'extranet/feed', label: 'public', body: 'b1' });
  const deaf = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'beats', undefined, { autoPong: false });
  await deaf.waitFor(1);
  const c = await deaf.closed;
  t.equal(c.code, 4408);
  t.match(c.reason, /^FERRY_HEARTBEAT_TIMEOUT/);
  const next = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'beats');
  t.teardown(() => next.close());
  t.equal((await next.waitFor(1))[0]!.body, 'b1', 'the unacknowledged message comes to the next subscriber');
});

t.test('a message nobody takes expires like a file: settled expired, its body and backlog gone', async (t) => {
  const w = await world(t, '', '{ retry_initial: 50ms, retry_max: 400ms, concurrency: 4, expire_after: 1s }');
  const pub = await w.publish('late');
  const a = await pub.send({ to: 'extranet/feed', label: 'public', body: 'too late' });
  t.equal(a.status, 202);
  t.equal((await w.fx.gw.context.queue.messages.head('extranet/feed', 'late')).backlogCount, 1);
  await until(async () => (await w.fx.gw.context.queue.get(a.id as string))!.state === 'expired', 'the message expired', 20_000);
  t.equal((await w.fx.gw.context.queue.messages.head('extranet/feed', 'late')).backlogCount, 0, 'the backlog lets it go');
  t.equal((await w.fx.gw.context.queue.messages.after('extranet/feed', 'late', 0, 10))[0]!.sealed, null, 'its sealed body is deleted');
  // The row is settled first, the audit record follows (delivery/settle.ts): wait for it.
  const expired = await until(() => [...readRecords(join(w.fx.dir, 'data', 'audit.db'), { transferId: a.id as string })].find((r) => r.event === 'expired'), 'the expired audit record');
  t.ok(expired, 'an expired audit record');
  const sub = await openSubscriber(w.port.extranet, w.fx.pki.caCert, w.feed, 'late');
  t.teardown(() => sub.close());
  await new Promise((r) => setTimeout(r, 300));
  t.equal(sub.messages.length, 0, 'an expired message is not sent');
});
