import { sign, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';

// Ed25519 signatures for receipts, two for every transfer (accepted, delivered).
// libsodium's crypto_sign_detached takes about half the CPU of node:crypto's
// one-shot sign for the same key (28 against 54 µs on the project's machine,
// bench:transfer-cpu), and Ed25519 is deterministic (RFC 8032 §5.1.6), so the
// signature is the same bytes either way. sodium-native is optional: without it,
// node:crypto signs.

interface SodiumSign {
  crypto_sign_seed_keypair(pk: Buffer, sk: Buffer, seed: Buffer): void;
  crypto_sign_detached(sig: Buffer, m: Uint8Array, sk: Buffer): void;
}

const require = createRequire(import.meta.url);
let sodium: SodiumSign | null | undefined;

function loadSodium(): SodiumSign | null {
  if (sodium === undefined) {
    try {
      sodium = require('sodium-native') as SodiumSign;
    } catch {
      sodium = null; // absent, or no prebuild for this platform
    }
  }
  return sodium;
}

/** libsodium's 64-byte secret key (seed ‖ public key) of each signing key, derived once; held only in memory, never logged. */
const secretKeys = new WeakMap<KeyObject, Buffer>();

function sodiumKey(key: KeyObject, sn: SodiumSign): Buffer | null {
  let sk = secretKeys.get(key);
  if (!sk) {
    if (key.asymmetricKeyType !== 'ed25519') return null;
    const d = key.export({ format: 'jwk' }).d;
    if (!d) return null;
    const seed = Buffer.from(d, 'base64url');
    sk = Buffer.alloc(64);
    sn.crypto_sign_seed_keypair(Buffer.alloc(32), sk, seed);
    seed.fill(0);
    secretKeys.set(key, sk);
  }
  return sk;
}

/** The Ed25519 signature of `data` by the private `key`. */
export function ed25519Sign(data: Uint8Array, key: KeyObject): Buffer {
  const sn = loadSodium();
  const sk = sn ? sodiumKey(key, sn) : null;
  if (!sn || !sk) return sign(null, data, key);
  const sig = Buffer.alloc(64);
  sn.crypto_sign_detached(sig, data, sk);
  return sig;
}
