// A receipt is worth keeping only if it says what the client knows to be
// true: this transfer, these bytes, this destination. With the gateway's
// public key it is also proof that the gateway said so.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { verifyReceipt } from '../protocol/receipt.js';
import type { Receipt } from './gateway-answers.js';
import { sha256Bytes } from './gateway-answers.js';
import { ClientError, IntegrityError } from './refusal.js';

export interface Expected {
  type: Receipt['type'];
  transfer: string;
  sha256: string;
  size: number;
  destination?: string | undefined;
  /** Ed25519 public key, PEM (the gateway's signing.pub). */
  publicKeyPem?: string | undefined;
}

export function loadVerifyKey(pem: string, path = 'the verify key'): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new ClientError(`${path} is not a PEM public key`, { cause: err });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ClientError(`${path} is a ${key.asymmetricKeyType} key; receipts are signed with Ed25519`);
  return key;
}

/**
 * Throws IntegrityError if the receipt contradicts what we sent or received,
 * or if a key is given and the signature does not verify. Returns whether the
 * signature was verified.
 */
export function checkReceipt(r: Receipt, want: Expected): boolean {
  if (typeof r !== 'object' || r === null) throw new IntegrityError('the gateway sent no receipt');
  const problems: string[] = [];
  if (r.type !== want.type) problems.push(`it is a "${r.type}" receipt, not "${want.type}"`);
  if (r.transfer !== want.transfer) problems.push(`it names transfer ${r.transfer}, not ${want.transfer}`);
  const theirs = sha256Bytes(r.sha256);
  const ours = sha256Bytes(want.sha256);
  if (!theirs || !ours || !theirs.equals(ours)) problems.push(`its SHA-256 ${r.sha256} differs from ours ${want.sha256}`);
  if (r.size !== want.size) problems.push(`its size ${r.size} differs from the ${want.size} bytes counted here`);
  if (want.destination !== undefined && r.destination !== want.destination) problems.push(`its destination ${r.destination} is not ${want.destination}`);
  if (problems.length > 0) throw new IntegrityError(`the gateway's receipt does not match: ${problems.join('; ')}`);
  if (want.publicKeyPem === undefined) return false;
  const key = loadVerifyKey(want.publicKeyPem);
  if (!verifyReceipt(r, key)) throw new IntegrityError(`the receipt's signature does not verify with the given key (key_id ${r.key_id})`);
  return true;
}
