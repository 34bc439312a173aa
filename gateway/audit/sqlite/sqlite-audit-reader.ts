// An SQLite audit log file read synchronously, on a read-only connection of
// its own (never the writer's): what the async storage port answers from
// (sqlite-audit-storage.ts), and the one synchronous reader kept for the
// gateway's own start-up and write side (the keys it rotated, its sealed
// segments' meta) and for tests that read a gateway's file back. Nothing else
// uses it: every tool and the console read through the async port.
//
// Every query walks an index and stops at its LIMIT or at a seq range found
// by index seeks, so a page costs the same on a log of ten thousand records
// or of ten million (test/audit-query.test.ts and test/console-access.test.ts
// check the plans).
import type Database from 'better-sqlite3';
import type {
  AuditLogMeta, DecidedRecord, RecordFilter, RecordValues, StoredAuditRecord, StoredCheckpoint, StoredTreeNode,
} from '../audit-storage.js';
import type { RecordRow } from './record-row.js';
import { openAuditDb } from './open-audit-db.js';
import { buildQuery, FIRST_AT } from './record-query.js';
import { treeSourceOf } from './tree-nodes.js';
import type { TreeSource } from '../tree-store.js';

const COLUMNS = 'seq, time, transfer_id, event, principal, source, destination, size, sha256, verdict, rule, policy_hash, details, prev_hash, hash';

function stored(r: RecordRow): StoredAuditRecord {
  return {
    seq: r.seq, time: r.time, transferId: r.transfer_id, event: r.event, principal: r.principal,
    source: r.source, destination: r.destination, size: r.size, sha256: r.sha256, verdict: r.verdict,
    rule: r.rule, policyHash: r.policy_hash, details: r.details, prevHash: r.prev_hash, hash: r.hash,
  };
}

/**
 * Rows of a statement, run only when the first is asked for: a connection
 * with a statement under way cannot be closed, so an iterator handed out and
 * never read must not have started one. Ending the iteration early (break,
 * return()) ends the statement.
 */
function* lazy<A, B = A>(run: () => IterableIterator<A>, f?: (a: A) => B): Generator<B> {
  for (const a of run()) yield f ? f(a) : (a as unknown as B);
}

export class SqliteAuditReader {
  readonly location: string;
  readonly #db: Database.Database;
  #tree: TreeSource | null = null;
  #values: Database.Statement | null = null;

  /** The log file at `path`, read-only; a path that is not one is refused in words (AuditDbError). */
  constructor(path: string) {
    this.location = path;
    this.#db = openAuditDb(path);
    this.#db.pragma('busy_timeout = 5000');
  }

  meta(): AuditLogMeta {
    const meta = new Map((this.#db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]));
    return {
      origin: meta.get('origin') ?? null,
      segment: Number(meta.get('segment') ?? '1'),
      sealed: meta.has('sealed') ? JSON.parse(meta.get('sealed')!) as AuditLogMeta['sealed'] : null,
    };
  }

  maxSeq(): number {
    return this.#db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM records').pluck().get() ?? 0;
  }

  timeSpan(): { first: string; last: string } | null {
    const first = this.#db.prepare<[], string>('SELECT time FROM records ORDER BY seq LIMIT 1').pluck().get();
    const last = this.#db.prepare<[], string>('SELECT time FROM records ORDER BY seq DESC LIMIT 1').pluck().get();
    return first === undefined || last === undefined ? null : { first, last };
  }

  firstSeqAt(iso: string): number | null {
    return this.#db.prepare<[string], number>(FIRST_AT).pluck().get(iso) ?? null;
  }

  records(filter: RecordFilter = {}): IterableIterator<StoredAuditRecord> {
    const { sql, params } = buildQuery(this.#db, filter);
    return lazy(() => this.#db.prepare(sql).iterate(...params) as IterableIterator<RecordRow>, stored);
  }

  /** Records a filter picks, at most `filter.limit`, read whole (a page). */
  recordsPage(filter: RecordFilter): StoredAuditRecord[] {
    const { sql, params } = buildQuery(this.#db, filter);
    return (this.#db.prepare(sql).all(...params) as RecordRow[]).map(stored);
  }

  /** Every stored field of records from..to (inclusive), in seq order, read whole (a page). */
  recordValues(from: number, to: number): RecordValues[] {
    this.#values ??= this.#db.prepare(`SELECT ${COLUMNS} FROM records WHERE seq >= ? AND seq <= ? ORDER BY seq`).raw(true);
    return this.#values.all(from, to) as RecordValues[];
  }

  recordHashes(after: number, to: number): string[] {
    return this.#treeSource().recordHashes(after, to);
  }

  treeNode(level: number, idx: number): Buffer | null {
    return this.#treeSource().treeNode(level, idx);
  }

  #treeSource(): TreeSource {
    return (this.#tree ??= treeSourceOf(this.#db));
  }

  /**
   * The stored nodes that complete with a leaf in (after, upTo], in the order
   * the tree completes them: one primary-key range per level (a node of level
   * L over idx completes at leaf (idx + 1)·2^L), merged here.
   */
  treeNodesCompleting(after: number, upTo: number): StoredTreeNode[] {
    const { low, top } = this.#db.prepare<[], { low: number | null; top: number | null }>('SELECT min(level) AS low, max(level) AS top FROM tree_nodes').get()!;
    const range = this.#db.prepare<[number, number, number], StoredTreeNode>('SELECT level, idx, hash FROM tree_nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx');
    const out: StoredTreeNode[] = [];
    for (let level = low ?? 0; level <= (top ?? -1); level++) {
      const span = 2 ** level;
      out.push(...range.all(level, Math.floor(after / span), Math.floor(upTo / span)));
    }
    const end = (n: StoredTreeNode): number => (n.idx + 1) * 2 ** n.level;
    return out.sort((a, b) => end(a) - end(b) || a.level - b.level);
  }

  /** The last leaf any stored node covers (0 when none). */
  maxTreeLeaf(): number {
    return this.#db.prepare<[], number | null>('SELECT max((idx + 1) << level) FROM tree_nodes').pluck().get() ?? 0;
  }

  /** Checkpoints of size above `after`, by size, at most `limit`. */
  checkpointsAfter(after: number, limit: number): StoredCheckpoint[] {
    return this.#db.prepare<[number, number], StoredCheckpoint>('SELECT size, time, root, note, frontier FROM checkpoints WHERE size > ? ORDER BY size LIMIT ?').all(after, limit);
  }

  latestCheckpoint(): StoredCheckpoint | null {
    return (this.#db.prepare('SELECT size, time, root, note, frontier FROM checkpoints ORDER BY size DESC LIMIT 1').get() as StoredCheckpoint | undefined) ?? null;
  }

  checkpointAt(size: number): StoredCheckpoint | null {
    return (this.#db.prepare('SELECT size, time, root, note, frontier FROM checkpoints WHERE size = ?').get(size) as StoredCheckpoint | undefined) ?? null;
  }

  checkpointSizes(n: number): number[] {
    return this.#db.prepare<[number], number>('SELECT size FROM checkpoints ORDER BY size DESC LIMIT ?').pluck().all(n);
  }

  eventCounts(fromSeq: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.#db.prepare<[number], { event: string; n: number }>('SELECT event, count(*) AS n FROM records WHERE seq >= ? GROUP BY event').all(fromSeq)) out[r.event] = r.n;
    return out;
  }

  decisionsByHour(fromSeq: number): Array<{ hour: string; decided: number; denied: number }> {
    return this.#db.prepare<[number], { hour: string; decided: number; denied: number }>(
      // An accepted record (schema 3) holds two decisions, as many as the two decided records it replaces.
      "SELECT substr(time, 1, 13) AS hour, sum(event = 'decided') + 2 * sum(event = 'accepted') AS decided, sum(event = 'denied') AS denied FROM records WHERE seq >= ? GROUP BY hour ORDER BY hour",
    ).all(fromSeq);
  }

  refusalsByRule(fromSeq: number, limit: number): Array<{ rule: string; n: number }> {
    return this.#db.prepare<[number, number], { rule: string; n: number }>(
      "SELECT rule, count(*) AS n FROM records WHERE event = 'denied' AND seq >= ? AND rule IS NOT NULL GROUP BY rule ORDER BY n DESC LIMIT ?",
    ).all(fromSeq, limit);
  }

  denyingFindings(fromSeq: number, limit: number): Array<{ kind: string; n: number }> {
    return this.#db.prepare<[number, number], { kind: string; n: number }>(
      "SELECT json_extract(f.value, '$.kind') AS kind, count(*) AS n FROM records, json_each(records.details, '$.findings') AS f WHERE records.event = 'decided' AND records.verdict = 'deny' AND records.seq >= ? GROUP BY kind ORDER BY n DESC LIMIT ?",
    ).all(fromSeq, limit);
  }

  decisionsByRule(fromSeq: number): Array<{ rule: string; n: number }> {
    return this.#db.prepare<[{ from: number }], { rule: string; n: number }>(
      // A decided record's rule; an accepted record's after-content rule (its column) and its before-content one.
      `SELECT rule, count(*) AS n FROM (
         SELECT rule FROM records WHERE event IN ('decided', 'accepted') AND seq >= @from
         UNION ALL SELECT json_extract(details, '$.before.rule') AS rule FROM records WHERE event = 'accepted' AND seq >= @from
       ) WHERE rule IS NOT NULL GROUP BY rule`,
    ).all({ from: fromSeq });
  }

  shadowMatches(fromSeq: number): Array<{ rule: string; effect: string; n: number }> {
    return this.#db.prepare<[{ from: number }], { rule: string; effect: string; n: number }>(
      `SELECT json_extract(s.value, '$.rule') AS rule, json_extract(s.value, '$.effect') AS effect, count(*) AS n FROM (
         SELECT details AS d, '$.shadow' AS at FROM records WHERE event = 'decided' AND seq >= @from
         UNION ALL SELECT details, '$.before.shadow' FROM records WHERE event = 'accepted' AND seq >= @from
         UNION ALL SELECT details, '$.after.shadow' FROM records WHERE event = 'accepted' AND seq >= @from
       ), json_each(d, at) AS s GROUP BY rule, effect`,
    ).all({ from: fromSeq });
  }

  adminActions(beforeSeq: number, limit: number): StoredAuditRecord[] {
    // One index walk per event, merged: an IN over both would sort every match first.
    const one = this.#db.prepare<[string, number, number], RecordRow>('SELECT * FROM records WHERE event = ? AND seq < ? ORDER BY seq DESC LIMIT ?');
    return [...one.all('admin-action', beforeSeq, limit), ...one.all('policy-loaded', beforeSeq, limit)]
      .sort((a, b) => b.seq - a.seq).slice(0, limit).map(stored);
  }

  /**
   * Where a replay starts: with `last`, the decision just before the most
   * recent `last` ones, found by walking the index back (no row is read);
   * `windowed` says there was one. The window then streams forward from it.
   */
  replayStart(opts: { since?: string; last?: number }): { windowed: boolean; afterSeq: number } {
    if (opts.last === undefined) return { windowed: false, afterSeq: 0 };
    // The last+1 most recent of each event, merged: the one at offset `last` is the cut.
    const seqs = DECISION_EVENTS.flatMap((event) => {
      const { where, params } = decidedWhere(event, opts.since);
      return this.#db.prepare(`SELECT seq FROM records WHERE ${where} ORDER BY seq DESC LIMIT ?`).pluck().all(...params, opts.last! + 1) as number[];
    }).sort((a, b) => b - a);
    const cut = seqs[opts.last];
    return { windowed: cut !== undefined, afterSeq: cut ?? 0 };
  }

  /** Decided and accepted records after `afterSeq` (and at or after `since`), in seq order, at most `limit`. */
  decisionsAfter(since: string | undefined, afterSeq: number, limit: number): DecidedRecord[] {
    // One index walk per event, merged: an IN over both would sort every match after afterSeq first.
    const rows = DECISION_EVENTS.flatMap((event) => {
      const { where, params } = decidedWhere(event, since);
      return this.#db.prepare(`SELECT seq, time, transfer_id AS transferId, event, verdict, rule, details FROM records WHERE ${where} AND seq > ? ORDER BY seq LIMIT ?`).all(...params, afterSeq, limit) as DecidedRecord[];
    });
    return rows.sort((a, b) => a.seq - b.seq).slice(0, limit);
  }

  /** Begins (and ends) a read transaction: the snapshot the async port's snapshot() holds. */
  begin(): void {
    this.#db.exec('BEGIN');
  }

  commit(): void {
    this.#db.exec('COMMIT');
  }

  close(): void {
    this.#db.close();
  }
}

/** The records that hold decisions: `decided`, and `accepted` (schema 3; its before and after decisions in one). */
const DECISION_EVENTS = ['decided', 'accepted'] as const;

function decidedWhere(event: (typeof DECISION_EVENTS)[number], since: string | undefined): { where: string; params: unknown[] } {
  return { where: `event = ?${since ? ' AND time >= ?' : ''}`, params: since ? [event, since] : [event] };
}
