// RSA keys for the private PKI. Keys are made by Node's native generator
// (OpenSSL: milliseconds, where forge's pure-JS prime search takes seconds)
// and handed to forge only as PEM, for signing certificates.
import { createPrivateKey, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

export const RSA_BITS = 2048;

/** A fresh RSA key pair as unencrypted PKCS#8 / SPKI PEM. */
export async function generateRsaKey(): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: RSA_BITS,
    publicExponent: 0x10001,
  });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * PKCS#8 "ENCRYPTED PRIVATE KEY" (RFC 5958) under AES-256-CBC with PBES2;
 * OpenSSL, Node and forge all read it back.
 */
export function encryptPrivateKeyPem(pem: string, passphrase: string): string {
  if (passphrase.length === 0) throw new Error('The passphrase is empty; give a non-empty passphrase or none at all.');
  return createPrivateKey(pem)
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
    .toString();
}

export function isEncryptedPem(pem: string): boolean {
  return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
}

/** The key as unencrypted PKCS#8 PEM, decrypting it when a passphrase protects it. */
export function decryptPrivateKeyPem(pem: string, passphrase: string | undefined, what: string): string {
  if (isEncryptedPem(pem) && passphrase === undefined) {
    throw new Error(`The ${what} is encrypted; give its passphrase (--passphrase-env VAR).`);
  }
  try {
    return createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase })
      .export({ type: 'pkcs8', format: 'pem' })
      .toString();
  } catch {
    throw new Error(isEncryptedPem(pem)
      ? `The ${what} could not be decrypted: the passphrase is wrong.`
      : `The ${what} is not a readable PEM private key.`);
  }
}
