// The gateway's side of receipts: signing with its own key. The format and its
// verification, which clients need too, live in protocol/receipt.ts.
import { sign, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { keyIdOf, receiptSigningBytes, type Receipt, type ReceiptBody } from '../../protocol/receipt.js';
import type { GatewayKeys } from '../keys/gateway-keys.js';
import { gatewayId } from '../../protocol/ferry-id.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

// Ed25519 signatures are deterministic (RFC 8032, 5.1.6): libsodium's
// crypto_sign_detached gives the very bytes node:crypto's sign() gives, in about
// half the CPU (25 against 48 µs here). A message costs two receipts, and they
// were a tenth of the event loop's time in bench:messages (issue #15). Without
// the native addon, node:crypto signs as before (never the slower WebAssembly build).
interface SodiumSign {
  crypto_sign_SECRETKEYBYTES: number;
  crypto_sign_PUBLICKEYBYTES: number;
  crypto_sign_BYTES: number;
  crypto_sign_seed_keypair(pk: Buffer, sk: Buffer, seed: Buffer): void;
  crypto_sign_detached(sig: Buffer, m: Buffer, sk: Buffer): void;
  sodium_malloc(n: number): Buffer;
  sodium_memzero(b: Buffer): void;
}

const sodium: SodiumSign | null = (() => {
  try {
    return createRequire(import.meta.url)('sodium-native') as SodiumSign;
  } catch {
    return null;
  }
})();

/** Per signing key: libsodium's form of it (in guarded memory), and its key id; a rotated key gets its own. */
const prepared = new WeakMap<KeyObject, { sk: Buffer | null; keyId: string }>();

function preparedKey(keys: GatewayKeys): { sk: Buffer | null; keyId: string } {
  let p = prepared.get(keys.signingKey);
  if (p) return p;
  let sk: Buffer | null = null;
  if (sodium) {
    const seed = Buffer.from(keys.signingKey.export({ format: 'jwk' }).d ?? '', 'base64url');
    const pk = Buffer.alloc(sodium.crypto_sign_PUBLICKEYBYTES);
    sk = sodium.sodium_malloc(sodium.crypto_sign_SECRETKEYBYTES);
    sodium.crypto_sign_seed_keypair(pk, sk, seed);
    sodium.sodium_memzero(seed);
    // A key that is not the one whose public half the gateway publishes is not used this way.
    if (!pk.equals(keys.signingPublicRaw)) sk = null;
  }
  p = { sk, keyId: keyIdOf(keys.signingPublicRaw) };
  prepared.set(keys.signingKey, p);
  return p;
}

export function signReceipt(body: ReceiptBody, keys: GatewayKeys): Receipt {
  if (body.type !== 'accepted' && body.type !== 'delivered') throw new TypeError(`Unknown receipt type ${String(body.type)}.`);
  if (!SHA256_HEX.test(body.sha256)) throw new TypeError('Receipt sha256 must be 64 lower-case hex digits.');
  if (!Number.isSafeInteger(body.size) || body.size < 0) throw new TypeError('Receipt size must be a non-negative integer.');
  if (body.gateway !== gatewayId(keys.name)) {
    throw new TypeError(`Receipt names gateway ${body.gateway} but is signed by ${gatewayId(keys.name)}.`);
  }
  // Only the declared fields are signed; a caller's stray property is not smuggled in.
  const clean: ReceiptBody = {
    type: body.type, transfer: body.transfer, sha256: body.sha256, size: body.size,
    source: body.source, destination: body.destination, time: body.time, gateway: body.gateway,
    ...(body.delivered_to !== undefined ? { delivered_to: body.delivered_to } : {}),
  };
  const key = preparedKey(keys);
  const bytes = receiptSigningBytes(clean);
  let sig: Buffer;
  if (key.sk) {
    sig = Buffer.allocUnsafe(sodium!.crypto_sign_BYTES);
    sodium!.crypto_sign_detached(sig, bytes, key.sk);
  } else sig = sign(null, bytes, keys.signingKey);
  return { ...clean, key_id: key.keyId, signature: sig.toString('base64') };
}
