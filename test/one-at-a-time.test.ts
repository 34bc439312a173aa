import t from 'tap';
import { OneAtATime } from '../gateway/delivery/one-at-a-time.js';

// The settlement guard (delivery/one-at-a-time.ts): runAll, which a subscriber's
// cumulative acknowledgement takes for all the messages it settles at once.

function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

t.test('runAll waits for the work running on each of its keys, and holds them all until it ends', async (t) => {
  const g = new OneAtATime();
  const order: string[] = [];
  const a = gate();
  const b = gate();
  const first = g.run('a', async () => { await a.opened; order.push('a done'); });
  const second = g.run('b', async () => { await b.opened; order.push('b done'); });
  const all = g.runAll(['a', 'b', 'c'], async () => { order.push('all'); return 3; });
  // Work asked after the batch, on any of its keys, comes after it.
  const after = g.run('c', async () => { order.push('c after'); });
  b.open();
  await second;
  t.same(order, ['b done'], 'the batch still waits for a');
  a.open();
  t.equal(await all, 3, 'the batch ran, with its result');
  await after;
  await first;
  t.same(order, ['b done', 'a done', 'all', 'c after']);
  await new Promise((r) => setImmediate(r));
  t.equal(g.busy, 0, 'every key is let go once the work on it is done');
});

t.test('a batch that fails lets its keys go, and the next work runs', async (t) => {
  const g = new OneAtATime();
  await t.rejects(g.runAll(['x', 'y'], async () => { throw new Error('no'); }), /no/);
  t.equal(await g.run('y', async () => 'next'), 'next');
  await new Promise((r) => setImmediate(r));
  t.equal(g.busy, 0);
});
