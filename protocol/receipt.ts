// Signed receipts: a gateway's statement that it accepted a transfer, or that
// the destination received it. Ed25519 (RFC 8032) over a context string and
// the canonical JSON of the receipt; docs/receipts.md tells an outsider how to
// check one with nothing but node:crypto.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export interface ReceiptBody {
  type: 'accepted' | 'delivered';
  /** Transfer id (UUIDv7). */
  transfer: string;
  /** SHA-256 of the content, lower-case hex. */
  sha256: string;
  size: number;
  /** ferry://<network>/<system> of the sender. */
  source: string;
  /** <network>/<system> of the destination. */
  destination: string;
  /** RFC 3339 time, UTC. */
  time: string;
  /** ferry://gateway/<name> of the signer. */
  gateway: string;
  /** Who received it (delivered receipts): ferry://<network>/<system>. */
  delivered_to?: string;
}

export interface Receipt extends ReceiptBody {
  /** Hex of the first 4 bytes of SHA-256 of the raw 32-byte public key. */
  key_id: string;
  /** Ed25519 signature, base64. */
  signature: string;
}

/** Domain separation: these bytes can never be mistaken for another signed thing. */
export const RECEIPT_CONTEXT = 'ferry-receipt/v1\n';

/** The exact bytes that are signed: context, then canonical JSON without key_id and signature. */
export function receiptSigningBytes(r: ReceiptBody | Receipt): Buffer {
  const { key_id: _k, signature: _s, ...body } = r as Receipt;
  return Buffer.from(RECEIPT_CONTEXT + canonicalJson(body), 'utf8');
}

export function keyIdOf(rawPublicKey: Buffer): string {
  return createHash('sha256').update(rawPublicKey).digest().subarray(0, 4).toString('hex');
}

/**
 * True only when `r` carries a valid signature by `publicKey` over all its
 * fields and its key_id names that key. Never throws on a malformed receipt.
 */
export function verifyReceipt(r: Receipt, publicKey: KeyObject | Buffer | string): boolean {
  try {
    const key = toPublicKey(publicKey);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    const raw = Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url');
    if (typeof r !== 'object' || r === null || r.key_id !== keyIdOf(raw)) return false;
    if (typeof r.signature !== 'string') return false;
    const sig = Buffer.from(r.signature, 'base64');
    if (sig.length !== 64) return false;
    return verify(null, receiptSigningBytes(r), key, sig);
  } catch {
    return false;
  }
}

function toPublicKey(k: KeyObject | Buffer | string): KeyObject {
  if (typeof k === 'string') return createPublicKey(k);
  if (Buffer.isBuffer(k)) {
    if (k.length !== 32) throw new TypeError('A raw Ed25519 public key is 32 bytes.');
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: k.toString('base64url') }, format: 'jwk' });
  }
  return k.type === 'private' ? createPublicKey(k) : k;
}
