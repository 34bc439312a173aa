// Issuing end-entity certificates with a ferry:// identity.
//   system  ferry://<network>/<system>: TLS client (EKU clientAuth); with
//           `server`, also a TLS server (serverAuth, DNS/IP SANs) so that a
//           gateway can push deliveries to it.
//   gateway ferry://gateway/<name>: TLS server AND client (it receives from
//           systems and forwards to the next gateway), with DNS/IP SANs for
//           the addresses it listens on; localhost, 127.0.0.1 and ::1 by default.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { CA_CERT_FILE, CA_KEY_FILE, loadCa, type LoadedCa } from './ca.js';
import type { Principal } from '../protocol/principal.js';
import { parseFerryId } from '../protocol/ferry-id.js';
import { recordIssued } from './issued-registry.js';
import { generateRsaKey } from './keys.js';
import { PUBLIC_MODE, SECRET_MODE, fileExists, writeNewFile } from './secret-file.js';
import { checkCommonName, signCertificate } from './x509-profile.js';

export const DEFAULT_LEAF_DAYS = 397; // the CA/B Forum ceiling for TLS certificates; rotation is expected
export const GATEWAY_DEFAULT_DNS = ['localhost'];
export const GATEWAY_DEFAULT_IPS = ['127.0.0.1', '::1'];

// File names: the name becomes <name>.crt / <name>.key in the CA directory,
// so it must not be a path, hidden, or collide with the CA's own files.
const FILE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const DNS_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export interface IssueOptions {
  /** ferry://<network>/<system> or ferry://gateway/<name>. */
  id: string;
  /** CN and file name. */
  name: string;
  days?: number;
  /** Passphrase of the CA key, when it is encrypted. */
  passphrase?: string;
  /** Extra DNS SANs (gateways only). */
  dns?: string[];
  /** Extra IP SANs (gateways, and systems issued with `server`). */
  ips?: string[];
  /** A system that receives push deliveries: also a TLS server. Gateways always are. */
  server?: boolean;
}

export interface IssuedCertificate {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
  serial: string;
}

export function checkFileName(name: string): void {
  checkCommonName(name);
  const stem = name.toLowerCase();
  if (!FILE_NAME_RE.test(name) || name.endsWith('.') || [CA_CERT_FILE, CA_KEY_FILE, 'ca'].includes(stem)) {
    throw new Error(`The name ${JSON.stringify(name)} cannot name a certificate file: use letters, digits, '.', '-' and '_' (not "ca").`);
  }
}

function dnsAndIpSans(kind: 'system' | 'gateway', server: boolean, dns: string[], ips: string[]): object[] {
  if (kind === 'system' && !server) {
    if (dns.length || ips.length) throw new Error('DNS and IP names are for gateway certificates and server systems (--server); a plain system certificate only identifies a TLS client.');
    return [];
  }
  const out: object[] = [];
  for (const d of new Set([...GATEWAY_DEFAULT_DNS, ...dns.map((x) => x.toLowerCase())])) {
    if (!DNS_RE.test(d)) throw new Error(`${JSON.stringify(d)} is not a DNS name.`);
    out.push({ type: 2, value: d });
  }
  for (const ip of new Set([...GATEWAY_DEFAULT_IPS, ...ips])) {
    if (isIP(ip) === 0) throw new Error(`${JSON.stringify(ip)} is not an IPv4 or IPv6 address.`);
    out.push({ type: 7, ip });
  }
  return out;
}

export async function issueCertificate(dir: string, opts: IssueOptions): Promise<IssuedCertificate> {
  const principal = parseFerryId(opts.id);
  if (!principal) {
    throw new Error(`${JSON.stringify(opts.id)} is not a ferry identity: use ferry://<network>/<system> or ferry://gateway/<name>, lower-case letters, digits, '-' and '_'.`);
  }
  checkFileName(opts.name);
  const certPath = join(dir, `${opts.name}.crt`);
  const keyPath = join(dir, `${opts.name}.key`);
  // Checked before any work so that a refusal leaves no stray key behind;
  // the exclusive create below still guards against a concurrent issuer.
  for (const p of [certPath, keyPath]) {
    if (await fileExists(p)) throw new Error(`${p} already exists; it is never overwritten. Choose another name (e.g. ${opts.name}-2).`);
  }
  const ca = await loadCa(dir, opts.passphrase);
  const signed = await signLeaf(ca, principal, opts);
  await writeNewFile(keyPath, signed.keyPem, SECRET_MODE);
  await writeNewFile(certPath, signed.certPem, PUBLIC_MODE);
  await recordLeaf(dir, principal, opts.name, signed);
  return { certPath, keyPath, certPem: signed.certPem, keyPem: signed.keyPem, serial: signed.serial };
}

export interface SignedLeaf { certPem: string; keyPem: string; serial: string; notBefore: Date; notAfter: Date }

/** A fresh key and a certificate for it under the profile of `principal`'s kind (see the top of this file). */
export async function signLeaf(ca: LoadedCa, principal: Principal, opts: Omit<IssueOptions, 'id' | 'passphrase'>): Promise<SignedLeaf> {
  const kind = principal.kind;
  const server = kind === 'gateway' || opts.server === true;
  const altNames = [{ type: 6, value: principal.uri }, ...dnsAndIpSans(kind, server, opts.dns ?? [], opts.ips ?? [])];
  const key = await generateRsaKey();
  const signed = signCertificate({
    subjectCn: opts.name,
    publicKeyPem: key.publicKeyPem,
    days: opts.days ?? DEFAULT_LEAF_DAYS,
    issuer: ca.cert,
    signingKeyPem: ca.keyPem,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      server ? { name: 'extKeyUsage', serverAuth: true, clientAuth: true } : { name: 'extKeyUsage', clientAuth: true },
      // The subject (CN) is not the identity; the SAN is. Non-critical because the subject is not empty (RFC 5280 4.2.1.6).
      { name: 'subjectAltName', altNames },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
    ],
  });
  return { certPem: signed.pem, keyPem: key.privateKeyPem, serial: signed.serial, notBefore: signed.notBefore, notAfter: signed.notAfter };
}

export async function recordLeaf(dir: string, principal: Principal, name: string, signed: SignedLeaf): Promise<void> {
  await recordIssued(dir, {
    serial: signed.serial,
    id: principal.uri,
    name,
    kind: principal.kind,
    notBefore: signed.notBefore.toISOString(),
    notAfter: signed.notAfter.toISOString(),
    sha256: new X509Certificate(signed.certPem).fingerprint256,
    issuedAt: new Date().toISOString(),
  });
}

