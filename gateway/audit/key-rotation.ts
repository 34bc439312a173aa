// The `key-rotated` record: how a gateway hands its audit signing key on. The
// record's details hold the old and the new verifier keys and two Ed25519
// signatures over one statement naming both: one by the old key (the key that
// was trusted says "this is my successor") and one by the new key (the
// successor holds its private key). `ferry log verify`, given only the first
// key, follows the chain: checkpoints up to the rotation record verify with
// the old key, checkpoints after it with the new one only (a leaked old key
// cannot sign a later checkpoint), and a rotation not signed by the key in
// force is a failure at that record.
import { sign, verify, type KeyObject } from 'node:crypto';
import { encodeVkey, parseVkey, type NoteVerifier } from './signed-note.js';

const CONTEXT = 'ferry audit key rotation v1';

export interface KeyRotatedDetails {
  origin: string;
  old_key: string;
  new_key: string;
  /** The new X25519 sealing public key (base64), for the record. */
  new_seal_public: string;
  old_signature: string;
  new_signature: string;
}

export function rotationStatement(origin: string, oldVkey: string, newVkey: string): Buffer {
  return Buffer.from(`${CONTEXT}\n${origin}\nold ${oldVkey}\nnew ${newVkey}\n`, 'utf8');
}

export function makeRotationDetails(origin: string, keyName: string, oldKey: KeyObject, newKey: KeyObject, newSealPublic: Buffer): KeyRotatedDetails {
  const oldVkey = encodeVkey(keyName, oldKey);
  const newVkey = encodeVkey(keyName, newKey);
  const statement = rotationStatement(origin, oldVkey, newVkey);
  return {
    origin, old_key: oldVkey, new_key: newVkey, new_seal_public: newSealPublic.toString('base64'),
    old_signature: sign(null, statement, oldKey).toString('base64'),
    new_signature: sign(null, statement, newKey).toString('base64'),
  };
}

/**
 * Checks a rotation record against the keys in force; returns the old key's
 * verifier (retired) and the new one. Throws a sentence when it does not hold.
 */
export function checkRotation(details: unknown, origin: string | undefined, inForce: NoteVerifier[]): { retired: NoteVerifier; next: NoteVerifier } {
  const d = details as Partial<KeyRotatedDetails> | null;
  if (!d || typeof d.old_key !== 'string' || typeof d.new_key !== 'string' || typeof d.old_signature !== 'string' || typeof d.new_signature !== 'string' || typeof d.origin !== 'string') {
    throw new Error('the key-rotated record does not carry both keys and both signatures');
  }
  if (origin !== undefined && d.origin !== origin) throw new Error(`the key-rotated record is for ${JSON.stringify(d.origin)}, not this log`);
  const retired = parseVkey(d.old_key);
  const next = parseVkey(d.new_key);
  if (!inForce.some((v) => v.keyName === retired.keyName && v.keyId.equals(retired.keyId))) {
    throw new Error(`the key-rotated record hands on from key ${retired.keyId.toString('hex')}, which is not the key in force`);
  }
  const statement = rotationStatement(d.origin, d.old_key, d.new_key);
  if (!verify(null, statement, retired.publicKey, Buffer.from(d.old_signature, 'base64'))) throw new Error('the old key\'s signature on the key rotation does not verify');
  if (!verify(null, statement, next.publicKey, Buffer.from(d.new_signature, 'base64'))) throw new Error('the new key\'s signature on the key rotation does not verify');
  return { retired, next };
}
