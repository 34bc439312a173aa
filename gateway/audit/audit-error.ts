// Refusals of the audit log itself. Storage failures that a sender would see
// are FerryError FERRY_STORAGE_UNAVAILABLE (protocol/errors.ts); these codes are
// for callers and operators.
export const AUDIT_ERRORS = {
  AUDIT_ENTRY_INVALID: 'The audit entry is malformed.',
  AUDIT_CLOSED: 'The audit log is closed.',
  AUDIT_BUSY: 'The audit log is being sealed already.',
  AUDIT_ORIGIN_MISMATCH: 'The audit database belongs to another log origin.',
  AUDIT_TAMPERED: 'The audit database does not verify; the gateway will not write to it.',
  AUDIT_CHECKPOINT_INCONSISTENT: 'The new checkpoint would not be consistent with the previous one; it was not signed.',
  AUDIT_NOT_FOUND: 'No such record or checkpoint in the audit log.',
} as const;

export type AuditErrorCode = keyof typeof AUDIT_ERRORS;

export class AuditError extends Error {
  readonly code: AuditErrorCode;
  constructor(code: AuditErrorCode, detail?: string) {
    super(detail ? `${AUDIT_ERRORS[code]} ${detail}` : AUDIT_ERRORS[code]);
    this.name = 'AuditError';
    this.code = code;
  }
}
