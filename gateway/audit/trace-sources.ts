import { closeSync, openSync, readSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseVkey, type NoteVerifier } from './signed-note.js';

// `ferry log trace --dir D`: the logs a security team collected in one folder,
// as copied from each gateway (a gateway's data directory, or audit databases
// under any names beside the gateways' .vkey files). Every SQLite file in it
// that holds an audit log is traced; other databases (queue.db) are passed
// over; each .vkey file found is a verifier key. Bounded depth, no symlinks
// followed, so a folder cannot make the walk run away.

const MAX_DEPTH = 4;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export interface TraceSources {
  dbs: string[];
  verifiers: NoteVerifier[];
  /** files that looked like keys but did not parse, said to the operator */
  skipped: string[];
}

export function findAuditLogs(dir: string): TraceSources {
  const out: TraceSources = { dbs: [], verifiers: [], skipped: [] };
  walk(dir, 0, out);
  out.dbs.sort();
  return out;
}

function walk(dir: string, depth: number, out: TraceSources): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && depth < MAX_DEPTH) walk(path, depth + 1, out);
    else if (e.isFile() && e.name.endsWith('.vkey')) {
      try {
        out.verifiers.push(parseVkey(readFileSync(path, 'utf8').trim()));
      } catch {
        out.skipped.push(path);
      }
    } else if (e.isFile() && isAuditLog(path)) out.dbs.push(path);
  }
}

/** An SQLite file with the audit log's records table; the header is read first, so other files are never opened as databases. */
function isAuditLog(path: string): boolean {
  if (statSync(path).size < 100) return false;
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(SQLITE_MAGIC)) return false;
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return Boolean(db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'`).get());
  } catch {
    return false;
  } finally {
    db?.close();
  }
}
