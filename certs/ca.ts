// The private certificate authority: one self-signed root per deployment.
// Its key signs every system and gateway certificate (and, later, the CRL).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';
import { decryptPrivateKeyPem, encryptPrivateKeyPem, generateRsaKey } from './keys.js';
import { PUBLIC_MODE, SECRET_MODE, fileExists, writeNewFile } from './secret-file.js';
import { checkCommonName, signCertificate } from './x509-profile.js';

export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';
export const DEFAULT_CA_DAYS = 3650;

export interface InitCaOptions {
  name?: string;
  days?: number;
  /** Encrypts ca.key (PKCS#8, AES-256-CBC); without it the key is plain PEM, mode 0600. */
  passphrase?: string;
}

export interface LoadedCa {
  dir: string;
  cert: forge.pki.Certificate;
  certPem: string;
  /** Decrypted, in memory only. */
  keyPem: string;
}

export async function initCa(dir: string, opts: InitCaOptions = {}): Promise<{ certPath: string; keyPath: string }> {
  const name = opts.name ?? 'Ferry CA';
  checkCommonName(name);
  const certPath = join(dir, CA_CERT_FILE);
  const keyPath = join(dir, CA_KEY_FILE);
  if ((await fileExists(certPath)) || (await fileExists(keyPath))) {
    throw new Error(`A CA already exists in ${dir}; it is never overwritten. Use another directory.`);
  }
  // 0700: the directory holds the CA key.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = await generateRsaKey();
  const { pem } = signCertificate({
    subjectCn: name,
    publicKeyPem: key.publicKeyPem,
    days: opts.days ?? DEFAULT_CA_DAYS,
    signingKeyPem: key.privateKeyPem,
    extensions: [
      // pathLen 0: this CA signs end-entity certificates only (RFC 5280 4.2.1.9).
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  const keyOut = opts.passphrase !== undefined ? encryptPrivateKeyPem(key.privateKeyPem, opts.passphrase) : key.privateKeyPem;
  // Key first: if writing it fails, no CA certificate without a key is left behind.
  await writeNewFile(keyPath, keyOut, SECRET_MODE);
  await writeNewFile(certPath, pem, PUBLIC_MODE);
  return { certPath, keyPath };
}

export async function loadCa(dir: string, passphrase?: string): Promise<LoadedCa> {
  const certPath = join(dir, CA_CERT_FILE);
  const keyPath = join(dir, CA_KEY_FILE);
  let certPem: string;
  let keyFile: string;
  try {
    [certPem, keyFile] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  } catch {
    throw new Error(`No CA in ${dir} (${CA_CERT_FILE} and ${CA_KEY_FILE} are needed); create one with: ferry certs init --dir ${dir}`);
  }
  const keyPem = decryptPrivateKeyPem(keyFile, passphrase, `CA key ${keyPath}`);
  const cert = forge.pki.certificateFromPem(certPem);
  // A key that does not belong to the certificate would sign certificates nobody can verify.
  if (!new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem))) {
    throw new Error(`The CA key ${keyPath} does not belong to the certificate ${certPath}.`);
  }
  return { dir, cert, certPem, keyPem };
}
