// A relayed message to a subscription, retried by the upstream after its first
// answer was lost (the upstream killed before it recorded the hop): the next
// gateway answers the first answer again, as for a file. Found in the
// province simulation (a subscriber on health behind a killed gw-social): the
// retry's connection was closed without an answer, for ever, and every later
// message on the channel waited behind it.
import t from 'tap';
import { startChain } from './helpers/chain.js';
import { clientFor, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { envelopeFrom, relay } from './helpers/relay-envelope.js';
import { openSubscriber } from './helpers/channels.js';

t.test('a retried relay of a message to a subscription gets the first answer again, one row', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { destinations2: '  social/hr: { delivery: subscribe }' });
  const asGw1 = clientFor(t, pki, pki.gateway('gw1'));
  const gw2 = chain.gw2.gw!.context;
  const body = Buffer.from('case 17 closed\n');
  const e = await envelopeFrom(chain.gw1.dataDir, 'gw1', body, { kind: 'message', channel: 'claims', destination: 'social/hr', content_type: 'text/plain; charset=utf-8' });
  const first = await relay(asGw1, chain.gw2, e.sealed, body, e.id);
  t.equal(first.status, 202, JSON.stringify(first.json));
  await until(async () => (await gw2.queue.get(e.id))?.state === 'queued', 'queued at gw2');
  const again = await relay(asGw1, chain.gw2, e.sealed, body, e.id);
  t.equal(again.status, 202, `the retry is answered 202 too (${JSON.stringify(again.json)})`);
  t.equal(again.json.idempotent_replay, true, 'as a replay of the first answer');
  t.equal(again.json.receipt?.signature, first.json.receipt?.signature, 'with the same accepted receipt');
  const next = await envelopeFrom(chain.gw1.dataDir, 'gw1', Buffer.from('case 18 opened\n'), { kind: 'message', channel: 'claims', destination: 'social/hr', content_type: 'text/plain; charset=utf-8' });
  t.equal((await relay(asGw1, chain.gw2, next.sealed, Buffer.from('case 18 opened\n'), next.id)).status, 202, 'the next message on the channel is taken');
  t.equal((await gw2.queue.messages.head('social/hr', 'claims')).lastSeq, 2, 'two messages on the stream, not three');

  // Delivered meanwhile (its subscriber acknowledged it), then retried: the same answer, nothing sent again.
  const hr = pki.system('ferry://social/hr');
  const sub = await openSubscriber(chain.gw2.gw!.ports.social!, pki.caCert, hr, 'claims');
  t.teardown(() => sub.close());
  t.same((await sub.waitFor(2)).map((m) => m.id), [e.id, next.id], 'both sent to the subscriber, in order');
  sub.ack(2);
  await until(async () => (await gw2.queue.get(e.id))?.state === 'delivered', 'delivered at gw2');
  const late = await relay(asGw1, chain.gw2, e.sealed, body, e.id);
  t.equal(late.status, 202, `a retry after its delivery is answered 202 (${JSON.stringify(late.json)})`);
  t.equal(late.json.state, 'delivered', 'saying it was delivered');
  await new Promise((r) => setTimeout(r, 300));
  t.equal(sub.messages.length, 2, 'and nothing is sent again');
});

// A relayed message holds a place in its stream's backlog only until it is stored (accept-transfer.ts
// checkBacklog): the places of relayed messages were never given back, so a stream that a subscriber
// kept empty refused its relays FERRY_BACKLOG_FULL once `backlog_messages` had come through.
t.test('relayed messages to a subscription give their backlog places back once stored', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { destinations2: '  social/hr: { delivery: subscribe }', extra2: 'subscriptions: { backlog_messages: 3 }' });
  const asGw1 = clientFor(t, pki, pki.gateway('gw1'));
  const sub = await openSubscriber(chain.gw2.gw!.ports.social!, pki.caCert, pki.system('ferry://social/hr'), 'claims');
  t.teardown(() => sub.close());
  for (let i = 1; i <= 9; i++) {
    const body = Buffer.from(`case ${i}\n`);
    const e = await envelopeFrom(chain.gw1.dataDir, 'gw1', body, { kind: 'message', channel: 'claims', destination: 'social/hr', content_type: 'text/plain; charset=utf-8' });
    const r = await relay(asGw1, chain.gw2, e.sealed, body, e.id);
    t.equal(r.status, 202, `relayed message ${i} taken (${r.json.code ?? ''})`);
    await sub.waitFor(i);
    sub.ack(i);
    await until(async () => (await chain.gw2.gw!.context.queue.messages.head('social/hr', 'claims')).backlogCount === 0, `message ${i} settled`);
  }
});
