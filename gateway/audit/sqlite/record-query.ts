// The SQL for a RecordFilter (read-records.ts) over the records table.
import type Database from 'better-sqlite3';
import type { RecordFilter } from '../audit-storage.js';
import { normaliseTime } from '../record-time.js';

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
  const firstAt = db.prepare<[string], number>(FIRST_AT).pluck();
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

/** The first seq at or after a time: one seek of the time index. */
export const FIRST_AT = 'SELECT seq FROM records WHERE time >= ? ORDER BY time, seq LIMIT 1';
