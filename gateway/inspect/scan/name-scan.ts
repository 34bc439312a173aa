import { isUtf8 } from 'node:buffer';
import { decodedText } from '../text/byte-text.js';
import type { InspectContext } from '../context/inspect-context.js';
import { TextScanner } from './text-scanner.js';
import { TokenReader } from './text-tokens.js';
import { ViewDecoder } from './text-views.js';

// A name is text too: the transfer's file name, its declared content type and
// every archive member's name are scanned like content (a marking or an
// identity number in a name crosses as surely as one inside). And read as the
// body's text is (issue N8, fourth red team of 30 Nov: a name that was the
// base64 or the hex of a marking and an id crossed, the same in the body was
// found): its decoded forms are scanned too, made by the inspection's own
// readers, one level after another up to MAX_LEVELS: the views (text-views.ts:
// percent-encoding, entities, \u escapes, MIME words…), the short tokens
// (text-tokens.ts: base64 and base64url, base32, hex, lists of code points,
// numbers in other numerals, an id's groups put together), and base64 runs of
// 64 characters or more (the text scanner's run decoder). A decoding that is
// not text (a hash as a name, a UUID) makes no form.

const MAX_NAME = 4096;
/** Decodings of decodings: percent-encoding twice, base64 of hex, hex of percent-encoding… */
const MAX_LEVELS = 3;
/** Characters read for one name, its decoded forms included: a reader that wrote more than it read cannot multiply the work. */
const MAX_READ = 4 * MAX_NAME;

export function scanName(ctx: InspectContext, name: string, path: string | undefined): void {
  const seen = new Set<string>();
  let level = [name.slice(0, MAX_NAME)];
  let read = 0;
  for (let depth = 0; depth <= MAX_LEVELS && level.length > 0; depth++) {
    const next: string[] = [];
    for (const form of level) {
      if (seen.has(form) || read + form.length > MAX_READ) continue;
      seen.add(form);
      read += form.length;
      const runs = scanForm(ctx, form, path, depth < MAX_LEVELS);
      if (depth < MAX_LEVELS) next.push(...runs, ...decodings(form));
    }
    level = next;
  }
}

/** Scans one form; returns the base64 runs in it that decode to text (when asked). */
function scanForm(ctx: InspectContext, form: string, path: string | undefined, base64: boolean): string[] {
  const s = new TextScanner({ matcher: ctx.matcher, tally: ctx.tally, path, encoding: 'utf-8', bom: 0, markup: false, base64 });
  const events = [...s.write(Buffer.from(form)), ...s.end()];
  const runs: string[] = [];
  let bytes: Uint8Array[] = [];
  for (const e of events) {
    if (e.kind === 'open') bytes = [];
    else if (e.kind === 'data') bytes.push(e.bytes.slice());
    else {
      const text = decodedText(Buffer.concat(bytes));
      if (text) runs.push(text);
    }
  }
  return runs;
}

/** The views and the token readings of one form (what a program that decodes it would show). */
function decodings(form: string): string[] {
  const out: string[] = [];
  const views = new ViewDecoder(false);
  if (views.idle(form)) {
    const step = views.push(form, true);
    if (step.text && step.text !== form) out.push(step.text);
    if (step.side) out.push(step.side);
  }
  const tokens = new TokenReader({ compressed: false }).push(form, true);
  if (tokens.text) out.push(tokens.text);
  const named = namedCodePoints(form);
  if (named !== form) out.push(named);
  return out;
}

/**
 * A member name's bytes as a legacy archiver wrote them: zip without the UTF-8 flag (Windows Explorer,
 * WinRAR, 360压缩, Bandizip on Chinese Windows write the ANSI code page, GBK) and tar made in a GBK
 * locale. The name is shown as UTF-8 (its path); bytes that are not UTF-8 are read in GB18030 and Big5 too,
 * as the receiver's Chinese Windows shows them (red team 1 Dec b, N2: `机密★10年.txt` in GBK crossed).
 */
export function scanLegacyName(ctx: InspectContext, bytes: Buffer, path: string | undefined): void {
  if (!bytes.length || isUtf8(bytes)) return;
  const b = bytes.subarray(0, MAX_NAME);
  scanName(ctx, new TextDecoder('gb18030').decode(b), path);
  // Big5 too (Traditional Chinese Windows): read only where its decoder takes every byte.
  const big5 = BIG5.decode(b);
  if (!big5.includes('\ufffd')) scanName(ctx, big5, path);
}

const BIG5 = new TextDecoder('big5');

/**
 * Code points as archivers and encoders write the characters of a name they
 * cannot store (red team, 1 Dec b, N21): Info-ZIP's `#U673a` and `#L01f31f`,
 * `_u673a`, and .NET XmlConvert's `_x673A_`.
 */
const NAMED_CODE_POINT = /#U([0-9a-fA-F]{4})|#L([0-9a-fA-F]{6})|_x([0-9a-fA-F]{4})_|_u([0-9a-fA-F]{4})/g;

function namedCodePoints(form: string): string {
  if (form.indexOf('#') < 0 && form.indexOf('_') < 0) return form;
  return form.replace(NAMED_CODE_POINT, (m, u?: string, l?: string, x?: string, us?: string) => {
    const n = parseInt(u ?? l ?? x ?? us!, 16);
    return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : m;
  });
}

/**
 * Text an archive carries beside its members (a zip or member comment, an
 * extra field, a gzip header's name, pax records, a tar header's user and
 * link names): read as names, in UTF-8, and in GB18030 when it is not UTF-8.
 */
export function scanMeta(ctx: InspectContext, bytes: Buffer, path: string | undefined): void {
  if (bytes.length === 0 || bytes.every((b) => b === 0)) return;
  const b = bytes.subarray(0, MAX_NAME);
  scanName(ctx, b.toString('utf8'), path);
  if (!isUtf8(b)) scanName(ctx, new TextDecoder('gb18030').decode(b), path);
}
