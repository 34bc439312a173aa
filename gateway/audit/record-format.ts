// How records leave the log for people and tools: JSON lines and CSV with the
// database's column names, and a fixed-width table for a terminal.
import type { AuditRecord } from './read-records.js';

export const COLUMNS = ['seq', 'time', 'transfer_id', 'event', 'principal', 'source', 'destination', 'size', 'sha256', 'verdict', 'rule', 'policy_hash', 'details', 'prev_hash', 'hash'] as const;

export function recordToRow(r: AuditRecord): Record<(typeof COLUMNS)[number], unknown> {
  return {
    seq: r.seq, time: r.time, transfer_id: r.transferId, event: r.event, principal: r.principal, source: r.source,
    destination: r.destination, size: r.size, sha256: r.sha256, verdict: r.verdict, rule: r.rule, policy_hash: r.policyHash,
    details: r.details, prev_hash: r.prevHash, hash: r.hash,
  };
}

export function toJsonLine(r: AuditRecord): string {
  return JSON.stringify(recordToRow(r)) + '\n';
}

export const CSV_HEADER = COLUMNS.join(',') + '\r\n';
/** A UTF-8 byte order mark: spreadsheets on Chinese Windows read a CSV without one as GBK. */
export const CSV_BOM = '\uFEFF';

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double inner quotes. */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function toCsvLine(r: AuditRecord): string {
  const row = recordToRow(r);
  return COLUMNS.map((c) => csvField(row[c])).join(',') + '\r\n';
}

const TABLE: { head: string; width: number; get: (r: AuditRecord) => string }[] = [
  { head: 'SEQ', width: 8, get: (r) => String(r.seq) },
  { head: 'TIME', width: 24, get: (r) => r.time },
  { head: 'EVENT', width: 13, get: (r) => r.event },
  { head: 'TRANSFER', width: 36, get: (r) => r.transferId ?? '-' },
  { head: 'SOURCE', width: 20, get: (r) => r.source ?? '-' },
  { head: 'DESTINATION', width: 20, get: (r) => r.destination ?? '-' },
  { head: 'VERDICT', width: 7, get: (r) => r.verdict ?? '-' },
  { head: 'SIZE', width: 12, get: (r) => (r.size === null ? '-' : String(r.size)) },
  { head: 'CODE', width: 26, get: (r) => (typeof r.details?.code === 'string' ? r.details.code : '-') },
  // Last and never cut: rule ids are how an operator finds the rule in the policy.
  { head: 'RULE', width: 0, get: (r) => r.rule ?? '-' },
];

function cell(s: string, width: number): string {
  if (width === 0) return s;
  return s.length > width ? s.slice(0, width - 1) + '…' : s.padEnd(width);
}

export function tableHeader(): string {
  return TABLE.map((c) => cell(c.head, c.width)).join(' ').trimEnd() + '\n';
}

export function tableLine(r: AuditRecord): string {
  return TABLE.map((c) => cell(c.get(r), c.width)).join(' ').trimEnd() + '\n';
}
