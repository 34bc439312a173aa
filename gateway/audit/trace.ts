import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openAuditStorage } from './open-audit-storage.js';
import { auditRecords } from './read-records.js';
import type { AuditRecord } from './read-records.js';
import { parseVkey, type NoteVerifier } from './signed-note.js';
import { verifyLogFile, type VerifyReport } from './verify.js';

// `ferry log trace <id>`: one transfer's timeline across the gateways it
// crossed, joined from each gateway's own audit log. Each log is verified
// first (with the keys given, and the audit.vkey kept beside it in the data
// directory when there is one), so that the timeline rests only on logs that hold.

export interface TracedLog {
  db: string;
  /** ferry://gateway/<name>, from the log's own 'started' record */
  gateway: string | null;
  report: VerifyReport;
  /** the verifier keys the signatures were checked with */
  keys: string[];
}

export interface TraceEvent {
  time: string;
  gateway: string | null;
  db: string;
  record: AuditRecord;
}

export interface Trace {
  logs: TracedLog[];
  events: TraceEvent[];
}

/** The data directory's audit.vkey, next to audit.db (data/keys/audit.vkey). */
function besideKey(db: string): NoteVerifier | null {
  const path = join(dirname(db), 'keys', 'audit.vkey');
  if (!existsSync(path)) return null;
  try {
    return parseVkey(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

export async function traceTransfer(id: string, dbs: string[], verifiers: NoteVerifier[]): Promise<Trace> {
  const logs: TracedLog[] = [];
  const events: TraceEvent[] = [];
  for (const db of dbs) {
    const beside = besideKey(db);
    const keys = beside && !verifiers.some((v) => v.keyId.equals(beside.keyId)) ? [...verifiers, beside] : verifiers;
    const report = await verifyLogFile(db, { verifiers: keys });
    const log = await openAuditStorage(db);
    try {
      let gateway: string | null = null;
      for await (const started of auditRecords(log, { event: 'started', limit: 1 })) gateway = started.principal;
      logs.push({ db, gateway, report, keys: keys.map((k) => k.keyName) });
      for await (const record of auditRecords(log, { transferId: id })) events.push({ time: record.time, gateway, db, record });
    } finally {
      await log.close();
    }
  }
  // One timeline: by time, and within one log by its own order (seq) when times tie.
  events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.db === b.db ? a.record.seq - b.record.seq : 0));
  return { logs, events };
}

function beforeNote(b: unknown): string | null {
  if (typeof b !== 'object' || b === null) return null;
  const o = b as { verdict?: unknown; rule?: unknown };
  return `(before content: ${String(o.verdict)}${typeof o.rule === 'string' ? ` by ${o.rule}` : ''})`;
}

/** One line of the timeline, for a person. */
export function traceLine(e: TraceEvent): string {
  const r = e.record;
  const d = (r.details ?? {}) as Record<string, unknown>;
  const notes = [
    r.verdict ? `${r.verdict}${r.rule ? ` by ${r.rule}` : ''}` : null,
    d.stage ? `(${String(d.stage)})` : null,
    // An accepted record (schema 3): the verdict above is the one after content; the one before it too.
    r.event === 'accepted' ? beforeNote(d.before) : null,
    d.code ? String(d.code) : null,
    d.outcome ? String(d.outcome) : null,
    d.next_hop ? `→ ${String(d.next_hop)}` : null,
    d.via ? `via ${String(d.via)}` : null,
    d.by ? `by ${String(d.by)}` : null,
    d.delivered_to ? `to ${String(d.delivered_to)}` : null,
    d.reason && r.event !== 'decided' ? String(d.reason) : null,
  ].filter(Boolean).join(' ');
  return `${r.time}  ${(e.gateway ?? '?').padEnd(24)}  ${r.event.padEnd(10)}  ${notes}`;
}
