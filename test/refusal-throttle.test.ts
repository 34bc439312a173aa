// Unauthenticated refusals: recorded one by one up to a rate, then summarised.
import t from 'tap';
import { OVERFLOW, RefusalThrottle } from '../gateway/ingress/refusal-throttle.js';

t.test('per address, the first N a minute are recorded, the rest counted', async (t) => {
  const th = new RefusalThrottle(3);
  const t0 = 1_000_000;
  const admitted = Array.from({ length: 10 }, (_, i) => th.admit('10.0.0.9', 'FERRY_NO_CLIENT_CERT', t0 + i));
  t.same(admitted, [true, true, true, false, false, false, false, false, false, false]);
  t.ok(th.admit('10.0.0.10', 'FERRY_CERT_UNTRUSTED', t0 + 20), 'another address has its own allowance');
  t.same(th.drain(t0 + 30_000), [], 'nothing to summarise before the minute is over');
  const s = th.drain(t0 + 60_001);
  t.same(s, [{ remote: '10.0.0.9', count: 7, codes: { FERRY_NO_CLIENT_CERT: 7 }, since: new Date(t0).toISOString() }], 'the suppressed ones, counted');
  t.ok(th.admit('10.0.0.9', 'FERRY_NO_CLIENT_CERT', t0 + 60_002), 'a new minute, a new allowance');
});

t.test('memory stays bounded under a flood from many addresses', async (t) => {
  const th = new RefusalThrottle(1, 100);
  for (let i = 0; i < 1000; i++) th.admit(`10.0.${i >> 8}.${i & 255}`, 'X', 5);
  const s = th.drain(100_000);
  t.ok(s.length <= 101, 'the table never holds more than its bound (and the overflow bucket)');
  const overflow = s.find((x) => x.remote === OVERFLOW);
  t.equal(overflow?.count, 900, 'addresses past the bound are counted in the overflow bucket, not lost');
  t.ok(th.admit('192.0.2.1', 'X', 200_000), 'and the table empties once their windows are over');
});

t.test('across addresses, the records written one by one share a budget a minute (issue 9)', async (t) => {
  // Before: 40 addresses × 20 a minute = 800 durable writes a minute for one flood.
  const th = new RefusalThrottle(20, 256, 50);
  let admitted = 0;
  for (let i = 0; i < 2000; i++) if (th.admit(`10.1.${i % 40}.1`, 'FERRY_TOO_MANY_CONNECTIONS', 1_000 + i)) admitted++;
  t.equal(admitted, 50, 'no more than the budget is written one by one');
  const s = th.drain(100_000);
  t.equal(s.reduce((n, x) => n + x.count, 0), 2000 - 50, 'every other refusal is counted in a summary');
  t.ok(s.length <= 40, 'one summary per address');
  t.ok(th.admit('10.1.0.1', 'FERRY_TOO_MANY_CONNECTIONS', 100_001), 'a new minute, a new budget');
});

t.test('by default the table holds a few hundred addresses, so a flood from many costs few summaries', async (t) => {
  const th = new RefusalThrottle();
  for (let i = 0; i < 5000; i++) th.admit(`10.2.${i >> 8}.${i & 255}`, 'X', 5);
  const s = th.drain(100_000);
  t.ok(s.length <= 257, `summaries bounded (${s.length})`);
  t.equal(s.reduce((n, x) => n + x.count, 0), 5000 - 100, 'nothing uncounted: all but the default budget of 100 are summarised');
});
