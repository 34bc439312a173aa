// X.509 v2 certificate revocation lists (RFC 5280 §5), encoded and read with
// @peculiar/asn1-x509's schemas (node-forge cannot make CRLs) and signed or
// verified with Node's crypto. The issuer name and key identifier are copied
// from the CA certificate's own bytes, so OpenSSL matches the CRL to its CA.
import { X509Certificate, createSign, createVerify } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, AuthorityKeyIdentifier, CRLNumber, CRLReason, CRLReasons, Certificate, CertificateList, Extension,
  KeyIdentifier, RevokedCertificate, SubjectKeyIdentifier, TBSCertList, Time, Version,
  id_ce_authorityKeyIdentifier, id_ce_cRLNumber, id_ce_cRLReasons, id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { normalizeSerial } from './x509-profile.js';
import { REVOCATION_REASONS, isRevocationReason, type RevocationReason } from './revocation-reasons.js';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

export { REVOCATION_REASONS, isRevocationReason, type RevocationReason };

function reasonName(code: number): RevocationReason {
  return (Object.entries(REVOCATION_REASONS).find(([, c]) => c === code)?.[0] ?? 'unspecified') as RevocationReason;
}

export interface CrlEntry { serial: string; revokedAt: Date; reason: RevocationReason }

export interface BuildCrlInput {
  caCertPem: string;
  /** Decrypted CA key (PEM). */
  caKeyPem: string;
  entries: CrlEntry[];
  /** Monotonic CRL number (RFC 5280 §5.2.3). */
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
}

/** RFC 5280 §5.1.2.4: UTCTime through 2049, GeneralizedTime after; whole seconds. */
function timeOf(d: Date): Time {
  const s = new Date(Math.floor(d.getTime() / 1000) * 1000);
  return s.getUTCFullYear() < 2050 ? new Time({ utcTime: s }) : new Time({ generalTime: s });
}

/** A hex serial as the DER INTEGER's content octets: positive, minimal. */
function serialBytes(hex: string): ArrayBuffer {
  let h = normalizeSerial(hex);
  if (!/^[0-9a-f]+$/.test(h)) throw new Error(`${JSON.stringify(hex)} is not a hexadecimal serial number.`);
  if (h.length % 2) h = `0${h}`;
  if (parseInt(h.slice(0, 2), 16) >= 0x80) h = `00${h}`;
  const b = Buffer.from(h, 'hex');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
}

function extension(id: string, value: unknown): Extension {
  return new Extension({ extnID: id, critical: false, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

export function buildCrl(input: BuildCrlInput): string {
  const ca = AsnConvert.parse(new X509Certificate(input.caCertPem).raw, Certificate);
  const ski = ca.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectKeyIdentifier);
  const sigAlg = new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null });
  const revoked = [...input.entries]
    .sort((a, b) => a.revokedAt.getTime() - b.revokedAt.getTime())
    .map((e) => new RevokedCertificate({
      userCertificate: serialBytes(e.serial),
      revocationDate: timeOf(e.revokedAt),
      // §5.3.1: the reasonCode "unspecified" SHOULD be absent rather than written.
      ...(e.reason !== 'unspecified' ? { crlEntryExtensions: [extension(id_ce_cRLReasons, new CRLReason(REVOCATION_REASONS[e.reason]))] } : {}),
    }));
  const crlExtensions = [extension(id_ce_cRLNumber, new CRLNumber(input.number))];
  if (ski) {
    const keyId = AsnConvert.parse(ski.extnValue.buffer, SubjectKeyIdentifier);
    crlExtensions.unshift(extension(id_ce_authorityKeyIdentifier, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(keyId.buffer) })));
  }
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: sigAlg,
    issuer: ca.tbsCertificate.subject,
    thisUpdate: timeOf(input.thisUpdate),
    nextUpdate: timeOf(input.nextUpdate),
    ...(revoked.length ? { revokedCertificates: revoked } : {}),
    crlExtensions,
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = createSign('sha256').update(tbsDer).sign(input.caKeyPem);
  const der = Buffer.from(AsnConvert.serialize(new CertificateList({
    tbsCertList: tbs,
    signatureAlgorithm: sigAlg,
    signature: signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.length),
  })));
  return toPem(der);
}

function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN X509 CRL-----\n${b64}\n-----END X509 CRL-----\n`;
}

export interface ParsedCrl {
  thisUpdate: Date;
  nextUpdate: Date | null;
  number: number | null;
  /** Revoked serials (normalised hex) with their reason and date. */
  entries: Map<string, { reason: RevocationReason; revokedAt: Date }>;
  /** The issuer name, DER: compared with the CA's subject. */
  issuerDer: Buffer;
  tbsDer: Buffer;
  signature: Buffer;
  signatureAlgorithm: string;
}

/** Reads a PEM or DER CRL. Throws a sentence when it is not one. */
export function parseCrl(data: string | Buffer): ParsedCrl {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const m = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(text);
  const der = m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  let list: CertificateList;
  try {
    list = AsnConvert.parse(der, CertificateList);
  } catch {
    throw new Error('the file is not an X.509 CRL (PEM or DER)');
  }
  const tbs = list.tbsCertList;
  if (!list.tbsCertListRaw) throw new Error('the CRL could not be read');
  const entries = new Map<string, { reason: RevocationReason; revokedAt: Date }>();
  for (const r of tbs.revokedCertificates ?? []) {
    const ext = r.crlEntryExtensions?.find((e) => e.extnID === id_ce_cRLReasons);
    const reason = ext ? reasonName(AsnConvert.parse(ext.extnValue.buffer, CRLReason).reason) : 'unspecified';
    entries.set(normalizeSerial(Buffer.from(r.userCertificate).toString('hex')), { reason, revokedAt: r.revocationDate.getTime() });
  }
  const numberExt = tbs.crlExtensions?.find((e) => e.extnID === id_ce_cRLNumber);
  return {
    thisUpdate: tbs.thisUpdate.getTime(),
    nextUpdate: tbs.nextUpdate ? tbs.nextUpdate.getTime() : null,
    number: numberExt ? AsnConvert.parse(numberExt.extnValue.buffer, CRLNumber).value : null,
    entries,
    issuerDer: Buffer.from(AsnConvert.serialize(tbs.issuer)),
    tbsDer: Buffer.from(list.tbsCertListRaw),
    signature: Buffer.from(list.signature),
    signatureAlgorithm: list.signatureAlgorithm.algorithm,
  };
}

/**
 * The CA among `cas` whose subject is the CRL's issuer and whose key signed it,
 * or null. Only sha256WithRSAEncryption is accepted: it is what `ferry certs` signs with.
 */
export function crlSigner(crl: ParsedCrl, cas: X509Certificate[]): X509Certificate | null {
  if (crl.signatureAlgorithm !== SHA256_WITH_RSA) return null;
  for (const ca of cas) {
    const subject = Buffer.from(AsnConvert.serialize(AsnConvert.parse(ca.raw, Certificate).tbsCertificate.subject));
    if (!subject.equals(crl.issuerDer)) continue;
    if (createVerify('sha256').update(crl.tbsDer).verify(ca.publicKey, crl.signature)) return ca;
  }
  return null;
}
