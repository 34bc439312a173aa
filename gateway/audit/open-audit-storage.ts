// Which backend holds the audit log a location names: today every log is an
// SQLite file (audit/sqlite/). A later backend is chosen here, and nowhere else.
import type { AuditStorage } from './audit-storage.js';
import { AuditDbError } from './sqlite/open-audit-db.js';
import { SqliteAuditStorage } from './sqlite/sqlite-audit-storage.js';

export { AuditDbError };

/** The audit log at `location`, read-only; one that is not an audit log is refused with an AuditDbError in words. */
export async function openAuditStorage(location: string): Promise<AuditStorage> {
  return new SqliteAuditStorage(location);
}

/** Whether `location` holds an audit log (without saying why not). */
export async function isAuditLog(location: string): Promise<boolean> {
  try {
    await (await openAuditStorage(location)).close();
    return true;
  } catch (err) {
    if (err instanceof AuditDbError) return false;
    throw err;
  }
}
