// Query, export and tail against known data: every filter alone and combined
// gives exactly the records a plain scan picks, each filter runs on an index,
// and the CLI's JSON lines, CSV and tail output carry the same records.
import Database from 'better-sqlite3';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { stringWidth } from '../i18n/text-width.js';
import { readRecords, type AuditRecord, type RecordFilter } from '../gateway/audit/read-records.js';
import { buildQuery } from '../gateway/audit/sqlite/record-query.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
const ORIGIN = 'ferry.gateway/gw-query';
const dir = mkdtempSync(join(tmpdir(), 'ferry-audit-query-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'audit.db');

function ferry(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [FERRY, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

// 600 records, one a minute from 2026-11-01T00:00Z, with known spreads.
const EVENTS = ['received', 'decided', 'inspected', 'queued', 'forwarded', 'delivered'] as const;
const SOURCES = ['police/records', 'social/pension', 'health/claims'];
const START = Date.parse('2026-11-01T00:00:00.000Z');
let clock = START;
const log = openAuditLog(db, { origin: ORIGIN, now: () => new Date(clock), checkpointEvery: 250 });
for (let i = 0; i < 600; i++) {
  clock = START + i * 60_000;
  const decided = i % 6 === 1;
  await log.append({
    event: EVENTS[i % 6]!, transferId: `t-${Math.floor(i / 6)}`, principal: `ferry://${SOURCES[i % 3]!}`, source: SOURCES[i % 3]!,
    destination: i % 2 ? 'extranet/archive' : 'extranet/portal', size: i,
    verdict: decided ? (i % 4 === 1 ? 'deny' : 'allow') : null, rule: decided ? (i % 4 === 1 ? 'deny-pii' : 'allow-all') : null,
    details: { i, note: i % 50 === 0 ? 'a, "quoted"\nline' : 'plain' },
  });
}
await log.close();
const all = [...readRecords(db)];

const CASES: [string, RecordFilter, (r: AuditRecord) => boolean][] = [
  ['transfer', { transferId: 't-42' }, (r) => r.transferId === 't-42'],
  ['source', { source: 'social/pension' }, (r) => r.source === 'social/pension'],
  ['destination', { destination: 'extranet/portal' }, (r) => r.destination === 'extranet/portal'],
  ['principal', { principal: 'ferry://health/claims' }, (r) => r.principal === 'ferry://health/claims'],
  ['event', { event: 'decided' }, (r) => r.event === 'decided'],
  ['verdict', { verdict: 'deny' }, (r) => r.verdict === 'deny'],
  ['rule', { rule: 'allow-all' }, (r) => r.rule === 'allow-all'],
  ['since', { since: '2026-11-01T08:00:00Z' }, (r) => r.time >= '2026-11-01T08:00:00.000Z'],
  ['until', { until: '2026-11-01T01:00:00Z' }, (r) => r.time < '2026-11-01T01:00:00.000Z'],
  ['time range', { since: '2026-11-01T02:00:00+08:00', until: '2026-11-01T05:30:00Z' }, (r) => r.time >= '2026-10-31T18:00:00.000Z' && r.time < '2026-11-01T05:30:00.000Z'],
  ['combined', { source: 'social/pension', verdict: 'allow', since: '2026-11-01T03:00:00Z' }, (r) => r.source === 'social/pension' && r.verdict === 'allow' && r.time >= '2026-11-01T03:00:00.000Z'],
];

t.test('each filter returns exactly what a plain scan picks', async (t) => {
  t.equal(all.length, 600);
  for (const [name, filter, pick] of CASES) {
    const want = all.filter(pick).map((r) => r.seq);
    t.ok(want.length > 0, `${name}: the data has matches`);
    t.same([...readRecords(db, filter)].map((r) => r.seq), want, name);
  }
  t.same([...readRecords(db, { verdict: 'deny' })].length, 50, 'decided records with i % 12 == 1');
  t.same([...readRecords(db, { event: 'decided', limit: 3, descending: true })].map((r) => r.seq), [596, 590, 584], 'limit, newest first');
  t.same([...readRecords(db, { afterSeq: 597 })].map((r) => r.seq), [598, 599, 600]);
  t.throws(() => [...readRecords(db, { since: 'yesterday' })], /not a time/);
});

t.test('every filter is answered from an index', async (t) => {
  const conn = new Database(db, { readonly: true });
  t.teardown(() => conn.close());
  for (const [name, filter] of CASES) {
    const { sql, params } = buildQuery(conn, { ...filter, limit: 100 });
    const plan = (conn.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail).join('; ');
    t.match(plan, /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/, `${name}: ${plan}`);
    t.notMatch(plan, /^SCAN records$/, name);
  }
});

t.test('ferry log query and export', async (t) => {
  const q = await ferry(['log', 'query', '--db', db, '--source', 'police/records', '--event', 'queued', '--json']);
  t.equal(q.code, 0, q.stderr);
  const lines = q.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.equal(lines.length, 100);
  t.same(lines.map((l) => l.seq), all.filter((r) => r.source === 'police/records' && r.event === 'queued').map((r) => r.seq));
  t.match(lines[0], { transfer_id: /^t-/, policy_hash: null, details: { note: String } }, 'column names of the database');

  const table = await ferry(['log', 'query', '--db', db, '--transfer', 't-7']);
  t.match(table.stdout, /^SEQ\s+TIME\s+EVENT\s+TRANSFER/);
  t.equal(table.stdout.trim().split('\n').length, 7, 'header and six records');

  const jsonl = await ferry(['log', 'export', '--db', db, '--format', 'jsonl', '--until', '2026-11-01T00:10:00Z']);
  t.same(jsonl.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  const csv = await ferry(['log', 'export', '--db', db, '--format', 'csv', '--limit', '2']);
  const [header, first] = csv.stdout.split('\r\n');
  t.equal(header, '\uFEFFseq,time,transfer_id,event,principal,source,destination,size,sha256,verdict,rule,policy_hash,details,prev_hash,hash');
  t.match(first, /^1,2026-11-01T00:00:00\.000Z,t-0,received,ferry:\/\/police\/records,police\/records,extranet\/portal,0,,,,,"\{""i"":0,""note"":""a, \\""quoted\\""\\nline""\}",0{64},[0-9a-f]{64}$/);

  const bad = await ferry(['log', 'export', '--db', db, '--format', 'xml']);
  t.not(bad.code, 0);
  t.match(bad.stderr, /jsonl, csv/);
  const badTime = await ferry(['log', 'query', '--db', db, '--since', 'last week']);
  t.not(badTime.code, 0);
  t.match(badTime.stderr, /not a time/);
});

t.test('ferry log query in Chinese: the heading translated and aligned by terminal width, the values and --json as recorded', async (t) => {
  const zh = await ferry(['--lang', 'zh-CN', 'log', 'query', '--db', db, '--transfer', 't-8']);
  t.equal(zh.code, 0, zh.stderr);
  const [head, ...rows] = zh.stdout.trimEnd().split('\n');
  t.match(head, /^序号 +时间 +事件 +传输 +来源 +目的地 +裁决 +大小 +错误码 +规则$/);
  t.equal(rows.length, 6);
  t.match(rows[1], /^50 +2026-11-01T00:49:00\.000Z +decided +t-8 +social\/pension +extranet\/archive +deny +49 +- +deny-pii$/, 'events, verdicts and rules as recorded');
  // Each heading starts in the terminal column where its values start.
  const starts = (line: string) => [...line.matchAll(/(?:^| )(?=\S)/g)].map((m) => stringWidth(line.slice(0, m.index + (m.index ? 1 : 0))));
  t.same(starts(head!), starts(rows[1]!), 'the columns line up');
  const en = await ferry(['--lang', 'en', 'log', 'query', '--db', db, '--transfer', 't-8', '--json']);
  const zhJson = await ferry(['--lang', 'zh-CN', 'log', 'query', '--db', db, '--transfer', 't-8', '--json']);
  t.equal(zhJson.stdout, en.stdout, '--json is the same in every language');
});

t.test('ferry log tail follows new records', async (t) => {
  const child = spawn(process.execPath, [FERRY, 'log', 'tail', '--db', db, '--json', '-n', '2', '--interval', '50', '--event', 'denied'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const seen = (n: number): Promise<void> => new Promise((resolve) => {
    const check = (): void => { if (out.trim().split('\n').filter(Boolean).length >= n) { child.stdout.off('data', onData); resolve(); } };
    const onData = (c: Buffer): void => { out += c.toString('utf8'); check(); };
    child.stdout.on('data', onData);
    check();
  });
  const writer = openAuditLog(db, { origin: ORIGIN, checkpointEvery: 1000 });
  await writer.append({ event: 'denied', transferId: 'late-1', verdict: 'deny', rule: 'deny-pii' });
  await writer.append({ event: 'received', transferId: 'late-2' });
  await writer.append({ event: 'denied', transferId: 'late-3', verdict: 'deny', rule: 'deny-pii' });
  await seen(2);
  await writer.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  const got = out.trim().split('\n').map((l) => (JSON.parse(l) as { transfer_id: string }).transfer_id);
  t.same(got, ['late-1', 'late-3'], 'only new records that match the filter, in order');
});
