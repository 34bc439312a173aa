import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { readRecords } from '../gateway/audit/read-records.js';
import { runSimulation, type RunResult } from '../simulator/run.js';
import { loadTopology } from '../simulator/topology.js';

// A destination that takes messages by subscription (`receive: subscribe`),
// two boundaries away, with the gateway it subscribes to killed mid-run: the
// simulator's verdict covers the message path too (fifth red team, F7: no
// topology could declare a subscriber). Its files wait in its inbox, emptied
// by a pull beside the subscriptions.

const TOPOLOGY = (o: { drop?: string; faults?: string }) => `name: t-subscribe
seed: 17
drain_timeout: 90s
networks: [police, extranet, social]
gateways:
  gw-a:
    borders: [police, extranet]
    policy:
      policy: gw-a
      networks: [police, extranet, social]
      rules:
        - { id: a-out, effect: allow, description: "Police may send to social.", match: { from: police/*, to: social/*, label: [public, internal] } }
        - { id: deny-marking, effect: deny, description: "Markings never cross.", when: { finding: classified-marking } }
  gw-b:
    borders: [extranet, social]
    policy:
      policy: gw-b
      networks: [police, extranet, social]
      rules:
        - { id: b-in, effect: allow, description: "Police data comes into social.", match: { from: police/*, to: social/*, label: [public, internal] } }
        - { id: deny-marking, effect: deny, description: "Markings never cross.", when: { finding: classified-marking } }
systems:
  police/records: {}
  social/desk: { receive: subscribe${o.drop ?? ''} }
links:
  - { gateway: gw-a, network: extranet, latency: 5ms, bandwidth: 4MiB/s }
${o.faults ?? ''}
workloads:
  - { from: police/records, to: social/desk, messages: { channel: cases, count: 40, rate: 10/s }, refuse: { classified: 0.1 } }
  - { from: police/records, to: social/desk, messages: { channel: notes, count: 20, rate: 5/s } }
  - { from: police/records, to: social/desk, files: { count: 4, rate: 2/s, sizes: [{ size: 8KiB }] } }
expect: { lost: 0, false_accept: 0 }
`;

async function simulate(t: { teardown(fn: () => unknown): void }, yaml: string): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-sim-sub-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'topology.yaml'), yaml);
  return runSimulation({ topology: await loadTopology(join(dir, 'topology.yaml')), reportDir: join(dir, 'report'), out: new Writable({ write: (_c, _e, cb) => cb() }) });
}

t.test('messages to a subscriber two hops away, its gateway killed mid-run: each delivered once, in order per channel', async (t) => {
  const r = await simulate(t, TOPOLOGY({ faults: 'faults:\n  - { kind: kill, target: gw-b, at: 2s, for: 1s }' }));
  t.equal(r.verdict, 'valid', r.report.reasons.join('; ') + r.report.problems.join('; '));
  const c = r.report.counts;
  t.equal(c.lost, 0);
  t.equal(c.duplicated, 0);
  t.equal(c.items, 64);
  t.equal(c.delivered + c.refused, 64, 'every item delivered or refused');
  t.ok(c.refused > 0, `the marked messages refused (${c.refused})`);
  // Delivered by subscription at the last gateway: its delivered records say so, with the sequence.
  const b = [...readRecords(join(r.runDir, 'gateways', 'gw-b', 'data', 'audit.db'))];
  const bySub = b.filter((x) => x.event === 'delivered' && (x.details as { via?: string }).via === 'subscribe');
  t.equal(bySub.length, c.delivered - 4, 'one delivered record by subscription for each message delivered (the 4 files went by the inbox)');
  t.ok(bySub.every((x) => typeof (x.details as { sequence?: unknown }).sequence === 'number'), 'each with its sequence');
});

t.test('a subscriber that keeps nothing of every third message: the checker counts them lost', async (t) => {
  const r = await simulate(t, TOPOLOGY({ drop: ', drop_every: 3' }));
  t.equal(r.verdict, 'invalid', 'lost messages make the run invalid');
  t.ok(r.report.counts.lost > 0, `lost counted (${r.report.counts.lost})`);
});
