// Opening an audit log file read-only, for the SQLite audit storage. A
// path that is not one (a typo, the data directory itself, the queue's
// database, a CSV export) is said in a sentence with what to give instead,
// never as SQLite's "file is not a database" or "no such table: records".
//
// The file is only ever opened through SQLite, never with a descriptor of our
// own: these readers run inside the gateway too (the console, recovery), and
// closing any descriptor of a file drops every POSIX lock the process holds on
// it (SQLite's "How To Corrupt", 2.2). With the writer's locks gone, another
// process reading the log (`sqlite3 audit.db`) took itself for the last
// connection, checkpointed and deleted the WAL the gateway was still
// appending to (red team, 30 Nov). SQLite's own connections in one process
// share their locks and keep such descriptors open until the last one closes.
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';

const WHERE = "a gateway's audit log is audit.db in its data directory (data_dir in gateway.yaml)";

export class AuditDbError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditDbError';
  }
}

function fileProblem(path: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT': return `${path}: there is no such file; ${WHERE}.`;
    case 'EACCES': case 'EPERM': return `${path}: permission denied; run the command as a user who may read the gateway's data directory.`;
    default: return `${path}: cannot be read (${err.code ?? err.message}).`;
  }
}

/** Why `path` is not an audit log that can be read, or null when it is one. */
function notAnAuditLog(path: string): string | null {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    return fileProblem(path, err as NodeJS.ErrnoException);
  }
  if (st.isDirectory()) return `${path} is a directory, not an audit database; ${WHERE}.`;
  // SQLite takes an empty file for an empty database: say what it would find.
  if (st.size === 0) return `${path} is an empty file, not an audit log (no such table: records); ${WHERE}.`;
  return null;
}

/** SQLite's word for a file that is not a database at all (its header is not SQLite's). */
function notSqlite(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_NOTADB';
}

/** The audit log at `path`, opened read-only; an AuditDbError in words when it is not one. */
export function openAuditDb(path: string): Database.Database {
  const problem = notAnAuditLog(path);
  if (problem) throw new AuditDbError(problem);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    if (notSqlite(err)) throw new AuditDbError(`${path} is not an audit database (it is not an SQLite file at all); ${WHERE}.`, { cause: err });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') throw new AuditDbError(fileProblem(path, Object.assign(new Error(), { code: 'EACCES' })), { cause: err });
    throw new AuditDbError(`${path}: SQLite cannot open it (${(err as Error).message}); check that it is a gateway's audit.db and that it is readable.`, { cause: err });
  }
  try {
    const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name));
    if (!tables.has('records')) {
      const what = tables.has('transfers') ? "it is the gateway's queue database (queue.db)" : 'it holds no audit records table';
      throw new AuditDbError(`${path} is an SQLite database but not an audit log: ${what}; ${WHERE}.`);
    }
  } catch (err) {
    db.close();
    if (err instanceof AuditDbError) throw err;
    if (notSqlite(err)) throw new AuditDbError(`${path} is not an audit database (it is not an SQLite file at all); ${WHERE}.`, { cause: err });
    throw new AuditDbError(`${path}: SQLite cannot read it (${(err as Error).message}); the file may be damaged: run ferry log verify on a copy.`, { cause: err });
  }
  return db;
}
