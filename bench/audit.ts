// `npm run bench:audit`: the audit log's figures beside a plain baseline.
//   1. durable appends (WAL, synchronous=FULL): many concurrent appenders
//      sharing group commits, against one appender at a time (one
//      transaction per record); per-append latency;
//   2. verify throughput;
//   3. filter queries on a log of 10 million records (generated in bulk
//      with the same encoding, chain, tree and signed checkpoints, and kept
//      for the next run).
// Options: --appends N (200000), --big N (10000000), --big-db FILE, --skip-big.
import Database from 'better-sqlite3';
import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { canonicalJson, canonicalRecord, recordHash, ZERO_HASH } from '../gateway/audit/canonical.js';
import { formatCheckpoint } from '../gateway/audit/checkpoint.js';
import type { AuditEntry } from '../protocol/audit-events.js';
import { leafHash, MerkleFrontier, type TreeNode } from '../gateway/audit/merkle.js';
import type { RecordFilter } from '../gateway/audit/read-records.js';
import { buildQuery } from '../gateway/audit/sqlite/record-query.js';
import { openAuditDb } from '../gateway/audit/sqlite/open-audit-db.js';
import { createSchema } from '../gateway/audit/schema.js';
import { encodeVkey, parseVkey, signNote } from '../gateway/audit/signed-note.js';
import { verifyLogFile } from '../gateway/audit/verify.js';
import { setAside } from './history-fill.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const APPENDS = opt('--appends', 200_000);
const BIG = opt('--big', 10_000_000);
const bigDbArg = args.indexOf('--big-db');
const BIG_DB = bigDbArg >= 0 ? args[bigDbArg + 1]! : join(tmpdir(), `ferry-bench-audit-${BIG}.db`);
const ORIGIN = 'ferry.gateway/bench';
// A fixed bench key (RFC 8410 PKCS#8 prefix + a constant seed), so that a kept
// 10M-record log still verifies in the next run. Never a real key.
const privateKey = createPrivateKey({ key: Buffer.from('302e020100300506032b657004220420' + '42'.repeat(32), 'hex'), format: 'der', type: 'pkcs8' });
const signer = { keyName: ORIGIN, privateKey };
const quiet = { warn: () => {}, error: () => {} };

const SOURCES = ['police/records', 'police/traffic', 'social/pension', 'social/insurance', 'health/claims', 'health/hospital'];
const DESTS = ['extranet/archive', 'extranet/portal', 'extranet/statistics'];
const EVENTS = ['received', 'decided', 'inspected', 'queued', 'forwarded', 'delivered'] as const;
// Six records per transfer; a transfer's source, destination and fate are
// spread independently of each other (different moduli), as in real traffic.
function entry(i: number): AuditEntry {
  const t = Math.floor(i / 6);
  const src = SOURCES[(t * 7) % 11 % SOURCES.length]!;
  const deny = t % 97 === 1;
  const e = EVENTS[i % 6]!;
  return {
    event: deny && i % 6 > 1 ? (i % 6 === 2 ? 'denied' : 'failed') : e,
    transferId: `0192f1c4-7a00-7000-8000-${String(t).padStart(12, '0')}`,
    principal: `ferry://${src}`, source: src, destination: DESTS[(t * 5) % 13 % DESTS.length], size: (t * 7919) % 50_000_000,
    sha256: null, verdict: e === 'decided' ? (deny ? 'deny' : 'allow') : null,
    rule: e === 'decided' ? (deny ? 'deny-personal-data' : `allow-${src.split('/')[0]}`) : null,
    policyHash: e === 'decided' ? 'c0ffee'.padEnd(64, '0') : null,
    details: e === 'decided' ? { stage: 'after', facts: { label: 'internal', type: 'application/pdf' }, findings: deny ? [{ kind: 'personal-data', sub: 'cn-resident-id' }] : [], counters: { perMinute: t % 60 } } : null,
  };
}

const pct = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => n.toFixed(n < 10 ? 2 : 1) + ' ms';
const results: [string, string][] = [];
const report = (what: string, value: string): void => {
  results.push([what, value]);
  process.stdout.write(`  ${what.padEnd(64)} ${value}\n`);
};

async function appendBench(dir: string): Promise<string> {
  process.stdout.write(`\nDurable appends (WAL, synchronous=FULL)\n`);
  // Baseline: one appender at a time, so every record is its own transaction and fsync.
  const base = openAuditLog(join(dir, 'baseline.db'), { origin: ORIGIN, signer, logger: quiet });
  const baseN = 2000;
  const lat1: number[] = [];
  let t0 = performance.now();
  for (let i = 0; i < baseN; i++) {
    const s = performance.now();
    await base.append(entry(i));
    lat1.push(performance.now() - s);
  }
  const baseRate = baseN / ((performance.now() - t0) / 1000);
  await base.close();
  lat1.sort((a, b) => a - b);
  report(`baseline: 1 appender, 1 transaction per record (${fmt(baseN)})`, `${fmt(baseRate)} records/s`);
  report('baseline: append latency p50 / p99', `${ms(pct(lat1, 50))} / ${ms(pct(lat1, 99))}`);

  for (const writers of [64, 1000]) {
    const path = join(dir, `group-${writers}.db`);
    const log = openAuditLog(path, { origin: ORIGIN, signer, logger: quiet });
    const lat: number[] = new Array<number>(APPENDS);
    let next = 0;
    // How much of the time the event loop was held (what every socket of a gateway waits on).
    const elu0 = performance.eventLoopUtilization();
    t0 = performance.now();
    await Promise.all(Array.from({ length: writers }, async () => {
      while (next < APPENDS) {
        const i = next++;
        const s = performance.now();
        await log.append(entry(i));
        lat[i] = performance.now() - s;
      }
    }));
    const secs = (performance.now() - t0) / 1000;
    const busy = performance.eventLoopUtilization(elu0).utilization;
    const commits = log.stats.commits;
    await log.close();
    lat.sort((a, b) => a - b);
    report(`group commit: ${writers} concurrent appenders (${fmt(APPENDS)})`, `${fmt(APPENDS / secs)} records/s (${(APPENDS / secs / baseRate).toFixed(0)}x baseline), ${fmt(commits)} commits`);
    report(`group commit: ${writers} appenders, append latency p50 / p99`, `${ms(pct(lat, 50))} / ${ms(pct(lat, 99))}`);
    report(`group commit: ${writers} appenders, event loop busy`, `${(busy * 100).toFixed(0)}%`);
  }
  return join(dir, 'group-1000.db');
}

async function verifyBench(path: string, label: string): Promise<void> {
  const vk = [parseVkey(encodeVkey(ORIGIN, privateKey))];
  for (const workers of [0, undefined]) {
    const t0 = performance.now();
    const r = await verifyLogFile(path, { verifiers: vk, ...(workers === undefined ? {} : { workers }) });
    const secs = (performance.now() - t0) / 1000;
    if (!r.ok) throw new Error(`verify failed: ${r.failure?.message}`);
    report(`verify ${label}, ${workers === 0 ? 'one thread' : 'worker threads'} (${fmt(r.records)} records, ${fmt(r.checkpoints)} checkpoints)`, `${fmt(r.records / secs)} records/s (${secs.toFixed(1)} s)`);
  }
}

/** Write `n` records the way the log would, in big unsynchronised transactions. */
function generate(path: string, n: number): void {
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  createSchema(db);
  db.prepare("INSERT INTO meta (key, value) VALUES ('origin', ?)").run(ORIGIN);
  // The indexes are made after the records (sorted once), not kept up to date row by row.
  const indexes = setAside(db, 'records');
  const ins = db.prepare('INSERT INTO records (seq, time, transfer_id, event, principal, source, destination, size, sha256, verdict, rule, policy_hash, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const node = db.prepare('INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)');
  const cp = db.prepare('INSERT INTO checkpoints (size, time, root, note, frontier) VALUES (?, ?, ?, ?, ?)');
  const f = new MerkleFrontier(0, [], 8);
  let prev: Buffer = ZERO_HASH;
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const t0 = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    const nodes: TreeNode[] = [];
    for (let i = from; i < to; i++) {
      const e = entry(i);
      const seq = i + 1;
      // about 3 records a second over the generated period
      const time = new Date(start + Math.floor(i * 333)).toISOString();
      const details = e.details ? canonicalJson(e.details) : null;
      const f0 = { seq, time, transferId: e.transferId ?? null, event: e.event, principal: e.principal ?? null, source: e.source ?? null, destination: e.destination ?? null, size: e.size ?? null, sha256: null, verdict: e.verdict ?? null, rule: e.rule ?? null, policyHash: e.policyHash ?? null, details };
      const h = recordHash(prev, canonicalRecord(f0));
      ins.run(seq, time, f0.transferId, f0.event, f0.principal, f0.source, f0.destination, f0.size, null, f0.verdict, f0.rule, f0.policyHash, details, prev.toString('hex'), h.toString('hex'));
      f.push(leafHash(h), nodes);
      prev = h;
      if (seq % 1000 === 0 || seq === n) {
        const root = f.root();
        cp.run(seq, time, root.toString('base64'), signNote(formatCheckpoint({ origin: ORIGIN, size: seq, root }), signer), f.serialize());
      }
    }
    for (const x of nodes) node.run(x.level, x.idx, x.hash);
  });
  for (let i = 0; i < n; i += 100_000) {
    batch(i, Math.min(n, i + 100_000));
    if (i % 1_000_000 === 0 && i > 0) process.stdout.write(`  … ${fmt(i)} records generated (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  for (const sql of indexes) db.exec(sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  report(`bulk generation of ${fmt(n)} records (unsynchronised, for the query test)`, `${((performance.now() - t0) / 1000).toFixed(0)} s, ${(statSync(path).size / 2 ** 30).toFixed(1)} GiB`);
}

function queryBench(path: string): void {
  const db = openAuditDb(path);
  const n = db.prepare('SELECT max(seq) FROM records').pluck().get() as number;
  const lastTime = db.prepare('SELECT time FROM records WHERE seq = ?').pluck().get(n) as string;
  const mid = new Date(Date.parse(lastTime) / 2 + Date.parse('2026-01-01T00:00:00Z') / 2).toISOString();
  const hourAfterMid = new Date(Date.parse(mid) + 3_600_000).toISOString();
  const cases: [string, RecordFilter][] = [
    ['--transfer (one transfer, 6 records)', { transferId: `0192f1c4-7a00-7000-8000-${String(Math.floor(n / 12)).padStart(12, '0')}` }],
    ['--source', { source: 'health/claims' }],
    ['--destination', { destination: 'extranet/statistics' }],
    ['--principal', { principal: 'ferry://social/pension' }],
    ['--event decided', { event: 'decided' }],
    ['--verdict deny (rare)', { verdict: 'deny' }],
    ['--rule deny-personal-data (rare)', { rule: 'deny-personal-data' }],
    ['--since (middle of the log)', { since: mid }],
    ['--until (middle of the log)', { until: mid }],
    ['--since/--until (one hour in the middle)', { since: mid, until: hourAfterMid }],
    ['--source --verdict deny --since', { source: 'police/records', verdict: 'deny', since: mid }],
    ['--event denied --destination (rare, combined)', { event: 'denied', destination: 'extranet/portal' }],
    ['--principal --event --since --until', { principal: 'ferry://police/traffic', event: 'delivered', since: mid, until: hourAfterMid }],
    ['--desc, newest 1000 of --destination', { destination: 'extranet/archive', descending: true }],
  ];
  process.stdout.write(`\nFilter queries on ${fmt(n)} records (LIMIT 1000, median of 7 runs, rows fully read)\n`);
  for (const [name, filter] of cases) {
    const times: number[] = [];
    let rows = 0;
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now();
      const { sql, params } = buildQuery(db, { ...filter, limit: 1000 });
      rows = (db.prepare(sql).all(...params) as unknown[]).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    report(`${name} → ${fmt(rows)} rows`, ms(times[3]!));
  }
  db.close();
}

const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-audit-'));
try {
  process.stdout.write(`Ferry audit log benchmark — node ${process.version}, ${new Date().toISOString()}\n`);
  const appended = await appendBench(dir);
  process.stdout.write(`\nVerify\n`);
  await verifyBench(appended, `the appended log`);
  if (!args.includes('--skip-big')) {
    process.stdout.write(`\nA log of ${fmt(BIG)} records at ${BIG_DB}\n`);
    let have = 0;
    if (existsSync(BIG_DB)) {
      const db = new Database(BIG_DB, { readonly: true });
      have = (db.prepare('SELECT max(seq) FROM records').pluck().get() as number | null) ?? 0;
      db.close();
    }
    if (have !== BIG) generate(BIG_DB, BIG);
    else report('reusing the generated log', `${fmt(have)} records`);
    queryBench(BIG_DB);
    if (args.includes('--verify-big')) await verifyBench(BIG_DB, `${fmt(BIG)} records`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
