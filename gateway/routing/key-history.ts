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

/** A hand-on checked: the new key it names, parsed. */
export interface CheckedHandOn {
  vkey: string;
  key: KeyObject;
  handOn: HandOn;
}

/** The hand-ons a key-history header carries for `origin`, or [] when it is missing, malformed, too long or another gateway's. */
export function handOnsIn(header: unknown, origin: string): HandOn[] {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_HEADER_CHARS) return [];
  let list: unknown;
  try {
    list = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.slice(0, MAX_HAND_ONS).map((h) => handOnOf(JSON.stringify(h))).filter((h): h is HandOn => h !== null && h.origin === origin);
}

/** The hand-on's new key if both signatures hold and it is named for `origin` (not another gateway's key); else null. */
export function checkHandOn(h: HandOn, origin: string): CheckedHandOn | null {
  try {
    const from = parseVkey(h.old_key);
    const next = checkRotation(h, origin, [from]).next;
    if (next.keyName !== origin) return null;
    return { vkey: h.new_key, key: next.publicKey, handOn: h };
  } catch {
    return null;
  }
}

/**
 * The keys reached from `trusted` through `handOns` (each already checked), link by link, in the order they are
 * reached. A key hands on once: the first successor of a key stands, and a second one (a fork: what a leaked
 * retired key would make) is not followed but given to `fork`, as is every successor of a key that names two in
 * the hand-ons given. `handedOn`: keys that handed on already (the raw public key, base64), with their successor.
 */
export function followHandOns(handOns: readonly CheckedHandOn[], trusted: readonly KeyObject[], handedOn: ReadonlyMap<string, string> = new Map(), fork: (h: HandOn) => void = () => {}): CheckedHandOn[] {
  const raw = (k: KeyObject): string => k.export({ format: 'der', type: 'spki' }).toString('base64');
  const successors = new Map<string, Set<string>>();
  for (const h of handOns) {
    const from = raw(parseVkey(h.handOn.old_key).publicKey);
    const set = successors.get(from) ?? new Set<string>();
    set.add(raw(h.key));
    successors.set(from, set);
  }
  const known = new Set(trusted.map(raw));
  const found: CheckedHandOn[] = [];
  // Hand-ons may come in any order: go round until a round adds nothing (at most one round a hand-on).
  for (let added = true; added;) {
    added = false;
    for (const h of handOns) {
      const from = raw(parseVkey(h.handOn.old_key).publicKey);
      const to = raw(h.key);
      if (!known.has(from) || known.has(to)) continue;
      const before = handedOn.get(from);
      if ((before !== undefined && before !== to) || successors.get(from)!.size > 1) {
        fork(h.handOn);
        continue;
      }
      known.add(to);
      found.push(h);
      added = true;
    }
  }
  return found;
}

/**
 * The keys a peer named `origin` handed on to from the keys trusted for it, each hand-on checked: the new keys
 * in the order they are reached. Nothing for a header that is missing, malformed, too long, another gateway's,
 * or whose hand-ons start from no trusted key; a fork is not followed.
 */
export function followKeyHistory(header: unknown, origin: string, trusted: readonly KeyObject[]): CheckedHandOn[] {
  const checked = handOnsIn(header, origin).map((h) => checkHandOn(h, origin)).filter((h): h is CheckedHandOn => h !== null);
  return followHandOns(checked, trusted);
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
