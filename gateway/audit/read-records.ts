// Reading the audit log: records as values, filtered, in seq order, streamed
// through the audit storage port (audit-storage.ts).
import type { AuditStorage, RecordFilter, StoredAuditRecord } from './audit-storage.js';
import type { CanonicalFields } from './canonical.js';
import { SqliteAuditReader } from './sqlite/sqlite-audit-reader.js';

export type { RecordFilter } from './audit-storage.js';
export type { RecordRow } from './sqlite/record-row.js';
export { normaliseTime } from './record-time.js';

/** A record as read back: the hashed fields, details parsed, and its chain hashes (hex). */
export interface AuditRecord extends Omit<CanonicalFields, 'details'> {
  details: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

/** A record as read back, details parsed. */
export function toAuditRecord(r: StoredAuditRecord): AuditRecord {
  return { ...r, details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>) };
}

/** Records of an open log matching `filter`, in seq order, details parsed, a page at a time. */
export async function* auditRecordPages(log: AuditStorage, filter: RecordFilter = {}): AsyncGenerator<AuditRecord[]> {
  for await (const page of log.recordPages(filter)) yield page.map(toAuditRecord);
}

/** Records of an open log matching `filter`, in seq order, details parsed. */
export async function* auditRecords(log: AuditStorage, filter: RecordFilter = {}): AsyncGenerator<AuditRecord> {
  for await (const page of auditRecordPages(log, filter)) yield* page;
}

/**
 * Records matching `filter`, in seq order, from the SQLite log file at `path`,
 * read synchronously (read-only, closed when iteration ends). Not the port:
 * for the gateway's own start-up and write side, which read their own file
 * synchronously (the key it rotated to), and for tests that read a gateway's
 * file back. Tools and the console read through the port (auditRecords).
 */
export function* readRecords(path: string, filter: RecordFilter = {}): Generator<AuditRecord> {
  const log = new SqliteAuditReader(path);
  try {
    for (const r of log.records(filter)) yield toAuditRecord(r);
  } finally {
    log.close();
  }
}
