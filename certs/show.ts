// What `ferry certs show` prints: the facts an operator checks before
// trusting a certificate, read with Node's X509 parser (OpenSSL), not forge.
import { X509Certificate } from 'node:crypto';
import { principalFromCertificate } from './identity.js';
import { normalizeSerial } from './x509-profile.js';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** The ferry:// identity, or null when the certificate has no valid one. */
  identity: string | null;
  kind: 'system' | 'gateway' | 'ca' | 'none';
  subjectAltName: string | null;
  extKeyUsage: string[];
  notBefore: string;
  notAfter: string;
  expired: boolean;
  serial: string;
  sha256: string;
}

const EKU_NAMES: Record<string, string> = { '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth' };

export function describeCertificate(pem: string | Buffer, now: Date = new Date()): CertificateSummary {
  let x: X509Certificate;
  try {
    x = new X509Certificate(pem);
  } catch {
    throw new Error('This is not a PEM or DER X.509 certificate.');
  }
  const principal = principalFromCertificate(x);
  const notAfter = new Date(x.validTo);
  return {
    subject: x.subject.replace(/\n/g, ', '),
    issuer: x.issuer.replace(/\n/g, ', '),
    identity: principal?.uri ?? null,
    kind: x.ca ? 'ca' : principal?.kind ?? 'none',
    subjectAltName: x.subjectAltName ?? null,
    extKeyUsage: (x.keyUsage ?? []).map((o) => EKU_NAMES[o] ?? o),
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    expired: notAfter.getTime() < now.getTime(),
    serial: normalizeSerial(x.serialNumber),
    sha256: x.fingerprint256,
  };
}

export function formatSummary(s: CertificateSummary): string {
  const rows: Array<[string, string]> = [
    ['subject', s.subject],
    ['issuer', s.issuer],
    ['identity', s.identity ?? (s.kind === 'ca' ? '(certificate authority)' : '(none: no valid ferry:// URI SAN)')],
    ['kind', s.kind],
    ['alt names', s.subjectAltName ?? '(none)'],
    ['key usage', s.extKeyUsage.join(', ') || '(any)'],
    ['valid from', s.notBefore],
    ['valid to', `${s.notAfter}${s.expired ? '  (EXPIRED)' : ''}`],
    ['serial', s.serial],
    ['sha256', s.sha256],
  ];
  return rows.map(([k, v]) => `${k.padEnd(10)}  ${v}`).join('\n');
}
