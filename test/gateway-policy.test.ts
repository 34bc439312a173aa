// The policy in the gateway's path (issue 5): a refused upload is answered 403
// with its rule before the body is read; limits answer 429 with retry-after;
// every decision is logged with its rule, policy hash and the facts it used, so
// that `ferry policy replay` can decide again on past traffic; a changed policy
// file is picked up without a restart.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { request } from 'undici';
import { readRecords } from '../gateway/audit/read-records.js';
import { makePki } from './helpers/pki.js';
import { clientFor, putFile, startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';

const run = promisify(execFile);
const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

const POLICY = `policy: e2e
networks: [police, extranet, social]
rules:
  - id: allow-police-to-extranet
    effect: allow
    description: Police systems send public and internal data to the extranet.
    match: { from: police/*, to: extranet/*, label: [public, internal] }
  - id: deny-internal-to-portal
    effect: deny
    description: The portal is public-facing; internal data does not go there.
    match: { to: extranet/portal, label: internal }
  - id: limit-three-a-minute
    effect: deny
    description: At most three transfers a minute per system.
    limit: { transfers: 3, per: minute, by: principal }
`;

t.test('decisions in the path, limits, replay and reload', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port, policyText: POLICY });
  const db = join(fx.dir, 'data', 'audit.db');
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));

  // Refused before content: the answer comes, and not a byte of the 64 MiB body is taken in.
  const big = Buffer.alloc(64 * 1024 * 1024, 0x41);
  const r = await putFile(sender, fx.url('police'), big, { 'ferry-to': 'extranet/portal', 'ferry-label': 'internal', 'content-length': String(big.length) });
  t.equal(r.status, 403);
  t.equal(r.json.code, 'FERRY_POLICY_DENIED');
  t.equal(r.json.rule, 'deny-internal-to-portal', 'the answer names the rule');
  t.match(r.json.detail, /internal data does not go there/, 'and says why in a sentence');
  t.match((await fx.admin('/metrics')).text, /ferry_bytes_in_total 0\b/, 'the body was not read into the pass');
  const recs = [...readRecords(db, { transferId: r.json.transfer as string })];
  t.same(recs.map((x) => x.event), ['received', 'decided', 'denied'], 'received, decided, denied: nothing was inspected');
  const decided = recs.find((x) => x.event === 'decided')!;
  t.equal(decided.rule, 'deny-internal-to-portal');
  t.match(decided.policyHash, /^[0-9a-f]{64}$/, 'the decision carries the policy hash');
  t.equal((decided.details as { stage: string }).stage, 'before');
  t.equal((decided.details as { facts: { destination: string } }).facts.destination, 'extranet/portal', 'and the facts it was made on');

  // Three allowed, the fourth over the limit.
  for (let i = 0; i < 3; i++) {
    const ok = await putFile(sender, fx.url('police'), Buffer.from(`n${i}`), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '2' });
    t.equal(ok.status, 202, `transfer ${i + 1} of 3 allowed`);
  }
  const res = await request(`${fx.url('police')}/v1/files`, { method: 'PUT', dispatcher: sender, body: 'n4', headers: { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '2' } });
  const limited = (await res.body.json()) as Record<string, unknown>;
  t.equal(res.statusCode, 429);
  t.equal(limited.code, 'FERRY_RATE_LIMITED');
  t.equal(limited.rule, 'limit-three-a-minute');
  t.ok(Number(res.headers['retry-after']) > 0, 'retry-after says when to try again');
  const limitDecision = [...readRecords(db, { transferId: limited.transfer as string, event: 'decided' })][0]!;
  t.ok(Object.values((limitDecision.details as { counters: Record<string, number> }).counters).some((n) => n >= 3), 'the counters the decision saw are logged');

  // Replay a stricter policy over this traffic: what would it have changed?
  const stricter = join(fx.dir, 'stricter.yaml');
  await writeFile(stricter, POLICY.replace('label: [public, internal] }', 'label: [internal] }'));
  const replay = await run(process.execPath, [FERRY, 'policy', 'replay', stricter, '--log', db, '--json']).catch((e: { stdout: string; code: number }) => e);
  const report = JSON.parse((replay as { stdout: string }).stdout) as { counts: Record<string, number>; records: number };
  t.ok(report.records >= 8, `replay re-decided the ${report.records} recorded decisions`);
  t.ok(report.counts['newly-denied']! >= 3, 'the public transfers would now be denied');

  // Hot reload: the file changes, the gateway decides by the new text.
  await writeFile(join(fx.dir, 'policy.yaml'), POLICY.replace('limit: { transfers: 3,', 'limit: { transfers: 1000,') + `  - id: deny-archive-for-now
    effect: deny
    description: Deliveries to the archive are paused.
    match: { to: extranet/archive }
`);
  await until(() => [...readRecords(db, { event: 'policy-loaded' })].some((x) => (x.details as { reason?: string }).reason === 'reload'), 'the reload to be logged');
  const after = await putFile(sender, fx.url('police'), Buffer.from('x'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '1' });
  t.equal(after.json.rule, 'deny-archive-for-now', 'the new policy is in force without a restart');
  t.not(after.json.policy_hash, decided.policyHash, 'and its hash is the new one');

  // A broken file keeps the last good policy.
  await writeFile(join(fx.dir, 'policy.yaml'), 'policy: broken\nrules: [ {');
  await new Promise((r) => setTimeout(r, 500));
  const still = await putFile(sender, fx.url('police'), Buffer.from('x'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '1' });
  t.equal(still.json.rule, 'deny-archive-for-now', 'a broken policy file leaves the last good one in force');
});
