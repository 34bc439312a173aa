import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAuditLog } from './open-audit-storage.js';
import { parseVkey, type NoteVerifier } from './signed-note.js';

// `ferry log trace --dir D`: the logs a security team collected in one folder,
// as copied from each gateway (a gateway's data directory, or audit databases
// under any names beside the gateways' .vkey files). Every SQLite file in it
// that holds an audit log (as the audit storage says) is traced; other databases (queue.db) are passed
// over; each .vkey file found is a verifier key. Bounded depth, no symlinks
// followed, so a folder cannot make the walk run away.

const MAX_DEPTH = 4;

export interface TraceSources {
  dbs: string[];
  verifiers: NoteVerifier[];
  /** files that looked like keys but did not parse, said to the operator */
  skipped: string[];
}

export async function findAuditLogs(dir: string): Promise<TraceSources> {
  const out: TraceSources = { dbs: [], verifiers: [], skipped: [] };
  await walk(dir, 0, out);
  out.dbs.sort();
  return out;
}

async function walk(dir: string, depth: number, out: TraceSources): Promise<void> {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && depth < MAX_DEPTH) await walk(path, depth + 1, out);
    else if (e.isFile() && e.name.endsWith('.vkey')) {
      try {
        out.verifiers.push(parseVkey(readFileSync(path, 'utf8').trim()));
      } catch {
        out.skipped.push(path);
      }
    } else if (e.isFile() && (await isAuditLog(path))) out.dbs.push(path);
  }
}
