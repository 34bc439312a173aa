// The checker's delivered rate, in-process: items refused fail-closed while
// the antivirus was away are correct behaviour during that fault, so they do
// not count against `min_delivered_rate`; a wrong refusal still does.
// (A clamd fault on a loaded machine once made province invalid with nothing
// lost and nothing wrongly refused.)
import t from 'tap';
import { createHash } from 'node:crypto';
import { check } from '../simulator/checker.js';
import type { Outcome } from '../simulator/senders.js';
import type { Item } from '../simulator/workload.js';

const expect = { lost: 0, duplicated: 0, falseAccept: 0, falseRefuse: 0, minDeliveredRate: 0.9 };

function item(n: number): Item {
  const body = Buffer.from(`item ${n}`);
  return {
    id: `i${n}`, workload: 0, route: 'police/records → extranet/archive', kind: 'file', from: 'police/records', to: 'extranet/archive',
    label: 'internal', expect: 'cross', refuseKind: null, filename: `i${n}.txt`, contentType: 'text/plain', channel: null,
    size: body.length, sha256: createHash('sha256').update(body).digest('hex'), atMs: 0, body,
  };
}

function outcome(it: Item, state: Outcome['state'], findings: string[] = []): Outcome {
  return {
    item: it, state, gateway: 'gw1', transferId: state === 'accepted' ? `t-${it.id}` : null, sentAtMs: 0, acceptedAtMs: 0, receiptVerified: true,
    refusal: state === 'refused' ? { status: 422, code: 'FERRY_CONTENT_REFUSED', rule: findings[0] === 'av-unavailable' ? 'deny-av-unavailable' : 'deny-keyword', findings } : null,
    attempts: 1, lastError: null,
  };
}

/** Ten items: `delivered` of them delivered, the rest refused, fail-closed or by a rule. */
function run(delivered: number, refusedFindings: string[], outOfOrder = 0) {
  const items = Array.from({ length: 10 }, (_, k) => item(k));
  const outcomes = items.map((it, k) => (k < delivered ? outcome(it, 'accepted') : outcome(it, 'refused', refusedFindings)));
  const deliveries = items.slice(0, delivered).map((it) => ({ system: it.to, sha256: it.sha256, filename: it.filename, transferId: `t-${it.id}`, size: it.size, atMs: 10 }));
  const statuses = new Map(items.slice(0, delivered).map((it) => [`t-${it.id}`, { id: `t-${it.id}`, state: 'delivered' } as never]));
  return check({ outcomes, deliveries, redelivered: 0, outOfOrder, statuses, evidence: [], keys: new Map(), expect });
}

t.test('refused fail-closed during an antivirus outage: not held against the delivered rate', async (t) => {
  const r = run(6, ['av-unavailable']);
  t.equal(r.overall.fail_closed, 4);
  t.equal(r.deliveredRate, 1, '6 delivered of the 6 that could cross');
  t.notOk(r.reasonKeys.some((k) => k.key === 'deliveredRate'));
});

t.test('refused by a rule: a false refusal, and the delivered rate falls below the bar', async (t) => {
  const r = run(6, ['keyword']);
  t.equal(r.overall.false_refuse, 4);
  t.equal(r.deliveredRate, 0.6);
  t.equal(r.verdict, 'invalid');
  t.ok(r.reasonKeys.some((k) => k.key === 'deliveredRate'));
});

t.test('nothing could cross (all fail-closed): the rate is not a division by zero', async (t) => {
  const r = run(0, ['av-unavailable']);
  t.equal(r.deliveredRate, 1);
  t.equal(r.overall.delivered, 0);
});

t.test('messages a subscriber got after a later one of their stream are a problem of the run', async (t) => {
  t.notOk(run(10, []).problems.some((p) => /after a later one/.test(p)), 'none when in order');
  const r = run(10, [], 2);
  t.ok(r.problems.some((p) => /2 message\(s\) reached a subscriber after a later one of their stream/.test(p)), r.problems.join('; '));
  t.equal(r.verdict, 'invalid', 'and make the run invalid');
});
