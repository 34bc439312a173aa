// Policy facts of a relayed transfer: `from` is still the original system,
// `via` names the upstream gateway and `hops` counts the gateways before this one.
import t from 'tap';
import { loadPolicyText } from '../policies/load-policy.js';
import type { TransferFacts } from '../policies/types.js';

const POLICY = `policy: hops
networks: [police, extranet, social]
rules:
  - id: allow-from-police-via-gw1
    effect: allow
    description: police systems, relayed by gw1 and by no other gateway before it
    match: { from: police/*, to: social/*, via: gw-police-*, hops: { max: 1 } }
  - id: deny-long-paths
    effect: deny
    description: nothing that crossed three gateways or more
    match: { hops: { min: 3 } }
`;

const facts = (o: Partial<TransferFacts>): TransferFacts => ({
  kind: 'file', principal: 'ferry://gateway/gw-police-extranet', source: 'police/records', destination: 'social/benefits', label: 'internal', time: '2026-11-24T02:00:00.000Z', ...o,
});

t.test('via and hops in a rule', async (t) => {
  const r = loadPolicyText(POLICY, 'hops.yaml');
  t.same(r.problems.filter((p) => p.severity === 'error'), [], 'loads');
  const engine = r.engine!;
  t.equal(engine.before(facts({ via: 'gw-police-extranet', hops: 1 })).rule, 'allow-from-police-via-gw1', 'relayed once by the named gateway: allowed');
  t.equal(engine.before(facts({ via: 'gw-health-extranet', hops: 1 })).verdict, 'deny', 'relayed by another gateway: default deny');
  t.equal(engine.before(facts({ via: 'gw-police-extranet', hops: 2 })).verdict, 'deny', 'a longer path: not this rule');
  t.equal(engine.before(facts({ via: 'gw-police-extranet', hops: 4 })).rule, 'deny-long-paths');
  t.equal(engine.before(facts({ principal: 'ferry://police/records' })).verdict, 'deny', 'sent by a system itself: no via, the rule does not apply');

  const bad = loadPolicyText(POLICY.replace('hops: { max: 1 }', 'hops: { min: 2, max: 1 }'), 'bad.yaml');
  t.ok(bad.problems.some((p) => p.severity === 'error' && /min \(2\) is above max \(1\)/.test(p.message) && p.line === 7), 'an empty range is an error with its line');
});
