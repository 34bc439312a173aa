// The audit storage port (audit-storage.ts) over an SQLite log file, on a
// read-only connection of its own (never the writer's). Every query walks an
// index and stops at its LIMIT or at a seq range found by index seeks, so a
// page costs the same on a log of ten thousand records or of ten million
// (test/audit-query.test.ts and test/console-access.test.ts check the plans).
import type Database from 'better-sqlite3';
import type {
  AuditLogMeta, AuditStorage, DecidedRecord, RecordFilter, RecordValues, StoredAuditRecord, StoredCheckpoint, StoredTreeNode,
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

export class SqliteAuditStorage implements AuditStorage {
  readonly location: string;
  readonly #db: Database.Database;
  #tree: TreeSource | null = null;

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

  recordValues(from: number, to: number): IterableIterator<RecordValues> {
    return lazy(() => this.#db.prepare(`SELECT ${COLUMNS} FROM records WHERE seq >= ? AND seq <= ? ORDER BY seq`).raw(true).iterate(from, to) as IterableIterator<RecordValues>);
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

  treeNodes(): IterableIterator<StoredTreeNode> {
    return lazy(() => this.#db.prepare('SELECT level, idx, hash FROM tree_nodes ORDER BY (idx + 1) * (1 << level), level').iterate() as IterableIterator<StoredTreeNode>);
  }

  latestCheckpoint(): StoredCheckpoint | null {
    return (this.#db.prepare('SELECT size, time, root, note, frontier FROM checkpoints ORDER BY size DESC LIMIT 1').get() as StoredCheckpoint | undefined) ?? null;
  }

  checkpointAt(size: number): StoredCheckpoint | null {
    return (this.#db.prepare('SELECT size, time, root, note, frontier FROM checkpoints WHERE size = ?').get(size) as StoredCheckpoint | undefined) ?? null;
  }

  checkpoints(): IterableIterator<StoredCheckpoint> {
    return lazy(() => this.#db.prepare('SELECT size, time, root, note, frontier FROM checkpoints ORDER BY size').iterate() as IterableIterator<StoredCheckpoint>);
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
      "SELECT substr(time, 1, 13) AS hour, sum(event = 'decided') AS decided, sum(event = 'denied') AS denied FROM records WHERE seq >= ? GROUP BY hour ORDER BY hour",
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
    return this.#db.prepare<[number], { rule: string; n: number }>(
      "SELECT rule, count(*) AS n FROM records WHERE event = 'decided' AND seq >= ? AND rule IS NOT NULL GROUP BY rule",
    ).all(fromSeq);
  }

  shadowMatches(fromSeq: number): Array<{ rule: string; effect: string; n: number }> {
    return this.#db.prepare<[number], { rule: string; effect: string; n: number }>(
      "SELECT json_extract(s.value, '$.rule') AS rule, json_extract(s.value, '$.effect') AS effect, count(*) AS n FROM records, json_each(records.details, '$.shadow') AS s WHERE records.event = 'decided' AND records.seq >= ? GROUP BY rule, effect",
    ).all(fromSeq);
  }

  adminActions(beforeSeq: number, limit: number): StoredAuditRecord[] {
    // One index walk per event, merged: an IN over both would sort every match first.
    const one = this.#db.prepare<[string, number, number], RecordRow>('SELECT * FROM records WHERE event = ? AND seq < ? ORDER BY seq DESC LIMIT ?');
    return [...one.all('admin-action', beforeSeq, limit), ...one.all('policy-loaded', beforeSeq, limit)]
      .sort((a, b) => b.seq - a.seq).slice(0, limit).map(stored);
  }

  decisionsToReplay(opts: { since?: string; last?: number }): { windowed: boolean; records: IterableIterator<DecidedRecord> } {
    const where = `event = 'decided'${opts.since ? ' AND time >= ?' : ''}`;
    const params: unknown[] = opts.since ? [opts.since] : [];
    let sql = `SELECT seq, time, transfer_id AS transferId, verdict, rule, details FROM records WHERE ${where}`;
    let windowed = false;
    if (opts.last !== undefined) {
      // The most recent `last`: the decision just before them is found by walking the index back
      // (no row is read), and the window then streams forward from it, never held whole.
      const cut = this.#db.prepare(`SELECT seq FROM records WHERE ${where} ORDER BY seq DESC LIMIT 1 OFFSET ?`).pluck().get(...params, opts.last) as number | undefined;
      windowed = cut !== undefined;
      sql += ' AND seq > ?';
      params.push(cut ?? 0);
    }
    return { windowed, records: lazy(() => this.#db.prepare(`${sql} ORDER BY seq`).iterate(...params) as IterableIterator<DecidedRecord>) };
  }

  async snapshot<T>(fn: () => Promise<T>): Promise<T> {
    this.#db.exec('BEGIN');
    try {
      return await fn();
    } finally {
      this.#db.exec('COMMIT');
    }
  }

  close(): void {
    this.#db.close();
  }
}
