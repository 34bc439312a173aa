import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../protocol/canonical-json.js';

// One shape for everything gateways say to each other in a header or a field:
// `<base64url(canonical JSON)>.<base64url(Ed25519 signature)>`, the signature
// over a context line then the JSON, so that a signature made for one kind of
// statement (envelope, withdrawal, report) never passes for another.

/** Seal `value` under `context` with `key`. */
export function sealJson(context: string, value: unknown, key: KeyObject): string {
  const json = canonicalJson(value);
  const sig = sign(null, Buffer.from(context + json, 'utf8'), key);
  return `${Buffer.from(json, 'utf8').toString('base64url')}.${sig.toString('base64url')}`;
}

export type Opened = { ok: true; value: unknown } | { ok: false; why: string };

/** The value if `sealed` is well-formed, canonical and signed under `context` by one of `keys`. Never throws. */
export function openJson(context: string, sealed: unknown, keys: KeyObject[], maxChars: number): Opened {
  if (typeof sealed !== 'string' || sealed.length > maxChars) return { ok: false, why: 'is missing, not text or too large' };
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{86})$/.exec(sealed);
  if (!m) return { ok: false, why: 'is not of the form <base64url json>.<base64url signature>' };
  const json = Buffer.from(m[1]!, 'base64url').toString('utf8');
  const signed = Buffer.from(context + json, 'utf8');
  const sig = Buffer.from(m[2]!, 'base64url');
  if (!keys.some((k) => verify(null, signed, k, sig))) return { ok: false, why: 'does not verify with the key held for this peer' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, why: 'is not JSON' };
  }
  // Canonical form only: the bytes signed are the bytes anyone recomputes from the value.
  let again: string;
  try {
    again = canonicalJson(value);
  } catch {
    return { ok: false, why: 'is not in canonical form' };
  }
  if (again !== json) return { ok: false, why: 'is not in canonical form' };
  return { ok: true, value };
}
