// Reading the audit log: records as values, filtered, in seq order, streamed
// through the audit storage port (audit-storage.ts).
import type { AuditStorage, RecordFilter, StoredAuditRecord } from './audit-storage.js';
import type { CanonicalFields } from './canonical.js';
import { openAuditStorage } from './open-audit-storage.js';

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

/** Records of an open log matching `filter`, in seq order, details parsed. */
export function* auditRecords(log: AuditStorage, filter: RecordFilter = {}): Generator<AuditRecord> {
  for (const r of log.records(filter)) yield toAuditRecord(r);
}

/** Records matching `filter`, in seq order, from the log at `path` (read-only, closed when iteration ends). */
export function* readRecords(path: string, filter: RecordFilter = {}): Generator<AuditRecord> {
  const log = openAuditStorage(path);
  try {
    yield* auditRecords(log, filter);
  } finally {
    log.close();
  }
}
