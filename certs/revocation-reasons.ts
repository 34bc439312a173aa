// The reasons an operator may give for a revocation (RFC 5280 §5.3.1), in the
// CLI's spelling, with their CRL reason codes. Kept apart from the CRL encoder
// so the command line can list them without loading the ASN.1 libraries.

export const REVOCATION_REASONS = {
  'unspecified': 0,
  'key-compromise': 1,
  'ca-compromise': 2,
  'affiliation-changed': 3,
  'superseded': 4,
  'cessation-of-operation': 5,
  'certificate-hold': 6,
  'privilege-withdrawn': 9,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;

export function isRevocationReason(s: string): s is RevocationReason {
  return Object.hasOwn(REVOCATION_REASONS, s);
}
