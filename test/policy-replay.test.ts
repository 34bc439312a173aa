import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Finding } from '../protocol/findings.js';
import { loadPolicyText } from '../policies/load-policy.js';
import { replayLog } from '../gateway/audit/replay-log.js';
import type { TransferFacts } from '../policies/types.js';

// Replay against a real SQLite file with the audit log's `records` shape.

const NEW_POLICY = `policy: stricter
networks: [police, extranet]
rules:
  - id: allow-public
    effect: allow
    description: Only public data now.
    match: { from: police/*, to: extranet/*, label: public }
  - id: allow-internal-hr
    effect: allow
    description: Internal data to HR only.
    match: { from: police/*, to: extranet/hr, label: internal }
  - id: deny-classified
    effect: deny
    description: Classified markings never cross.
    when: { finding: classified-marking }
  - id: rate-bulk
    effect: deny
    description: The bulk system sends two a minute.
    match: { from: police/bulk }
    limit: { transfers: 2, per: minute, by: principal }
`;

const facts = (o: Partial<TransferFacts> = {}): TransferFacts => ({ kind: 'file', principal: `ferry://${o.source ?? 'police/a'}`, source: 'police/a', destination: 'extranet/archive', label: 'public', time: '2026-11-20T02:00:00.000Z', ...o });

interface Rec {
  time: string;
  event?: string;
  verdict: string | null;
  rule: string | null;
  details: unknown;
}

/** Build an audit database the way the gateway writes decided records. */
function buildLog(path: string, recs: Rec[]): void {
  const db = new Database(path);
  db.exec(`CREATE TABLE records (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, transfer_id TEXT, event TEXT NOT NULL, principal TEXT, source TEXT,
    destination TEXT, size INTEGER, sha256 TEXT, verdict TEXT, rule TEXT, policy_hash TEXT, details TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`);
  const ins = db.prepare(`INSERT INTO records (seq, time, transfer_id, event, principal, source, destination, size, verdict, rule, policy_hash, details, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'oldhash', ?, '', '')`);
  recs.forEach((r, i) => {
    const f = (r.details as { facts?: TransferFacts } | null)?.facts;
    ins.run(i + 1, r.time, `t-${i + 1}`, r.event ?? 'decided', f?.principal ?? null, f?.source ?? null, f?.destination ?? null, f?.size ?? null, r.verdict, r.rule, typeof r.details === 'string' ? r.details : JSON.stringify(r.details));
  });
  db.close();
}

const decided = (stage: 'before' | 'after', f: TransferFacts, findings: Finding[] = [], counters: Record<string, number> = {}) => ({ stage, facts: f, findings, counters });

const RECORDS: Rec[] = [
  { time: '2026-11-20T02:00:00.000Z', verdict: 'allow', rule: 'allow-pe', details: decided('after', facts({ label: 'internal' })) },
  { time: '2026-11-20T02:00:01.000Z', verdict: 'deny', rule: 'deny-classified', details: decided('after', facts(), [{ kind: 'classified-marking', subkind: '机密', offset: 3 }]) },
  { time: '2026-11-20T02:00:02.000Z', verdict: 'allow', rule: 'allow-pe', details: decided('before', facts({ label: 'internal', destination: 'extranet/hr' })) },
  { time: '2026-11-20T02:00:03.000Z', verdict: 'deny', rule: 'deny-big', details: decided('after', facts({ size: 2000 })) },
  { time: '2026-11-20T02:00:04.000Z', verdict: 'allow', rule: 'allow-pe', details: '{not json' },
  { time: '2026-11-20T02:00:05.000Z', verdict: 'allow', rule: 'allow-pe', details: { stage: 'after', findings: [] } },
  { time: '2026-11-20T02:00:06.000Z', verdict: 'allow', rule: 'allow-pe', details: decided('before', facts({ source: 'police/bulk' }), [], { 'transfers/minute:principal=ferry://police/bulk': 5 }) },
  { time: '2026-11-20T02:00:07.000Z', verdict: 'allow', rule: 'allow-pe', details: decided('before', facts({ source: 'police/bulk' })) },
  { time: '2026-11-20T02:00:08.000Z', event: 'received', verdict: null, rule: null, details: { note: 'not a decision' } },
  { time: '2026-11-21T09:00:00.000Z', verdict: 'allow', rule: 'allow-pe', details: decided('after', facts({ label: 'internal', time: '2026-11-21T09:00:00.000Z' })) },
];

t.test('replay lists and counts what the new policy would change', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-replay-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const db = join(dir, 'audit.db');
  buildLog(db, RECORDS);
  const engine = loadPolicyText(NEW_POLICY, 'new.yaml').engine!;
  const r = await replayLog(engine, db);
  t.equal(r.records, 9, 'every decided record, and nothing else');
  t.same(r.counts, { 'newly-denied': 3, 'newly-allowed': 1, 'other-rule': 1, same: 1, unevaluable: 3 });
  t.same(
    r.differences.map((d) => [d.seq, d.change, d.now.rule]),
    [
      [1, 'newly-denied', null],
      [3, 'other-rule', 'allow-internal-hr'],
      [4, 'newly-allowed', 'allow-public'],
      [7, 'newly-denied', 'rate-bulk'],
      [10, 'newly-denied', null],
    ],
  );
  t.same(
    r.unevaluable.map((u) => [u.seq, u.reason]),
    [
      [5, 'the details are not valid JSON'],
      [6, 'the details do not carry the transfer facts'],
      [8, "the record does not carry counter 'transfers/minute:principal=ferry://police/bulk' that rule limits need"],
    ],
  );
  t.equal(r.policy.hash, engine.hash);

  const since = await replayLog(engine, db, { since: '2026-11-21T00:00:00.000Z' });
  t.equal(since.records, 1, '--since keeps later records only');
  t.same(since.counts['newly-denied'], 1);

  t.same(await replayLog(engine, db), r, 'the same log and policy give the same report (recorded counters and time, not today\'s)');

  // Bounded, as the console runs it: the most recent decisions only, and a few differences kept.
  const last = await replayLog(engine, db, { last: 4, keep: 1 });
  t.equal(last.records, 4, 'only the last four decisions');
  t.equal(last.windowed, true, 'and it says there were more');
  // The last four decided records are seq 6 and 8 (unevaluable), 7 and 10 (newly denied).
  t.same(last.counts, { 'newly-denied': 2, 'newly-allowed': 0, 'other-rule': 0, same: 0, unevaluable: 2 }, 'counted in full within the window');
  t.same(last.differences.map((d) => d.seq), [7], 'the first difference of the window kept, no more');
  t.equal((await replayLog(engine, db, { last: 9 })).windowed, false, 'a window as large as the log cuts nothing');
});

t.test('replay opens the log read-only and reports a log it cannot read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-replay-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const engine = loadPolicyText(NEW_POLICY, 'new.yaml').engine!;
  await t.rejects(replayLog(engine, join(dir, 'missing.db')), 'a missing file is an error, not an empty log');
  const notALog = join(dir, 'other.db');
  await writeFile(notALog, '');
  await t.rejects(replayLog(engine, notALog), /no such table: records/);
});

t.test('ferry policy replay, as a child process', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-replay-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const db = join(dir, 'audit.db');
  buildLog(db, RECORDS);
  const policyFile = join(dir, 'new.yaml');
  await writeFile(policyFile, NEW_POLICY);
  const ferry = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [ferry, 'policy', 'replay', ...args], (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }));
    });
  const text = await run([policyFile, '--log', db]);
  t.equal(text.code, 1, 'exit 1: some decisions would change');
  t.match(text.stdout, /newly denied: 3 {2}newly allowed: 1 {2}same verdict by another rule: 1 {2}unchanged: 1 {2}unevaluable: 3/);
  t.match(text.stdout, /#5 .*unevaluable: the details are not valid JSON/);
  const json = await run([policyFile, '--log', db, '--json', '--since', '2026-11-21T00:00:00Z']);
  t.equal(json.code, 1);
  t.same(JSON.parse(json.stdout).counts, { 'newly-denied': 1, 'newly-allowed': 0, 'other-rule': 0, same: 0, unevaluable: 0 });
  const none = await run([policyFile, '--log', db, '--since', '2030-01-01T00:00:00Z']);
  t.equal(none.code, 0, 'exit 0: nothing would change');
  t.equal((await run([policyFile, '--log', db, '--since', 'yesterday'])).code, 2, 'a bad time is a usage error');
  t.equal((await run([policyFile, '--log', join(dir, 'nope.db')])).code, 2, 'a missing log is a usage error');
  t.equal((await run([policyFile])).code, 2, '--log is required');

  // In Chinese: the same counts and the same exit status; rule ids, verdicts, the change and --json as they are.
  const zh = await run(['--lang', 'zh-CN', policyFile, '--log', db]);
  t.equal(zh.code, 1, 'the exit status does not depend on the language');
  t.match(zh.stdout, /^已用策略 \S+（sha256 [0-9a-f]{64}）重放 .*audit\.db 中的 \d+ 条裁决记录$/m);
  t.match(zh.stdout, /新增拒绝：3 {2}新增允许：1 {2}裁决相同但规则不同：1 {2}不变：1 {2}无法评估：3/);
  t.match(zh.stdout, /#\d+ \S+ t-\d+（(before|after)）：newly-denied：原为 allow（规则 \S+），现为 deny（规则 \S+）— /);
  t.match(zh.stdout, /#5 .*：无法评估：/);
  t.notMatch(zh.stdout, /newly denied|unchanged|replayed/);
  const zhSince = await run(['--lang', 'zh-CN', policyFile, '--log', db, '--since', 'yesterday']);
  t.match(zhSince.stderr, /--since 'yesterday' 不是 ISO 8601 时间/);
});
