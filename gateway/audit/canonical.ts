// The canonical encoding of an audit record: the bytes that are hashed into
// the chain. docs/audit-log.md specifies it for outside tools; in short it is
// RFC 8785 (JSON Canonicalization Scheme) of one object with thirteen members,
// every member present, null where the caller gave nothing.
import { hash } from 'node:crypto';
import { AUDIT_EVENTS, type AuditEvent } from '../../protocol/audit-events.js';

/** The hashed fields of one record, as stored (details as its canonical JSON text). */
export interface CanonicalFields {
  seq: number;
  time: string;
  transferId: string | null;
  event: string;
  principal: string | null;
  source: string | null;
  destination: string | null;
  size: number | null;
  sha256: string | null;
  verdict: string | null;
  rule: string | null;
  policyHash: string | null;
  /** RFC 8785 text of the details object, or null. */
  details: string | null;
}

export const ZERO_HASH = Buffer.alloc(32);
export const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EVENTS = new Set<string>(AUDIT_EVENTS);

export function isAuditEvent(s: string): s is AuditEvent {
  return EVENTS.has(s);
}

// JSON.stringify escapes only these; most fields need no escaping at all.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const str = (s: string | null): string => (s === null ? 'null' : NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"');

/**
 * RFC 8785 of the record object. Members in UTF-16 code-unit order (RFC 8785
 * §3.2.3), written out by hand because the order is fixed; strings escaped as
 * ECMAScript JSON.stringify does (RFC 8785 §3.2.2.2); integers in decimal.
 */
export function canonicalRecord(f: CanonicalFields): string {
  return (
    '{"destination":' + str(f.destination) +
    ',"details":' + (f.details === null ? 'null' : f.details) +
    ',"event":' + JSON.stringify(f.event) +
    ',"policy_hash":' + str(f.policyHash) +
    ',"principal":' + str(f.principal) +
    ',"rule":' + str(f.rule) +
    ',"seq":' + String(f.seq) +
    ',"sha256":' + str(f.sha256) +
    ',"size":' + (f.size === null ? 'null' : String(f.size)) +
    ',"source":' + str(f.source) +
    ',"time":' + JSON.stringify(f.time) +
    ',"transfer_id":' + str(f.transferId) +
    ',"verdict":' + str(f.verdict) +
    '}'
  );
}

/** hash = SHA-256(prev_hash (32 raw bytes) ‖ UTF-8 canonical encoding). */
export function recordHash(prevHash: Buffer, canonical: string): Buffer {
  // One reused buffer instead of a concat per record: verify hashes millions.
  const need = 32 + canonical.length * 3;
  if (scratch.length < need) scratch = Buffer.allocUnsafe(Math.max(need, scratch.length * 2));
  prevHash.copy(scratch, 0, 0, 32);
  const n = scratch.write(canonical, 32, 'utf8');
  return hash('sha256', scratch.subarray(0, 32 + n), 'buffer');
}
let scratch = Buffer.allocUnsafe(4096);

/**
 * RFC 8785 canonical JSON of any JSON value. Input goes through
 * JSON.stringify/parse first so that toJSON, undefined members and the like
 * behave exactly as they do in JSON, and what is stored parses back equal.
 */
export function canonicalJson(value: unknown): string {
  // Every record's details come here on the event loop: plain objects of
  // strings, numbers and arrays, written out directly (no text to parse back).
  // Anything else takes the JSON.stringify/parse road, so the bytes are the same.
  const direct = plainJcs(value, 0);
  // SKIP at the top (undefined, a function): not JSON, said by the general road.
  if (direct !== undefined && direct !== SKIP) return direct;
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('value is not JSON-serialisable');
  return jcs(JSON.parse(text));
}

/** Past this depth the general road decides (and names a cycle as JSON.stringify does). */
const PLAIN_DEPTH = 64;
/** An object member or array element JSON.stringify leaves out (object) or writes as null (array). */
const SKIP = '';

/**
 * RFC 8785 of a value made only of plain objects, arrays, strings, finite
 * numbers, booleans and null, as JSON.stringify then jcs() would write it; or
 * undefined when the value holds anything else (a toJSON, a class instance,
 * a non-finite number, a bigint, a depth past PLAIN_DEPTH), for the general road.
 * Undefined, functions and symbols as members are left out, as JSON does.
 */
function plainJcs(v: unknown, depth: number): string | undefined {
  switch (typeof v) {
    case 'string':
      return str(v);
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : undefined;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return SKIP;
    case 'object':
      break;
    default:
      return undefined;
  }
  if (v === null) return 'null';
  if (depth >= PLAIN_DEPTH) return undefined;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return undefined;
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const x = plainJcs(v[i], depth + 1);
      if (x === undefined) return undefined;
      out += (i ? ',' : '') + (x === SKIP ? 'null' : x);
    }
    return out + ']';
  }
  const proto = Object.getPrototypeOf(v);
  if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return undefined;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (!isSorted(keys)) keys.sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const x = plainJcs(o[k], depth + 1);
    if (x === undefined) return undefined;
    if (x === SKIP) continue;
    out += (first ? '' : ',') + str(k) + ':' + x;
    first = false;
  }
  return out + '}';
}

/** RFC 8785 of a value that came from JSON.parse (no toJSON, no undefined). */
export function jcs(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'string') return str(v);
    if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError('non-finite number');
    return JSON.stringify(v);
  }
  // Plain loops: verify runs this for every record.
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + jcs(v[i]);
    return out + ']';
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks.
  if (!isSorted(keys)) keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += (i ? ',' : '') + str(keys[i]!) + ':' + jcs(o[keys[i]!]);
  return out + '}';
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}
