import type { IncomingMessage } from 'node:http';
import { FerryError } from '../../protocol/errors.js';
import { parseMediaType } from './media-type.js';
import { CLASSIFIED_LABELS, LABELS, parseAddress, type Label, type TransferMeta } from '../../protocol/transfer.js';

// What a sender says about its upload, checked before a byte of the body is
// read. Headers never carry identity: ferry-from and the like are ignored.

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
// Control characters, path separators and the bidi overrides used to disguise extensions.
// Format characters that display as nothing (soft hyphen, zero-width and direction marks, BOM…).
// By Unicode property, so that none is missed: format characters (tags, interlinear annotation
// marks…), default-ignorables (variation selectors, Hangul fillers), line and paragraph
// separators, and the braille blank, which displays as a space.
const INVISIBLE_CHARS = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064\u206a-\u206f\ufeff\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}\u2800]/u;
const BAD_FILENAME_CHARS = /[\u0000-\u001f\u007f-\u009f/\\\u202a-\u202e\u2066-\u2069]/;
// What displays as, or a receiver's file system folds into, a path separator: fraction and
// division slashes, full-width and small forms, box drawings, big solidi, combining overlays.
// NFKC folds some (／ ＼ ﹨) to / and \; the rest only look like them. All are refused: the
// name the policy sees must be the one a receiver writes (issue 9).
// Also the symbols Unicode's confusables table lists for them that are not letters of a
// script: solidus and reverse solidus with strokes, double and triple solidus operators,
// the caret insertion point, dotted solidus, the heavy solidi of ornaments, CJK strokes SP
// and D, Greek instrumental notation 47. (Letters such as katakana ノ stay: names are written in them.)
const SEPARATOR_LOOKALIKES = /[\u2044\u2215\u2216\u29f5\u29f8\u29f9\u2571\u2572\u27cb\u27cd\u2f03\u3033\u1735\ufe68\uff0f\uff3c\u0337\u0338\u20e5\u20eb\u2041\u29f6\u29f7\u2afb\u2afd\u2e4a\u31d3\u31d4\u{1f67c}\u{1f67d}\u{1d23a}]/u;
// What Windows opens as a device, whatever the extension (CON.txt, com1.tar.gz, CONIN$), and
// what it reads as a drive or a stream (C:x, a.txt:evil.exe) or cannot name (wildcards).
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$|clock\$)\s*(\..*)?$/i;
const WINDOWS_FORBIDDEN = /[:*?"<>|]/;
// The headers the gateway reads, beside every ferry-*: each must come once. Node joins
// duplicates with ", " (or keeps the first), so they are counted on the raw list.
const SINGLE_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding', 'idempotency-key']);

/** Refuse any ferry-* header, or one the gateway reads, that was sent more than once. */
export function refuseDuplicateHeaders(rawHeaders: readonly string[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!name.startsWith('ferry-') && !SINGLE_HEADERS.has(name)) continue;
    if (seen.has(name)) throw new FerryError('FERRY_HEADER_INVALID', `The ${name.slice(0, 64)} header was sent more than once.`);
    seen.add(name);
  }
}

/**
 * The checks of a request's head that every route and upgrade shares: no more fields than are
 * read (past maxHeadersCount Node drops the rest silently), one Host (RFC 9112 §3.2), and no
 * Transfer-Encoding on HTTP/1.0, whose framing is then faulty (RFC 9112 §6.1): each a way to
 * make the gateway and something in front of it read two different requests.
 */
export function checkRequestHead(req: Pick<IncomingMessage, 'rawHeaders' | 'httpVersion' | 'headers'>, maxHeaders: number): void {
  if (req.rawHeaders.length / 2 > maxHeaders) throw new FerryError('FERRY_TOO_MANY_HEADERS', `The request has more than the ${maxHeaders} header fields the gateway reads.`);
  let hosts = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === 'host') hosts++;
  if (hosts > 1) throw new FerryError('FERRY_MALFORMED_REQUEST', 'The request has more than one Host header.');
  if (req.httpVersion === '1.0' && req.headers['transfer-encoding'] !== undefined) {
    throw new FerryError('FERRY_MALFORMED_REQUEST', 'Transfer-Encoding on an HTTP/1.0 request: its framing cannot be trusted.');
  }
}

/** A trailer section may not say what a transfer is: that was decided from its headers, before the body. */
export function refuseTrailers(rawTrailers: readonly string[], maxHeaders: number): void {
  if (rawTrailers.length / 2 > maxHeaders) throw new FerryError('FERRY_TOO_MANY_HEADERS', `The trailer section has more than the ${maxHeaders} fields the gateway reads.`);
  for (let i = 0; i < rawTrailers.length; i += 2) {
    const name = rawTrailers[i]!.toLowerCase();
    if (name.startsWith('ferry-') || SINGLE_HEADERS.has(name) || name === 'host') {
      throw new FerryError('FERRY_HEADER_INVALID', `${name.slice(0, 64)} may not come in the trailer section: what a transfer is, is decided from its headers.`);
    }
  }
}

function single(headers: IncomingMessage['headers'], name: string): string | undefined {
  const v = headers[name];
  if (Array.isArray(v)) throw new FerryError('FERRY_HEADER_INVALID', `The ${name} header was sent more than once.`);
  return v;
}

export function parseFilename(raw: string): string {
  // Node reads header bytes as Latin-1: raw UTF-8 would arrive as mojibake (with C1 controls).
  if (!/^[\x20-\x7e]*$/.test(raw)) throw new FerryError('FERRY_FILENAME_INVALID', 'The ferry-filename header is not valid percent-encoded UTF-8 or plain ASCII.');
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw new FerryError('FERRY_FILENAME_INVALID', 'The ferry-filename header is not valid percent-encoded UTF-8.');
  }
  if (!name || name === '.' || name === '..' || BAD_FILENAME_CHARS.test(name) || Buffer.byteLength(name) > 255) {
    throw new FerryError('FERRY_FILENAME_INVALID');
  }
  // What a receiver's system may fold it into (NFKC, or Windows' best fit): ．． is .., ＣＯＮ is CON.
  const folded = name.normalize('NFKC');
  if (SEPARATOR_LOOKALIKES.test(name) || /[/\\]/.test(folded)) {
    throw new FerryError('FERRY_FILENAME_INVALID', 'The file name holds a character that looks like, or folds into, a path separator.');
  }
  // A name the policy reads one way and a receiver saves another ("evil.exe." and
  // "evil.e\u200Exe" are saved as evil.exe) would slip past an extension rule.
  if (INVISIBLE_CHARS.test(name) || [name, folded].some((n) => /^\s|[.\s]$/u.test(n) || n === '..' || n === '.')) {
    throw new FerryError('FERRY_FILENAME_INVALID', 'The file name begins with a space, ends in a dot or a space, or holds an invisible character.');
  }
  if ([name, folded].some((n) => WINDOWS_RESERVED.test(n) || WINDOWS_FORBIDDEN.test(n))) {
    throw new FerryError('FERRY_FILENAME_INVALID', 'The file name is a device name or holds a character (: * ? " < > |) that Windows reads otherwise.');
  }
  return name.normalize('NFC');
}

/** What a sender says about a transfer, as written, whatever carried it (headers, a message envelope). */
export interface RawTransferMeta {
  to?: string | undefined;
  label?: string | undefined;
  /** percent-encoded UTF-8 (the header's form) */
  filename?: string | undefined;
  contentType?: string | undefined;
  idempotencyKey?: string | undefined;
}

/** The checks every carrier shares: one set of rules for files and messages. */
export function parseTransferMeta(raw: RawTransferMeta, defaultLabel?: Label): TransferMeta {
  const to = raw.to;
  if (to === undefined || to.trim() === '') throw new FerryError('FERRY_DESTINATION_MISSING');
  const addr = parseAddress(to.trim());
  if (!addr) throw new FerryError('FERRY_DESTINATION_INVALID', `'${to.slice(0, 80)}' is not of the form <network>/<system>.`);
  // A label that is not sent is not guessed: a policy that wants a default names it (default_label).
  if (raw.label === undefined && !defaultLabel) throw new FerryError('FERRY_LABEL_MISSING');
  const rawLabel = (raw.label ?? defaultLabel!).trim().toLowerCase();
  if ((CLASSIFIED_LABELS as readonly string[]).includes(rawLabel)) throw new FerryError('FERRY_CLASSIFIED_LABEL');
  if (!(LABELS as readonly string[]).includes(rawLabel)) throw new FerryError('FERRY_LABEL_INVALID', `'${rawLabel.slice(0, 40)}' is not one of public, internal, sensitive.`);

  const out: TransferMeta = { destination: `${addr.network}/${addr.system}`, label: rawLabel as Label };
  if (raw.filename !== undefined) out.filename = parseFilename(raw.filename);
  const ct = raw.contentType;
  if (ct !== undefined) out.contentType = parseMediaType(ct);
  const key = raw.idempotencyKey;
  if (key !== undefined) {
    if (!IDEMPOTENCY_KEY.test(key)) throw new FerryError('FERRY_HEADER_INVALID', 'The idempotency key must be 1 to 128 visible ASCII characters.');
    out.idempotencyKey = key;
  }
  return out;
}

/** A header value as the sender wrote it: Node hands header bytes over as Latin-1, a sender writes UTF-8. */
export function headerText(v: string | undefined): string | undefined {
  return v === undefined ? undefined : Buffer.from(v, 'latin1').toString('utf8');
}

export function parseUploadHeaders(req: Pick<IncomingMessage, 'headers' | 'rawHeaders'>, defaultLabel?: Label): TransferMeta {
  refuseDuplicateHeaders(req.rawHeaders);
  const headers = req.headers;
  const label = single(headers, 'ferry-label');
  const out = parseTransferMeta({
    // Read as UTF-8, so that what a refusal repeats (masked) is what was written: １３８… is masked, its mojibake was not.
    to: headerText(single(headers, 'ferry-to')),
    label: headerText(label),
    filename: single(headers, 'ferry-filename'),
    contentType: single(headers, 'content-type'),
    idempotencyKey: single(headers, 'idempotency-key'),
  }, defaultLabel);
  const te = headers['transfer-encoding'];
  // chunked is the only coding read; any other leaves the body's length unknowable (RFC 9112 §6.3).
  if (te !== undefined && te.trim().toLowerCase() !== 'chunked') throw new FerryError('FERRY_MALFORMED_REQUEST', 'transfer-encoding must be chunked, the only coding the gateway reads.');
  const cl = headers['content-length'];
  if (cl !== undefined) out.declaredSize = Number(cl); // Node's parser already rejected malformed values
  else if (te === undefined) throw new FerryError('FERRY_LENGTH_REQUIRED');
  return out;
}
