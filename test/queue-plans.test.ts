// Issue #19: nothing on the event loop grows with history. Every statement the
// queue runs on a hot or periodic path (store/sqlite/hot-queries.ts, the very strings
// the queue prepares) is planned by SQLite through an index, never by a full
// scan of the transfers table, on a queue.db filled with settled history, with
// and without ANALYZE statistics. The counts a scrape reads are kept by
// triggers and stay equal to a real count through inserts, moves and purges.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import type { Receipt } from '../protocol/receipt.js';
import type { ListFilter } from '../gateway/store/transfer-store.js';
import * as Q from '../gateway/store/sqlite/hot-queries.js';
import { MESSAGES_AFTER_SQL, MESSAGES_UP_TO_SQL } from '../gateway/store/sqlite/message-store.js';
import { SqliteTransferStore } from '../gateway/store/sqlite/sqlite-transfer-store.js';
import { QUEUE_SCHEMA_VERSION } from '../gateway/store/sqlite/queue-migrations.js';

const dir = await mkdtemp(join(tmpdir(), 'ferry-plans-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 29);

/** `n` rows of history (mostly delivered), and a little work in flight, written straight into the table. */
function fill(path: string, n: number): void {
  const db = new Database(path);
  const ins = db.prepare(`INSERT INTO transfers (id, kind, state, principal, source, destination, label, size, sha256, spool, delivery,
    created, updated, expires_at, next_attempt_at, retain_days, retain_until, delivered_at, channel, seq)
    VALUES (?, 'file', ?, ?, ?, ?, 'public', 100, 'x', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `0190${String(i).padStart(12, '0')}-0000-7000-8000-${(i * 2654435761 % 2 ** 32).toString(16).padStart(12, '0')}`;
      const created = NOW - 90 * DAY + Math.floor((i / n) * 90 * DAY);
      const inFlight = i % 1000 === 0;
      const state = inFlight ? (['queued', 'forwarding', 'relayed', 'accepted'] as const)[(i / 1000) % 4]! : (['delivered', 'delivered', 'delivered', 'denied', 'expired', 'failed'] as const)[i % 6]!;
      const retain = state === 'delivered' && i % 10 === 0;
      const delivery = i % 7 === 0 ? 'pull' : i % 5 === 0 ? 'relay' : 'push';
      const channel = i % 11 === 0 ? 'notices' : null;
      ins.run(id, state, `ferry://police/sys${i % 50}`, `police/sys${i % 50}`, `extranet/dest${i % 20}`, `${id.slice(-2)}/${id}.spool`, delivery,
        created, created + 1000, created + 7 * DAY, created, retain ? 30 : null, retain ? created + 30 * DAY : null, state === 'delivered' ? created + 1000 : null,
        channel, null);
    }
  })();
  db.close();
}

type PlanRow = { detail: string };

function plan(db: Database.Database, sql: string, args: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as PlanRow[]).map((r) => r.detail);
}

/**
 * No SCAN of transfers under any alias (a SCAN walks a whole table or index,
 * even "USING INDEX"), and every read of it a SEARCH through the index meant
 * for it (a SEARCH by state alone would walk every settled row of that state).
 */
function assertIndexed(t: Tap, db: Database.Database, name: string, sql: string, args: unknown[], indexes: string[]): void {
  const steps = plan(db, sql, args);
  const shown = `${steps.join(' | ')}`;
  t.same(steps.filter((d) => /^SCAN (transfers|t|e)\b/.test(d)), [], `${name}: no scan of transfers (${shown})`);
  const used = steps.filter((d) => /^SEARCH (transfers|t|e)\b/.test(d)).map((d) => /USING (?:COVERING )?INDEX (\w+)/.exec(d)?.[1] ?? d);
  t.same([...new Set(used)].sort(), [...indexes].sort(), `${name}: read through ${indexes.join(', ')} (${shown})`);
}
type Tap = { same(a: unknown, b: unknown, m: string): void; ok(v: unknown, m: string): void };

const ID = '0190000000000001-0000-7000-8000-000000000001';
/** Each hot or periodic statement with arguments of the shape it runs with. */
/**
 * Each hot or periodic statement with arguments of the shape it runs with, and
 * the indexes it must be read through. transfers_due is (state, next_attempt_at):
 * by state it is used only for states of work in flight (queued, forwarding,
 * relayed, accepted), never for a settled state.
 */
const STATEMENTS: Array<[string, string, unknown[], string[]]> = [
  ['scheduler: due work', Q.DUE_SQL, [NOW, 8], ['transfers_due', 'transfers_channel']],
  ['scheduler: relayed outcomes due', Q.RELAYED_DUE_SQL, [NOW, 8], ['transfers_due']],
  ['scheduler: next wake-up', Q.NEXT_DUE_SQL, [], ['transfers_due']],
  ['housekeeping: expiry', Q.EXPIRED_DUE_SQL, [NOW, 100], ['transfers_expiry']],
  ['housekeeping: expiry of relayed transfers', Q.RELAYED_EXPIRED_DUE_SQL, [NOW, 100], ['transfers_due']],
  ['housekeeping: retention sweep', Q.RETAINED_DUE_SQL, [NOW, 100], ['transfers_retain']],
  ['housekeeping: purge of settled rows', Q.PURGE_SETTLED_SQL, [NOW - 30 * DAY, 500], ['sqlite_autoindex_transfers_1', 'transfers_settled']],
  ['inbox listing', Q.INBOX_SQL, ['extranet/dest3', 1000], ['transfers_inbox']],
  ['recovery: accepted rows', Q.BY_STATE_SQL, ['accepted'], ['transfers_due']],
  ['recovery: interrupted forwarding', Q.REQUEUE_FORWARDING_SQL, [NOW], ['transfers_due']],
  ['recovery: unsettled spools', Q.UNSETTLED_SPOOLS_SQL, [], ['transfers_due']],
  ['status by id', Q.GET_SQL, [ID], ['sqlite_autoindex_transfers_1']],
  ['idempotency replay', Q.BY_IDEM_SQL, ['ferry://police/sys1', 'k'], ['transfers_idem']],
  ['subscription: next messages', MESSAGES_AFTER_SQL, ['extranet/dest3', 'notices', 10, 256], ['transfers_seq']],
  ['subscription: acknowledged range', MESSAGES_UP_TO_SQL, ['extranet/dest3', 'notices', 10, 20], ['transfers_seq']],
];
const LISTS: Array<[string, ListFilter, string[]]> = [
  ['transfer list: a sender, first page', { principal: 'ferry://police/sys1', limit: 50 }, ['transfers_principal']],
  ['transfer list: a sender, by state and time, next page', { principal: 'ferry://police/sys1', states: ['delivered', 'queued'], since: NOW - DAY, until: NOW, before: ID, limit: 50 }, ['transfers_principal']],
  ['admin queue list: still to deliver', { principal: null, states: ['queued', 'forwarding'], limit: 100 }, ['transfers_due']],
  ['admin queue list: to a destination, next page', { principal: null, states: ['queued', 'forwarding'], destination: 'extranet/dest3', before: ID, limit: 100 }, ['transfers_due']],
];

t.test('every hot and periodic statement is answered through an index', async (t) => {
  const path = join(dir, 'plans.db');
  await new SqliteTransferStore(path).close();
  fill(path, 20_000);
  for (const analyzed of [false, true]) {
    const db = new Database(path);
    if (analyzed) db.exec('ANALYZE');
    await t.test(analyzed ? 'with ANALYZE statistics' : 'without statistics', async (t) => {
      for (const [name, sql, args, indexes] of STATEMENTS) assertIndexed(t, db, name, sql, args, indexes);
      for (const [name, f, indexes] of LISTS) {
        const { sql, args } = Q.listSql(f);
        assertIndexed(t, db, name, sql, args, indexes);
      }
      const counts = plan(db, Q.COUNTS_SQL, []);
      t.notOk(counts.some((d) => /transfers/.test(d)), `metrics: the counts do not read the transfers table (${counts.join(' | ')})`);
    });
    db.close();
  }
});

t.test('an older queue.db gains the indexes and counts, and the counts stay exact', async (t) => {
  const path = join(dir, 'old.db');
  await new SqliteTransferStore(path).close();
  // As a queue.db from before the history work: no counts, no new indexes, steps not run.
  const old = new Database(path);
  old.exec('DROP TABLE state_counts; DROP INDEX transfers_retain; DROP INDEX transfers_settled; DROP TRIGGER state_count_in; DROP TRIGGER state_count_move; DROP TRIGGER state_count_out; PRAGMA user_version = 0');
  old.close();
  fill(path, 3_000);
  const q = new SqliteTransferStore(path);
  t.teardown(() => q.close());
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  t.equal(db.pragma('user_version', { simple: true }), QUEUE_SCHEMA_VERSION, 'every step ran');
  const real = () => Object.fromEntries((db.prepare('SELECT state, COUNT(*) AS n FROM transfers GROUP BY state').all() as Array<{ state: string; n: number }>).map((r) => [r.state, r.n]));
  t.same(await q.countsByState(), real(), 'counts filled from the rows as they were');
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as Array<{ name: string }>).map((r) => r.name);
  t.ok(names.includes('transfers_retain') && names.includes('transfers_settled'), 'the new indexes exist');
  t.match((await q.get(db.prepare("SELECT id FROM transfers LIMIT 1").pluck().get() as string))?.spool, /^[0-9a-f]{2}\/.+\.spool$/, 'spool names moved to the fan-out');

  // Moves, inserts and purges keep them exact.
  await q.insertAccepted({
    id: 'zz-new', kind: 'file', channel: null, principal: 'p', source: 's', destination: 'd', label: 'public', filename: null,
    contentType: null, size: 1, sha256: 'x', spool: 'ab/zz-new.spool', delivery: 'push', idempotencyKey: null, created: NOW,
    expiresAt: NOW + DAY, receiptAccepted: null, retainDays: null,
  });
  await q.markQueued('zz-new', NOW);
  t.equal(await q.requeueInterrupted(NOW), 1, 'the one forwarding row is due again');
  t.ok(await q.markDelivered('zz-new', {} as Receipt, NOW), 'delivered');
  t.same(await q.countsByState(), real(), 'counts exact after insert, queue, requeue and delivery');
  let purged = 0;
  for (let n; (n = await q.purgeSettled(NOW, 100)) > 0;) {
    t.ok(n <= 100, 'a purge takes at most its batch');
    purged += n;
  }
  t.ok(purged > 2000, `${purged} settled rows purged in batches`);
  t.same(await q.countsByState(), real(), 'counts exact after purges');
});

t.test('the purge removes only settled rows past their keeping time that hold no retained content', async (t) => {
  const path = join(dir, 'purge.db');
  await new SqliteTransferStore(path).close();
  fill(path, 6_000);
  const q = new SqliteTransferStore(path);
  t.teardown(() => q.close());
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  const cutoff = NOW - 45 * DAY;
  const count = (where: string) => db.prepare(`SELECT COUNT(*) FROM transfers WHERE ${where}`).pluck().get() as number;
  const due = count(`state IN ('delivered', 'denied', 'expired', 'failed') AND retain_until IS NULL AND updated <= ${cutoff}`);
  const keep = count(`NOT (state IN ('delivered', 'denied', 'expired', 'failed') AND retain_until IS NULL AND updated <= ${cutoff})`);
  t.ok(due > 1000 && keep > 1000, `${due} rows due, ${keep} to keep`);
  t.equal(await q.purgeSettled(cutoff, 250), 250, 'one batch');
  while ((await q.purgeSettled(cutoff, 250)) > 0);
  t.equal(count('1'), keep, 'every row due went, and only those');
  t.equal(count(`state IN ('queued', 'forwarding', 'relayed', 'accepted')`), 6, 'work in flight stays whatever its age');
  t.ok(count(`retain_until IS NOT NULL AND updated <= ${cutoff}`) > 0, 'rows holding retained content stay until the sweep clears them');
});

t.test('the audit log reads a sender\'s refusals and a transfer\'s records through their indexes', async (t) => {
  const { createSchema } = await import('../gateway/audit/schema.js');
  const { ACCEPTED_SINCE_SQL, deniedOfSql, TRANSFER_RECORDS_SQL } = await import('../gateway/audit/audit-log.js');
  const db = new Database(join(dir, 'audit.db'));
  t.teardown(() => db.close());
  createSchema(db);
  const ins = db.prepare(`INSERT INTO records (seq, time, transfer_id, event, principal, prev_hash, hash) VALUES (?, ?, ?, ?, ?, '', '')`);
  const events = ['received', 'decided', 'inspected', 'decided', 'queued', 'delivered'];
  db.transaction(() => {
    for (let i = 1; i <= 12_000; i++) ins.run(i, new Date(NOW + i).toISOString(), `t${Math.floor(i / 6)}`, i % 97 === 0 ? 'denied' : events[i % 6], `ferry://police/sys${i % 3}`);
  })();
  for (const analyzed of [false, true]) {
    if (analyzed) db.exec('ANALYZE');
    const shapes: Array<[string, { sql: string; args: unknown[] }, string]> = [
      ['refusals of a sender', deniedOfSql('ferry://police/sys1', { limit: 50 }), 'records_denied'],
      ['refusals of a sender, by time, next page', deniedOfSql('ferry://police/sys1', { sinceIso: new Date(NOW).toISOString(), untilIso: new Date(NOW + DAY).toISOString(), beforeId: 't900', limit: 50 }), 'records_denied'],
      ['records of a transfer', { sql: TRANSFER_RECORDS_SQL, args: ['t42'] }, 'records_transfer'],
      ['the last day\'s accepted transfers (rate counters at a start)', { sql: ACCEPTED_SINCE_SQL, args: [11_000] }, 'records_event'],
    ];
    for (const [name, { sql, args }, index] of shapes) {
      const steps = plan(db, sql, args);
      t.same(steps.filter((d) => /^SCAN records\b/.test(d) || /TEMP B-TREE/.test(d)), [], `${name}${analyzed ? ' (analyzed)' : ''}: no scan, no sort (${steps.join(' | ')})`);
      t.ok(steps.some((d) => d.startsWith(`SEARCH records USING INDEX ${index} `)), `${name}: through ${index}`);
    }
  }
});
