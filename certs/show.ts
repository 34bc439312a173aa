// What `ferry certs show` prints: the facts an operator checks before
// trusting a certificate, read with Node's X509 parser (OpenSSL), not forge.
import { X509Certificate } from 'node:crypto';
import { principalFromCertificate } from './identity.js';
import { normalizeSerial } from './x509-profile.js';
import { translator } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/locale.js';
import { labelled } from '../i18n/text-width.js';

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

export function formatSummary(s: CertificateSummary, locale: Locale = 'en'): string {
  const t = translator(locale, 'certs');
  return labelled([
    [t('label.subject'), s.subject],
    [t('label.issuer'), s.issuer],
    [t('label.identity'), s.identity ?? (s.kind === 'ca' ? t('authority') : t('noIdentity'))],
    [t('label.kind'), s.kind],
    [t('label.altNames'), s.subjectAltName ?? t('none')],
    [t('label.keyUsage'), s.extKeyUsage.join(', ') || t('any')],
    [t('label.validFrom'), s.notBefore],
    [t('label.validTo'), `${s.notAfter}${s.expired ? t('expired') : ''}`],
    [t('label.serial'), s.serial],
    [t('label.sha256'), s.sha256],
  ]);
}
