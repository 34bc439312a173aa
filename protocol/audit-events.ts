// The audit vocabulary: every event name the log may hold, defined once.

// 'handed-out' (audit schema 4): content left this gateway towards its destination system, before any
// acknowledgement: a pull download, a message sent to a subscriber (docs/audit-log.md, "Content handed out").
// 'accepted' (audit schema 3) is the one record of an accepted transfer after 'received': what 'decided'
// (twice), 'inspected' and 'queued' held before it. Those stay for refusals and in logs written before.
export const TRANSFER_EVENTS = ['received', 'decided', 'inspected', 'accepted', 'queued', 'forwarded', 'handed-out', 'delivered', 'denied', 'failed', 'expired'] as const;
export const GATEWAY_EVENTS = ['started', 'stopped', 'policy-loaded', 'key-rotated', 'peer-key-learned', 'admin-action', 'segment-started', 'segments-pruned'] as const;
export const AUDIT_EVENTS = [...TRANSFER_EVENTS, ...GATEWAY_EVENTS] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/** What a caller hands to the log; seq, time and hashes are the log's to assign. */
export interface AuditEntry {
  event: AuditEvent;
  transferId?: string | null;
  /** ferry://<network>/<system> or ferry://gateway/<name> */
  principal?: string | null;
  /** <network>/<system> */
  source?: string | null;
  destination?: string | null;
  size?: number | null;
  /** hex SHA-256 of the content */
  sha256?: string | null;
  verdict?: 'allow' | 'deny' | null;
  rule?: string | null;
  policyHash?: string | null;
  /** JSON-serialisable; never raw personal data or key material. */
  details?: Record<string, unknown> | null;
}
