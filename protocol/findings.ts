// The finding vocabulary: what inspectors report. Policies, the audit log,
// `ferry inspect` and the answers to senders all use these names; docs/findings.md
// documents each one.

export const FINDING_KINDS = [
  'type-mismatch',
  'classified-marking',
  'keyword',
  'personal-data',
  'archive-limit',
  'archive-encrypted',
  'archive-broken',
  'malware',
  'av-unavailable',
  'inspection-limit',
  'uninspectable',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export const PERSONAL_DATA_SUBKINDS = ['cn-resident-id', 'cn-mobile', 'bank-card', 'uscc', 'email'] as const;
export type PersonalDataSubkind = (typeof PERSONAL_DATA_SUBKINDS)[number];

export interface Finding {
  kind: FindingKind;
  /** e.g. the personal-data sub-kind, the marking level (绝密/机密/秘密), the limit that was hit. */
  subkind?: string;
  /** Byte offset in the stream (or in the archive member named by `path`) of the first occurrence. */
  offset?: number;
  /** Archive member path, members joined by '!/' as in 'outer.zip!/inner.tar!/a.txt'. */
  path?: string;
  /** How many occurrences this finding stands for. */
  count?: number;
  /** A masked sample, safe to log: raw personal data never appears here. */
  sample?: string;
  /** A sentence for a person. */
  detail?: string;
}

export function isFindingKind(s: string): s is FindingKind {
  return (FINDING_KINDS as readonly string[]).includes(s);
}
