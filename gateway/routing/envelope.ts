import type { KeyObject } from 'node:crypto';
import { FerryError } from '../../protocol/errors.js';
import { UUID_RE } from '../../protocol/ids.js';
import { openJson, sealJson } from './signed-json.js';
import type { Receipt } from '../../protocol/receipt.js';
import { LABELS, NAME_RE, parseAddress, type Label, type TransferKind } from '../../protocol/transfer.js';
import { gatewayId } from '../../protocol/ferry-id.js';
import { channelNameFault } from './channel-name.js';

// What an upstream gateway says about a transfer it hands on: the original
// source, label, names, the path so far and its own accepted receipt. Nothing
// of it travels as a trusted plain header: it is canonical JSON signed with
// the upstream's Ed25519 key (the one its audit.vkey publishes), sent in one
// header `ferry-envelope: <base64url(json)>.<base64url(signature)>`, and bound
// to the body by its sha256 and size, checked after the one pass.

export const ENVELOPE_HEADER = 'ferry-envelope';
/** Domain separation: an envelope signature can never pass for a receipt or a checkpoint. */
export const ENVELOPE_CONTEXT = 'ferry-envelope/v1\n';
/** An envelope larger than this is not read (it holds one receipt and a short path). */
const MAX_ENVELOPE_CHARS = 12 * 1024;

export interface Envelope {
  v: 1;
  transfer: string;
  kind: TransferKind;
  channel?: string;
  /** <network>/<system> of the original sender */
  source: string;
  destination: string;
  label: Label;
  filename?: string;
  content_type?: string;
  sha256: string;
  size: number;
  /** gateway names the transfer has passed through, the signer last */
  path: string[];
  /** ferry://gateway/<signer> */
  gateway: string;
  /** the signer's accepted receipt */
  receipt: Receipt;
  time: string;
}

export function sealEnvelope(e: Envelope, key: KeyObject): string {
  return sealJson(ENVELOPE_CONTEXT, e, key);
}

/** The envelope if `header` is well-formed and signed by `key` (or one of the keys, during a peer's key rotation); FERRY_ENVELOPE_INVALID otherwise. */
export function openEnvelope(header: string | string[] | undefined, key: KeyObject | KeyObject[]): Envelope {
  const bad = (why: string) => new FerryError('FERRY_ENVELOPE_INVALID', `The signed envelope ${why}.`);
  if (header === undefined) throw bad('is missing (header ferry-envelope)');
  if (Array.isArray(header)) throw bad('was sent more than once');
  const o = openJson(ENVELOPE_CONTEXT, header, Array.isArray(key) ? key : [key], MAX_ENVELOPE_CHARS);
  if (!o.ok) throw bad(o.why);
  const e = o.value as Envelope;
  // Signed, so written by the peer: still checked, since the peer's words become facts and rows here.
  const str = (v: unknown) => typeof v === 'string';
  const ok = e && e.v === 1 && str(e.transfer) && UUID_RE.test(e.transfer) && (e.kind === 'file' || e.kind === 'message')
    && str(e.source) && parseAddress(e.source) && str(e.destination) && parseAddress(e.destination)
    && (LABELS as readonly string[]).includes(e.label) && /^[0-9a-f]{64}$/.test(e.sha256 ?? '') && Number.isSafeInteger(e.size) && e.size >= 0
    && Array.isArray(e.path) && e.path.length >= 1 && e.path.every((n) => str(n) && NAME_RE.test(n)) && str(e.gateway)
    && (e.filename === undefined || str(e.filename)) && (e.content_type === undefined || str(e.content_type))
    && (e.channel === undefined || str(e.channel)) && typeof e.receipt === 'object' && e.receipt !== null;
  if (!ok) throw bad('lacks a field or has one of the wrong form');
  if (e.gateway !== gatewayId(e.path[e.path.length - 1]!)) throw bad('names a signer that is not the last gateway of its path');
  // A channel is what a business system named when it sent the message (channel-handler.ts), held to
  // the same rule: every message has one, a file none; no path, no line break, no id number that
  // would reach the audit record in clear (issue N7, fourth red team of 30 Nov).
  if (e.kind === 'message' && e.channel === undefined) throw bad('carries a message without its channel');
  if (e.kind === 'file' && e.channel !== undefined) throw bad('carries a channel on a file');
  if (e.channel !== undefined && channelNameFault(e.channel)) throw bad('names a channel no system could have opened (1 to 63 lower-case letters, digits, - and _; no run of six digits)');
  return e;
}
