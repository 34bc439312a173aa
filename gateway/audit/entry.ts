// Checking and normalising what a caller hands to append(): every field
// present (null when absent), details as its RFC 8785 text.
import { AuditError } from './audit-error.js';
import { canonicalJson, isAuditEvent, type CanonicalFields } from './canonical.js';
import type { AuditEntry } from '../../protocol/audit-events.js';

/** A record's fields before the log gives it a seq and a time. */
export type PreparedEntry = Omit<CanonicalFields, 'seq' | 'time'>;

/** Bounded so that one record can never take the writer's memory. */
export const MAX_DETAILS_BYTES = 1 << 20;

// Lone surrogates would not survive UTF-8 storage, and control characters have
// no place in these short fields; either would make the record unverifiable.
const BAD_TEXT = /[\u0000-\u001f\u007f]|\p{Surrogate}/u;

function text(name: string, v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || BAD_TEXT.test(v)) throw new AuditError('AUDIT_ENTRY_INVALID', `${name} must be a string without control characters.`);
  return v;
}

export function prepareEntry(e: AuditEntry): PreparedEntry {
  if (typeof e !== 'object' || e === null || !isAuditEvent(String(e.event))) {
    throw new AuditError('AUDIT_ENTRY_INVALID', `Unknown event ${JSON.stringify((e as AuditEntry | null)?.event)}.`);
  }
  const size = e.size ?? null;
  if (size !== null && !(Number.isSafeInteger(size) && size >= 0)) throw new AuditError('AUDIT_ENTRY_INVALID', 'size must be a non-negative integer.');
  const verdict = e.verdict ?? null;
  if (verdict !== null && verdict !== 'allow' && verdict !== 'deny') throw new AuditError('AUDIT_ENTRY_INVALID', 'verdict must be allow or deny.');
  let details: string | null = null;
  if (e.details !== undefined && e.details !== null) {
    if (typeof e.details !== 'object' || Array.isArray(e.details)) throw new AuditError('AUDIT_ENTRY_INVALID', 'details must be a JSON object.');
    try {
      details = canonicalJson(e.details);
    } catch (err) {
      throw new AuditError('AUDIT_ENTRY_INVALID', `details are not JSON: ${(err as Error).message}.`);
    }
    if (Buffer.byteLength(details) > MAX_DETAILS_BYTES) throw new AuditError('AUDIT_ENTRY_INVALID', `details exceed ${MAX_DETAILS_BYTES} bytes.`);
  }
  return {
    event: e.event,
    transferId: text('transferId', e.transferId),
    principal: text('principal', e.principal),
    source: text('source', e.source),
    destination: text('destination', e.destination),
    size,
    sha256: text('sha256', e.sha256),
    verdict,
    rule: text('rule', e.rule),
    policyHash: text('policyHash', e.policyHash),
    details,
  };
}
