// The certificate profile shared by the CA and issuance: serials, validity,
// names, signing. RFC 5280 is the reference for every field here.
import { createSign, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** Clock skew allowance: notBefore is set this far in the past. */
const BACKDATE_MS = 5 * 60 * 1000;

/**
 * A random 128-bit serial as a DER-minimal positive INTEGER in hex (RFC 5280
 * 4.1.2.2: positive, at most 20 octets; CA/B BR 7.1: at least 64 random bits).
 * A 0x00 octet is prepended only when the top bit is set, to keep it positive.
 */
export function randomSerialHex(): string {
  let bytes = randomBytes(16);
  while (bytes[0] === 0) bytes = randomBytes(16); // a leading zero octet would not be minimal DER
  const hex = bytes.toString('hex');
  return bytes[0]! >= 0x80 ? `00${hex}` : hex;
}

/** Serial in the form used by registries and `ferry certs show`: lower-case hex without DER padding. */
export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^(00)+(?=[0-9a-f])/, '');
}

export function validity(days: number): { notBefore: Date; notAfter: Date } {
  if (!Number.isInteger(days) || days < 1 || days > 36500) {
    throw new Error(`Validity must be a whole number of days from 1 to 36500, not ${days}.`);
  }
  const now = Date.now();
  // X.509 times have second precision; drop the milliseconds so the record matches the certificate.
  const notBefore = new Date(Math.floor((now - BACKDATE_MS) / 1000) * 1000);
  const notAfter = new Date(Math.floor((now + days * 86_400_000) / 1000) * 1000);
  return { notBefore, notAfter };
}

export interface SignInput {
  subjectCn: string;
  publicKeyPem: string;
  days: number;
  extensions: object[];
  /** Absent: self-signed with `signingKeyPem`. */
  issuer?: forge.pki.Certificate;
  signingKeyPem: string;
}

export function signCertificate(input: SignInput): { cert: forge.pki.Certificate; pem: string; serial: string; notBefore: Date; notAfter: Date } {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(input.publicKeyPem);
  cert.serialNumber = randomSerialHex();
  const { notBefore, notAfter } = validity(input.days);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const subject = [{ name: 'commonName', value: input.subjectCn }];
  cert.setSubject(subject);
  cert.setIssuer(input.issuer ? input.issuer.subject.attributes : subject);
  cert.setExtensions(input.extensions);
  signNatively(cert, input.signingKeyPem);
  // forge writes CRLF; PEM files here use LF like OpenSSL's (RFC 7468 accepts both).
  return { cert, pem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'), serial: normalizeSerial(cert.serialNumber), notBefore, notAfter };
}

/** Common names are printable and short (RFC 5280 ub-common-name = 64). */
export function checkCommonName(name: string): void {
  if (name.length < 1 || name.length > 64 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new Error(`The name ${JSON.stringify(name)} is not usable: 1 to 64 characters, no control characters.`);
  }
}

/**
 * What forge's `cert.sign(key, sha256)` does, with the RSA operation in
 * OpenSSL: forge's pure-JS modular arithmetic took tens of milliseconds a
 * signature, most of the CPU `ferry init` and every PKI build spent.
 */
function signNatively(cert: forge.pki.Certificate, signingKeyPem: string): void {
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  // getTBSCertificate is forge's own (used by its sign), missing from its types
  const { getTBSCertificate } = forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };
  cert.tbsCertificate = getTBSCertificate(cert);
  const tbsDer = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  cert.signature = createSign('sha256').update(tbsDer).sign(signingKeyPem).toString('binary');
}
