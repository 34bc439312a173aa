import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { readRecords } from '../gateway/audit/read-records.js';
import { runSimulation } from '../simulator/run.js';
import { loadTopology } from '../simulator/topology.js';

// Two boundaries through the simulator: police → gw-a → extranet → gw-b →
// social. Each gateway decides under its own policy; a refusal at the second
// hop reaches the source as the transfer's state.

const RULES = `
        - { id: deny-marking, effect: deny, description: "Markings never cross.", when: { finding: classified-marking } }`;

const TOPOLOGY = `name: t-two-hops
seed: 11
drain_timeout: 90s
networks: [police, extranet, social]
gateways:
  gw-a:
    borders: [police, extranet]
    policy:
      policy: gw-a
      networks: [police, extranet, social]
      rules:
        - { id: a-police-out, effect: allow, description: "Police may send to social, public or internal.", match: { from: police/*, to: social/*, label: [public, internal] } }${RULES}
  gw-b:
    borders: [extranet, social]
    policy:
      policy: gw-b
      networks: [police, extranet, social]
      rules:
        - { id: b-into-social, effect: allow, description: "Only internal data comes into social.", match: { from: police/*, to: social/*, label: internal } }${RULES}
systems:
  police/records: {}
  social/benefits: { receive: push }
  social/desk: { receive: pull }
links:
  - { gateway: gw-a, network: extranet, latency: 5ms, bandwidth: 4MiB/s }
  - { gateway: gw-b, network: extranet, latency: 5ms, bandwidth: 4MiB/s }
workloads:
  - { from: police/records, to: social/benefits, files: { count: 8, rate: 4/s, sizes: [{ size: 16KiB }] }, refuse: { classified: 0.25 } }
  - { from: police/records, to: social/desk, messages: { channel: notes, count: 6, rate: 4/s } }
  # gw-a lets public data go; gw-b does not take it: refused at the second hop.
  - { from: police/records, to: social/benefits, label: public, expect: refused, files: { count: 3, rate: 2/s } }
expect: { lost: 0, false_accept: 0 }
`;

t.test('two hops: files and messages cross both policies; a refusal at the second hop reaches the source', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-sim-hops-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'topology.yaml'), TOPOLOGY);
  const topo = await loadTopology(join(dir, 'topology.yaml'));
  t.same(topo.workloads[0]!.path, ['gw-a', 'gw-b'], 'two boundaries');
  const r = await runSimulation({ topology: topo, reportDir: join(dir, 'report'), out: new Writable({ write: (_c, _e, cb) => cb() }) });
  t.equal(r.verdict, 'valid', r.report.reasons.join('; ') + r.report.problems.join('; '));
  const c = r.report.counts;
  t.equal(c.lost, 0);
  t.equal(c.false_accept, 0);
  t.equal(c.delivered, 6 + 6, 'the unmarked files and every message delivered');
  t.equal(c.refused, 2 + 3, 'the marked files, and the public ones');

  const a = [...readRecords(join(r.runDir, 'gateways', 'gw-a', 'data', 'audit.db'))];
  const b = [...readRecords(join(r.runDir, 'gateways', 'gw-b', 'data', 'audit.db'))];
  const delivered = r.check.items.filter((i) => i.fate === 'delivered');
  for (const i of delivered) {
    // The accepted record (audit schema 3; 'queued' before it) carries the rule that let it through.
    const ruleA = a.find((x) => x.transferId === i.transferId && x.event === 'accepted')?.rule;
    const ruleB = b.find((x) => x.transferId === i.transferId && x.event === 'accepted')?.rule;
    if (ruleA !== 'a-police-out' || ruleB !== 'b-into-social') t.fail(`${i.id}: decided by ${ruleA} at gw-a and ${ruleB} at gw-b`);
  }
  t.pass(`each of the ${delivered.length} delivered items was allowed by gw-a's rule and then by gw-b's`);
  t.ok(delivered.some((i) => i.id.includes('-m')), 'messages crossed two hops too');
  t.equal(b.filter((x) => x.event === 'delivered').length, 12, 'the last gateway recorded every delivery');
  t.equal(r.report.routes['police/records → social/benefits']!.delivered, b.filter((x) => x.event === 'delivered' && x.destination === 'social/benefits').length, 'report = the last gateway\'s audit log');

  // The public files: accepted by gw-a (a transfer id), denied by gw-b, and the source sees it.
  const publicItems = r.check.items.filter((i) => i.id.startsWith('w2-'));
  t.equal(publicItems.length, 3);
  for (const i of publicItems) {
    t.equal(i.fate, 'refused', `${i.id} refused`);
    t.ok(i.transferId, `${i.id} was accepted by the first gateway`);
    t.equal(i.state, 'denied', `${i.id}: the source's status says denied`);
    t.ok(b.some((x) => x.transferId === i.transferId && x.event === 'denied'), `${i.id}: gw-b recorded the denial`);
    t.ok(a.some((x) => x.transferId === i.transferId && x.event === 'denied'), `${i.id}: gw-a settled it denied`);
  }
  t.ok(r.report.audit.gateways.every((g) => g.ok), 'both audit logs verify');
  t.equal(r.report.receipts.failed, 0, 'every receipt verifies, the delivered ones with the last gateway\'s key');
});
