// Every frame sent to a subscriber is a `handed-out` record, so a subscriber that reconnects in a loop
// without acknowledging grew the audit log by a record a redelivery, without end (a known risk since the
// review of 1 Dec 2026). Now a message sent delivery.max_downloads times and never acknowledged is not sent
// again: the subscription is closed 4429 FERRY_DOWNLOAD_LIMIT, audited once; an acknowledgement of what was
// received still settles it, and the stream goes on from there.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import t from 'tap';
import { openPublisher, openSubscriber, type Subscriber } from './helpers/channels.js';
import { startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { SUB_DESTINATIONS, SUB_POLICY } from './helpers/subscription-policy.js';

t.test('a subscriber that reconnects without acking is stopped at delivery.max_downloads sends of a message', async (t) => {
  const dest = await startDestination(t, await makePki());
  const fx = await startTestGateway(t, {
    destinationPort: dest.port, policyText: SUB_POLICY, destinations: SUB_DESTINATIONS,
    delivery: '{ retry_initial: 50ms, retry_max: 400ms, concurrency: 4, max_downloads: 3 }',
  });
  const feed = await fx.pki.issue('ferry://extranet/feed', 'extranet-feed');
  const pub = await openPublisher(fx.gw.ports.police!, fx.pki.caCert, fx.pki.system('ferry://police/sys1'), 'notices');
  t.teardown(() => pub.close());
  const ids: string[] = [];
  for (let i = 1; i <= 2; i++) ids.push((await pub.send({ to: 'extranet/feed', label: 'internal', body: `通知 ${i}` })).id as string);

  const open = () => openSubscriber(fx.gw.ports.extranet!, fx.pki.caCert, feed, 'notices');
  // Three connections, each reads both messages and leaves without an ack.
  for (let round = 1; round <= 3; round++) {
    const sub = await open();
    const got = await sub.waitFor(2);
    t.same(got.map((m) => m.id), ids, `round ${round}: both messages sent again`);
    await sub.close();
  }
  // The fourth and fifth: closed before anything is sent.
  const stopped: Array<{ code: number; reason: string; messages: number }> = [];
  for (let round = 4; round <= 5; round++) {
    const sub: Subscriber = await open();
    const closed = await sub.closed;
    stopped.push({ ...closed, messages: sub.messages.length });
  }
  for (const s of stopped) {
    t.equal(s.code, 4429, 'closed 4429');
    t.match(s.reason, /^FERRY_DOWNLOAD_LIMIT: message 1 was sent 3 times/, 'with the code and the message named');
    t.equal(s.messages, 0, 'and nothing sent');
  }

  const db = new Database(join(fx.dir, 'data', 'audit.db'), { readonly: true });
  t.teardown(() => db.close());
  const rows = (event: string) => db.prepare('SELECT transfer_id, details FROM records WHERE event = ?').all(event) as Array<{ transfer_id: string | null; details: string }>;
  await until(async () => (rows('handed-out').length >= 6 ? true : null), 'the hand-outs recorded');
  t.equal(rows('handed-out').filter((r) => r.transfer_id === ids[0]).length, 3, 'message 1 handed out three times, no more');
  const limit = rows('denied').filter((r) => JSON.parse(r.details).code === 'FERRY_DOWNLOAD_LIMIT');
  t.equal(limit.length, 1, 'two stops, one denied record');
  t.match(JSON.parse(limit[0]!.details), { kind: 'subscription', channel: 'notices', transfer: ids[0], sequence: 1 }, 'naming the message');

  // Past the limit, an ack of what the subscriber holds still settles it (a resume point from= settles up to it).
  const resumed = await openSubscriber(fx.gw.ports.extranet!, fx.pki.caCert, feed, 'notices', 3);
  t.teardown(() => resumed.close());
  await until(async () => ((await fx.gw.context.queue.get(ids[1]!))!.state === 'delivered' ? true : null), 'both settled by the resume point');
  t.equal((await fx.gw.context.queue.get(ids[0]!))!.state, 'delivered', 'message 1 delivered');
  // And the stream goes on: a new message is sent.
  const third = (await pub.send({ to: 'extranet/feed', label: 'internal', body: '通知 3' })).id as string;
  const after = await resumed.waitFor(1);
  t.equal(after[0]!.id, third, 'the next message is sent');
});

// Review 7, item 9: the sends were counted for as long as the gateway ran, so a subscriber on a link
// that drops before its acks arrive, sent each unacknowledged message again at each reconnect, was
// stopped at the limit although it read and acknowledged its stream as it went. An acknowledgement that
// settles something forgives the stream's other sends; only a subscriber that makes no progress stops.
t.test('a subscriber that acknowledges something at each connection is never stopped', async (t) => {
  const dest = await startDestination(t, await makePki());
  const fx = await startTestGateway(t, {
    destinationPort: dest.port, policyText: SUB_POLICY, destinations: SUB_DESTINATIONS,
    delivery: '{ retry_initial: 50ms, retry_max: 400ms, concurrency: 4, max_downloads: 3 }',
  });
  const feed = await fx.pki.issue('ferry://extranet/feed', 'extranet-feed-2');
  const pub = await openPublisher(fx.gw.ports.police!, fx.pki.caCert, fx.pki.system('ferry://police/sys1'), 'notices');
  t.teardown(() => pub.close());
  const ids: string[] = [];
  for (let i = 1; i <= 6; i++) ids.push((await pub.send({ to: 'extranet/feed', label: 'internal', body: `通知 ${i}` })).id as string);

  // Each connection is sent every message not yet acknowledged, and the link drops after one ack:
  // message 6 is sent six times, past max_downloads (3), always behind progress.
  for (let round = 1; round <= 6; round++) {
    const sub = await openSubscriber(fx.gw.ports.extranet!, fx.pki.caCert, feed, 'notices', round);
    const got = await sub.waitFor(7 - round);
    t.same(got.map((m) => m.id), ids.slice(round - 1), `round ${round}: the messages from ${round} on`);
    sub.ack(round);
    await until(async () => ((await fx.gw.context.queue.get(ids[round - 1]!))!.state === 'delivered' ? true : null), `message ${round} settled`);
    await sub.close();
  }
  const db = new Database(join(fx.dir, 'data', 'audit.db'), { readonly: true });
  t.teardown(() => db.close());
  const denied = (db.prepare("SELECT details FROM records WHERE event = 'denied'").all() as Array<{ details: string }>)
    .filter((r) => JSON.parse(r.details).code === 'FERRY_DOWNLOAD_LIMIT');
  t.equal(denied.length, 0, 'no FERRY_DOWNLOAD_LIMIT');
  const handed = db.prepare("SELECT COUNT(*) AS n FROM records WHERE event = 'handed-out' AND transfer_id = ?").get(ids[5]!) as { n: number };
  t.equal(handed.n, 6, 'message 6 handed out six times, each recorded');

  // Progress forgives; no progress still stops: three connections that ack nothing, the fourth is refused.
  const third = (await pub.send({ to: 'extranet/feed', label: 'internal', body: '通知 7' })).id as string;
  for (let round = 1; round <= 3; round++) {
    const sub = await openSubscriber(fx.gw.ports.extranet!, fx.pki.caCert, feed, 'notices', 7);
    t.equal((await sub.waitFor(1))[0]!.id, third, `no ack ${round}: message 7 sent`);
    await sub.close();
  }
  const stopped = await openSubscriber(fx.gw.ports.extranet!, fx.pki.caCert, feed, 'notices', 7);
  const closed = await stopped.closed;
  t.equal(closed.code, 4429, 'the fourth connection without progress is closed 4429');
});
