// Reading the audit log: filtered, in seq order, streamed row by row from a
// read-only connection (never the writer's).
import type Database from 'better-sqlite3';
import { openAuditDb } from './open-audit-db.js';
import type { CanonicalFields } from './canonical.js';

/** A record as read back: the hashed fields, details parsed, and its chain hashes (hex). */
export interface AuditRecord extends Omit<CanonicalFields, 'details'> {
  details: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

export interface RecordFilter {
  transferId?: string;
  /** ISO 8601 UTC; records at or after this time. */
  since?: string;
  /** ISO 8601 UTC; records before this time. */
  until?: string;
  source?: string;
  destination?: string;
  principal?: string;
  event?: string;
  verdict?: string;
  rule?: string;
  /** The refusal code a record's details carry (FERRY_…). */
  code?: string;
  /** Only records with seq greater than this (for following the log). */
  afterSeq?: number;
  /** Only records with seq less than this (paging newest first). */
  beforeSeq?: number;
  /** Only records whose details carry a finding of this kind (decided and inspected records). */
  findingKind?: string;
  /** Leaves out the administrators' own records (admin-action, policy-loaded, any ferry://admin/ principal): only the auditor reads those. */
  withoutAdmin?: boolean;
  limit?: number;
  /** Newest first. */
  descending?: boolean;
}

export interface RecordRow {
  seq: number; time: string; transfer_id: string | null; event: string; principal: string | null;
  source: string | null; destination: string | null; size: number | null; sha256: string | null;
  verdict: string | null; rule: string | null; policy_hash: string | null; details: string | null;
  prev_hash: string; hash: string;
}

export function rowToRecord(r: RecordRow): AuditRecord {
  return {
    seq: r.seq, time: r.time, transferId: r.transfer_id, event: r.event, principal: r.principal,
    source: r.source, destination: r.destination, size: r.size, sha256: r.sha256, verdict: r.verdict,
    rule: r.rule, policyHash: r.policy_hash, details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
    prevHash: r.prev_hash, hash: r.hash,
  };
}

/** Normalise a user-given time to the stored form, so that text comparison orders correctly. */
export function normaliseTime(s: string): string {
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new RangeError(`not a time: ${JSON.stringify(s)} (use ISO 8601, e.g. 2026-11-25T08:00:00Z)`);
  return new Date(t).toISOString();
}

const EQUALITY: [keyof RecordFilter, string][] = [
  ['transferId', 'transfer_id'], ['source', 'source'], ['destination', 'destination'], ['principal', 'principal'],
  ['event', 'event'], ['verdict', 'verdict'], ['rule', 'rule'],
];

/**
 * The SQL for a filter. Record times never go backwards (the writer keeps
 * them monotonic), so a time range is first turned into a seq range with two
 * index seeks; every other filter then walks its (column, seq) index in seq
 * order, and a LIMIT stops early whatever the size of the log.
 */
export function buildQuery(db: Database.Database, filter: RecordFilter): { sql: string; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  for (const [key, column] of EQUALITY) {
    const v = filter[key];
    if (v !== undefined) { where.push(`${column} = ?`); params.push(v as string); }
  }
  if (filter.withoutAdmin) {
    where.push("event NOT IN ('admin-action', 'policy-loaded')", "(principal IS NULL OR principal NOT LIKE 'ferry://admin/%')");
  }
  if (filter.code !== undefined) { where.push("json_extract(details, '$.code') = ?"); params.push(filter.code); }
  const firstAt = db.prepare<[string], number>('SELECT seq FROM records WHERE time >= ? ORDER BY time, seq LIMIT 1').pluck();
  if (filter.since !== undefined) {
    const since = normaliseTime(filter.since);
    where.push('seq >= ?', 'time >= ?');
    params.push(firstAt.get(since) ?? Number.MAX_SAFE_INTEGER, since);
  }
  if (filter.until !== undefined) {
    const until = normaliseTime(filter.until);
    where.push('seq < ?', 'time < ?');
    params.push(firstAt.get(until) ?? Number.MAX_SAFE_INTEGER, until);
  }
  if (filter.afterSeq !== undefined) { where.push('seq > ?'); params.push(filter.afterSeq); }
  if (filter.beforeSeq !== undefined) { where.push('seq < ?'); params.push(filter.beforeSeq); }
  if (filter.findingKind !== undefined) {
    where.push("EXISTS (SELECT 1 FROM json_each(details, '$.findings') WHERE json_extract(value, '$.kind') = ?)");
    params.push(filter.findingKind);
  }
  let sql = 'SELECT * FROM records' + (where.length ? ' WHERE ' + where.join(' AND ') : '') + ` ORDER BY seq ${filter.descending ? 'DESC' : 'ASC'}`;
  if (filter.limit !== undefined) { sql += ' LIMIT ?'; params.push(filter.limit); }
  return { sql, params };
}

/** The audit log at dbPath, read-only; a path that is not one is refused in words (open-audit-db.ts). */
export function openReadOnly(dbPath: string): Database.Database {
  const db = openAuditDb(dbPath);
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Query records on an open connection. */
export function* queryRecords(db: Database.Database, filter: RecordFilter = {}): Generator<AuditRecord> {
  const { sql, params } = buildQuery(db, filter);
  for (const row of db.prepare(sql).iterate(...params) as IterableIterator<RecordRow>) yield rowToRecord(row);
}

/** Records matching `filter`, in seq order, from a read-only connection closed when iteration ends. */
export function* readRecords(dbPath: string, filter: RecordFilter = {}): Generator<AuditRecord> {
  const db = openReadOnly(dbPath);
  try {
    yield* queryRecords(db, filter);
  } finally {
    db.close();
  }
}
