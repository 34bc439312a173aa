// A gateway's long-lived keys: Ed25519 to sign receipts and audit checkpoints
// (RFC 8032), X25519 to receive the per-transfer spool keys through
// crypto_box_seal (RFC 7748 keys; libsodium uses them raw, 32 bytes each).
//
// Files in `dir` (created 0700):
//   signing.key      Ed25519 private key, PKCS#8 PEM, 0600
//   signing.pub      Ed25519 public key, SPKI PEM, 0644
//   signing.pub.raw  the same public key, raw 32 bytes, 0644
//   seal.key         X25519 private key, raw 32 bytes, 0600
//   seal.pub         X25519 public key, raw 32 bytes, 0644
//   name             the gateway name the keys belong to
// The private files are the truth: public files are derived from them and
// rewritten when missing, so a crash between two writes never leaves a
// mismatched pair. Key material is never logged or put in an error message,
// and the secret members of GatewayKeys are non-enumerable (see hideSecrets).
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, readdir, link, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir } from '../durability/fsync-dir.js';
import { writeFileDurably, writeTempBeside } from './durable-write.js';

export interface GatewayKeys {
  name: string;
  signingKey: KeyObject;
  signingPublicKey: KeyObject;
  /** The Ed25519 public key, raw 32 bytes (RFC 8032 encoding). */
  signingPublicRaw: Buffer;
  /** X25519 public key for crypto_box_seal, raw 32 bytes. */
  sealPublicKey: Buffer;
  /** X25519 secret key for crypto_box_seal_open, raw 32 bytes. */
  sealSecretKey: Buffer;
  /** Sealing keys retired by `ferry keys rotate` (keys/retired/<id>/seal.key), kept to open older spool files. */
  retiredSeal: Array<{ publicKey: Buffer; secretKey: Buffer }>;
  /** The public signing keys retired with them (keys/retired/<id>/signing.pub): receipts signed before a rotation still check. */
  retiredSigning: KeyObject[];
}

const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const KEY_FILES = {
  signingKey: 'signing.key',
  signingPub: 'signing.pub',
  signingPubRaw: 'signing.pub.raw',
  sealKey: 'seal.key',
  sealPub: 'seal.pub',
  name: 'name',
} as const;

/**
 * Loads the gateway's keys from `dir`, creating any that do not exist yet.
 * Refuses keys that were made for a gateway of another name.
 */
export async function loadOrCreateGatewayKeys(dir: string, name: string): Promise<GatewayKeys> {
  if (!NAME_RE.test(name)) throw new Error(`Gateway name "${name}" is not a lower-case name of letters, digits, - and _.`);
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const storedName = await createOnce(join(dir, KEY_FILES.name), () => Buffer.from(name + '\n'), 0o644);
  if (storedName.toString('utf8').trim() !== name) {
    throw new Error(`The keys in ${dir} belong to gateway "${storedName.toString('utf8').trim()}", not "${name}".`);
  }

  const signingPem = await createOnce(join(dir, KEY_FILES.signingKey), () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    return Buffer.from(privateKey.export({ format: 'pem', type: 'pkcs8' }));
  }, 0o600);
  await checkPrivateMode(join(dir, KEY_FILES.signingKey));
  const signingKey = createPrivateKey(signingPem);
  if (signingKey.asymmetricKeyType !== 'ed25519') throw new Error(`${join(dir, KEY_FILES.signingKey)} is not an Ed25519 key.`);
  const signingPublicKey = createPublicKey(signingKey);
  const signingPublicRaw = rawFromJwk(signingPublicKey.export({ format: 'jwk' }).x);

  const sealSecretKey = await createOnce(join(dir, KEY_FILES.sealKey), () => {
    const { privateKey } = generateKeyPairSync('x25519');
    return rawFromJwk(privateKey.export({ format: 'jwk' }).d);
  }, 0o600);
  await checkPrivateMode(join(dir, KEY_FILES.sealKey));
  if (sealSecretKey.length !== 32) throw new Error(`${join(dir, KEY_FILES.sealKey)} is not a raw 32-byte X25519 key.`);
  const sealPublicKey = x25519Public(sealSecretKey);

  await ensurePublic(join(dir, KEY_FILES.signingPub), Buffer.from(signingPublicKey.export({ format: 'pem', type: 'spki' })));
  await ensurePublic(join(dir, KEY_FILES.signingPubRaw), signingPublicRaw);
  await ensurePublic(join(dir, KEY_FILES.sealPub), sealPublicKey);

  const { retiredSeal, retiredSigning } = await loadRetired(join(dir, RETIRED_DIR));
  return hideSecrets({ name, signingKey, signingPublicKey, signingPublicRaw, sealPublicKey, sealSecretKey, retiredSeal, retiredSigning });
}

/** Fresh signing and sealing keys, in memory only. */
export function generateKeyMaterial(): { signingKey: KeyObject; sealSecretKey: Buffer } {
  const { privateKey: signingKey } = generateKeyPairSync('ed25519');
  return { signingKey, sealSecretKey: rawFromJwk(generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' }).d) };
}

/** GatewayKeys for keys already in memory (a rotation on a running gateway), secrets hidden as at load. */
export function gatewayKeysOf(name: string, signingKey: KeyObject, sealSecretKey: Buffer, retiredSeal: GatewayKeys['retiredSeal'], retiredSigning: KeyObject[]): GatewayKeys {
  const signingPublicKey = createPublicKey(signingKey);
  const signingPublicRaw = rawFromJwk(signingPublicKey.export({ format: 'jwk' }).x);
  return hideSecrets({ name, signingKey, signingPublicKey, signingPublicRaw, sealPublicKey: x25519Public(sealSecretKey), sealSecretKey, retiredSeal, retiredSigning });
}

export const RETIRED_DIR = 'retired';

async function loadRetired(dir: string): Promise<Pick<GatewayKeys, 'retiredSeal' | 'retiredSigning'>> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { retiredSeal: [], retiredSigning: [] };
    throw err;
  }
  const out: Array<{ publicKey: Buffer; secretKey: Buffer }> = [];
  const signing: KeyObject[] = [];
  for (const n of names.reverse()) { // newest first: the likeliest owner of a spool file still waiting
    const path = join(dir, n, KEY_FILES.sealKey);
    await checkPrivateMode(path);
    const secretKey = await readFile(path);
    if (secretKey.length !== 32) throw new Error(`${path} is not a raw 32-byte X25519 key.`);
    out.push({ publicKey: x25519Public(secretKey), secretKey });
    const pub = await readFile(join(dir, n, KEY_FILES.signingPub)).catch(() => null);
    if (pub) signing.push(createPublicKey(pub));
  }
  return { retiredSeal: out, retiredSigning: signing };
}

/**
 * Makes the secret members non-enumerable, so that a log line or a JSON dump
 * of an object that holds the keys (a context, say) never carries them; they
 * stay readable by name. (A spread `{ ...keys }` drops them: pass the object.)
 */
function hideSecrets(keys: GatewayKeys): GatewayKeys {
  for (const prop of ['signingKey', 'sealSecretKey', 'retiredSeal'] as const) {
    Object.defineProperty(keys, prop, { value: keys[prop], enumerable: false, writable: false });
  }
  return keys;
}

/** Like OpenSSH: a private key that others can read is not used. */
export async function checkPrivateMode(path: string): Promise<void> {
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    throw new Error(`${path} is readable by others (mode ${(mode & 0o777).toString(8)}); make it 0600 (chmod 600) and start again.`);
  }
}

/** The X25519 public key of a raw secret key (clamping as in RFC 7748 §5). */
export function x25519Public(secret: Buffer): Buffer {
  const key = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: secret.toString('base64url'), x: '' }, format: 'jwk' });
  return rawFromJwk(createPublicKey(key).export({ format: 'jwk' }).x);
}

function rawFromJwk(v: string | undefined): Buffer {
  if (!v) throw new Error('Key export gave no raw key.');
  return Buffer.from(v, 'base64url');
}

/**
 * Returns the contents of `path`, creating it first with `make()` if absent.
 * Written to a temporary file opened with its final mode (never chmod'ed
 * later), fsynced, then linked into place: link(2) fails on an existing name,
 * so two processes starting at once never replace each other's key.
 */
async function createOnce(path: string, make: () => Buffer, mode: number): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const data = make();
  const tmp = await writeTempBeside(path, data, mode);
  try {
    await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    await unlink(tmp);
    return readFile(path); // another process made it first: use theirs
  }
  await unlink(tmp);
  await fsyncDir(dirname(path));
  return data;
}

/** Writes a derived public file when it is missing or does not match. */
async function ensurePublic(path: string, data: Buffer): Promise<void> {
  const current = await readFile(path).catch(() => null);
  if (current?.equals(data)) return;
  await writeFileDurably(path, data, 0o644);
}
