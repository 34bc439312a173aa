import type { KeyObject } from 'node:crypto';
import { checkRotation, type KeyRotatedDetails } from '../audit/key-rotation.js';
import { parseVkey } from '../audit/signed-note.js';

// A gateway's key hand-ons, carried to its peers so that they follow a key
// rotation without their operator (docs/certs.md, "Peers, across a rotation").
// Each is what the `key-rotated` record holds: the old and the new verifier
// keys and two signatures over one statement naming both, one by the old key
// ("this is my successor") and one by the new ("I hold its private key").
// A peer takes a new key only through a hand-on from a key it trusts already,
// both signatures checked (audit/key-rotation.ts checkRotation), so only the
// holder of a trusted private key can name a successor; a leaked old key
// alone cannot, without the peer's connection (mutual TLS) as well.

export const KEY_HISTORY_HEADER = 'ferry-key-history';
/** The latest hand-ons carried: a peer that missed more follows its operator, as before. */
export const MAX_HAND_ONS = 4;
const MAX_HEADER_CHARS = 8192;

export type HandOn = Pick<KeyRotatedDetails, 'origin' | 'old_key' | 'new_key' | 'old_signature' | 'new_signature'>;

/** The header value for the hand-ons (oldest first), or null when there are none. */
export function encodeKeyHistory(handOns: HandOn[]): string | null {
  if (handOns.length === 0) return null;
  const kept = handOns.slice(-MAX_HAND_ONS).map(({ origin, old_key, new_key, old_signature, new_signature }) => ({ origin, old_key, new_key, old_signature, new_signature }));
  return Buffer.from(JSON.stringify(kept), 'utf8').toString('base64url');
}

/** A hand-on from a `key-rotated` record's details (JSON text), or null when it is not one. */
export function handOnOf(details: string | null): HandOn | null {
  if (details === null) return null;
  try {
    const d = JSON.parse(details) as Partial<HandOn>;
    const str = (v: unknown): v is string => typeof v === 'string';
    return str(d.origin) && str(d.old_key) && str(d.new_key) && str(d.old_signature) && str(d.new_signature) ? d as HandOn : null;
  } catch {
    return null;
  }
}

/**
 * The keys a peer named `origin` handed on to from the keys trusted for it, each hand-on checked: the
 * new keys in the order they are reached (a chain of rotations is followed link by link). Nothing for a
 * header that is missing, malformed, too long, another gateway's, or whose hand-ons start from no trusted key.
 */
export function followKeyHistory(header: unknown, origin: string, trusted: readonly KeyObject[]): Array<{ vkey: string; key: KeyObject; handOn: HandOn }> {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_HEADER_CHARS) return [];
  let list: unknown;
  try {
    list = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const handOns = list.slice(0, MAX_HAND_ONS).map((h) => handOnOf(JSON.stringify(h))).filter((h): h is HandOn => h !== null && h.origin === origin);
  const known = [...trusted];
  const found: Array<{ vkey: string; key: KeyObject; handOn: HandOn }> = [];
  // Hand-ons may come in any order: go round until a round adds nothing (at most one round a hand-on).
  for (let added = true; added;) {
    added = false;
    for (const h of handOns) {
      let next: KeyObject;
      try {
        const from = parseVkey(h.old_key);
        if (!known.some((k) => k.equals(from.publicKey))) continue;
        next = checkRotation(h, origin, [from]).next.publicKey;
      } catch {
        continue;
      }
      if (known.some((k) => k.equals(next))) continue;
      known.push(next);
      found.push({ vkey: h.new_key, key: next, handOn: h });
      added = true;
    }
  }
  return found;
}

/**
 * This gateway's own key history as a header value, read from its audit log's `key-rotated` records again
 * only when its signing key changed (a live rotation replaces it): null until it has rotated once.
 */
export function ownKeyHistory(reader: { keyHandOns(limit: number): Array<{ details: string | null }> }): (signingKey: KeyObject) => string | null {
  let at: KeyObject | null = null;
  let value: string | null = null;
  return (signingKey) => {
    if (at !== signingKey) {
      at = signingKey;
      value = encodeKeyHistory(reader.keyHandOns(MAX_HAND_ONS).map((r) => handOnOf(r.details)).filter((h): h is HandOn => h !== null).reverse());
    }
    return value;
  };
}
