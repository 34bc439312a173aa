// The canonical encoding of an audit record: the bytes that are hashed into
// the chain. docs/audit-log.md specifies it for outside tools; in short it is
// RFC 8785 (JSON Canonicalization Scheme) of one object with thirteen members,
// every member present, null where the caller gave nothing.
import { hash } from 'node:crypto';
import { AUDIT_EVENTS, type AuditEvent } from './events.js';

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

const str = (s: string | null): string => (s === null ? 'null' : JSON.stringify(s));

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
  return hash('sha256', Buffer.concat([prevHash, Buffer.from(canonical, 'utf8')]), 'buffer');
}

/**
 * RFC 8785 canonical JSON of any JSON value. Input goes through
 * JSON.stringify/parse first so that toJSON, undefined members and the like
 * behave exactly as they do in JSON, and what is stored parses back equal.
 */
export function canonicalJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('value is not JSON-serialisable');
  return jcs(JSON.parse(text));
}

function jcs(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError('non-finite number');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return '[' + v.map(jcs).join(',') + ']';
  const o = v as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks.
  const keys = Object.keys(o).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + jcs(o[k])).join(',') + '}';
}
