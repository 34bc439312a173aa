// How records leave the log for people and tools: JSON lines and CSV with the
// database's column names, and a fixed-width table for a terminal.
import type { AuditRecord } from './read-records.js';
import { translator } from '../../i18n/catalogue.js';
import type { Locale } from '../../i18n/locale.js';
import { padEndW, stringWidth } from '../../i18n/text-width.js';

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

// The heading is said in the reader's language; the values stay as recorded
// (events, verdicts, codes and rules are what an operator greps and filters by).
const TABLE: { key: string; width: number; get: (r: AuditRecord) => string }[] = [
  { key: 'seq', width: 8, get: (r) => String(r.seq) },
  { key: 'time', width: 24, get: (r) => r.time },
  { key: 'event', width: 13, get: (r) => r.event },
  { key: 'transfer', width: 36, get: (r) => r.transferId ?? '-' },
  { key: 'source', width: 20, get: (r) => r.source ?? '-' },
  { key: 'destination', width: 20, get: (r) => r.destination ?? '-' },
  { key: 'verdict', width: 7, get: (r) => r.verdict ?? '-' },
  { key: 'size', width: 12, get: (r) => (r.size === null ? '-' : String(r.size)) },
  { key: 'code', width: 26, get: (r) => (typeof r.details?.code === 'string' ? r.details.code : '-') },
  // Last and never cut: rule ids are how an operator finds the rule in the policy.
  { key: 'rule', width: 0, get: (r) => r.rule ?? '-' },
];

/** Fit to `width` terminal columns (a Chinese character takes two), cutting with an ellipsis. */
function cell(s: string, width: number): string {
  if (width === 0) return s;
  if (stringWidth(s) <= width) return padEndW(s, width);
  let cut = '';
  for (const ch of s) {
    if (stringWidth(cut + ch) > width - 1) break;
    cut += ch;
  }
  return padEndW(cut + '…', width);
}

export function tableHeader(locale: Locale = 'en'): string {
  const t = translator(locale, 'log');
  return TABLE.map((c) => cell(t(`table.${c.key}`), c.width)).join(' ').trimEnd() + '\n';
}

export function tableLine(r: AuditRecord): string {
  return TABLE.map((c) => cell(c.get(r), c.width)).join(' ').trimEnd() + '\n';
}
