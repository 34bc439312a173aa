// an acknowledgement queued behind a running settle, on a connection that closes
// meanwhile, must not move the acknowledgement mark past rows it did not settle.
import t from 'tap';
import { openPublisher, openSubscriber } from './helpers/channels.js';
import { startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { SUB_DESTINATIONS, SUB_POLICY } from './helpers/subscription-policy.js';

t.test('ack N queued behind a settle, then the subscriber closes: rows 2..N are delivered or sent again', async (t) => {
  const dest = await startDestination(t, await makePki());
  const fx = await startTestGateway(t, { destinationPort: dest.port, policyText: SUB_POLICY, destinations: SUB_DESTINATIONS });
  const feed = await fx.pki.issue('ferry://extranet/feed', 'extranet-feed');
  const sys1 = fx.pki.system('ferry://police/sys1');
  const pub = await openPublisher(fx.gw.ports.police!, fx.pki.caCert, sys1, 'notices');
  t.teardown(() => pub.close());
  const ids: string[] = [];
  for (let i = 1; i <= 20; i++) ids.push((await pub.send({ ref: `r${i}`, to: 'extranet/feed', label: 'internal', body: `m ${i}` })).id as string);
  const sub = await openSubscriber(fx.gw.ports.extranet!, fx.pki.caCert, feed, 'notices');
  await sub.waitFor(20);
  // The first settle is held a moment under its guard (as a slow group commit would hold it).
  const msgs = fx.gw.context.queue.messages;
  const orig = msgs.waitingUpTo.bind(msgs);
  let first = true;
  msgs.waitingUpTo = async (...a: Parameters<typeof orig>) => {
    if (first) {
      first = false;
      await new Promise((r) => setTimeout(r, 300));
    }
    return orig(...a);
  };
  sub.ack(1);
  sub.ack(20);
  await sub.close(); // the subscriber acked everything it read and leaves
  await until(async () => ((await fx.gw.context.queue.get(ids[0]!))!.state === 'delivered' ? true : null), 'message 1 delivered');
  await new Promise((r) => setTimeout(r, 500));
  const head = await msgs.head('extranet/feed', 'notices');
  const states = await Promise.all(ids.map(async (id) => (await fx.gw.context.queue.get(id))!.state));
  const queued = states.filter((s) => s === 'queued').length;
  t.comment(`mark ${JSON.stringify(head)}; states ${states.join(',')}`);
  // Either the ack of 20 settled 2..20, or the mark stayed below them and they come again.
  const again = await openSubscriber(fx.gw.ports.extranet!, fx.pki.caCert, feed, 'notices');
  t.teardown(() => again.close());
  const resent = queued === 0 ? [] : await again.waitFor(queued).catch(() => again.messages);
  t.equal(resent.length, queued, `every row still queued (${queued}) is sent to the next subscription`);
  t.equal(queued, 0, 'an acknowledgement of 20 settled 2..20 (or they are sent again)');
});
