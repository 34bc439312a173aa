// What the undelivered note counts (delivery/handed-out.ts), from records as the log holds them. A push
// attempt's number can come twice: an attempt cut by a crash before its claim was durable is claimed again
// under the same number. The answer to the second must not take the first, cut one, off the count (the review
// of 1 Dec 2026: keyed by number, the note then said "once" too few).
import t from 'tap';
import type { GatewayContext } from '../gateway/context.js';
import { handedOutIn } from '../gateway/delivery/handed-out.js';

type Rec = { event: string; time: string; details: Record<string, unknown> };
const reader = (recs: Rec[]) => ({
  auditReader: { transferRecords: () => recs.map((r) => ({ ...r, details: JSON.stringify(r.details) })) },
}) as unknown as Pick<GatewayContext, 'auditReader'>;
const push = (time: string, n: number): Rec => ({ event: 'handed-out', time, details: { via: 'push', attempts: n, handed_to: 'ferry://extranet/archive' } });
const answer = (time: string, n: number, status = 503): Rec => ({ event: 'forwarded', time, details: { attempt: n, outcome: 'retry', status } });

t.test('an answered attempt is not counted; a cut one is', async (t) => {
  t.equal(handedOutIn(reader([push('t1', 1), answer('t2', 1)]), 'x'), null, 'answered with an error: nothing left with the receiver');
  t.match(handedOutIn(reader([push('t1', 1), answer('t2', 1), push('t3', 2)]), 'x'), { count: 1, last: 't3' }, 'the second, cut, counts');
  t.equal(handedOutIn(reader([push('t1', 1)]), 'x', 1), null, 'the attempt being answered now is not counted');
  t.match(handedOutIn(reader([push('t1', 1), { event: 'forwarded', time: 't2', details: { attempt: 1, outcome: 'retry', reason: 'timeout' } }]), 'x'), { count: 1 }, 'a retry without a status (a cut) leaves it counted');
});

t.test('an attempt number used twice: the cut attempt stays counted', async (t) => {
  // Attempt 2 cut by kill -9, claimed again as 2 after the restart, and answered.
  const recs = [push('t1', 1), answer('t2', 1), push('t3', 2), push('t5', 2), answer('t6', 2)];
  t.match(handedOutIn(reader(recs), 'x'), { count: 1, to: ['ferry://extranet/archive'], last: 't3' }, 'the cut one, at its own time');
  t.match(handedOutIn(reader([push('t3', 2), push('t5', 2)]), 'x', 2), { count: 1, last: 't3' }, 'the same when the answer is the one being settled');
  t.match(handedOutIn(reader([push('t3', 2), push('t5', 2)]), 'x'), { count: 2, last: 't5' }, 'both cut: both counted');
});
