import { decodeStream } from './pdf-filters.js';
import { pdfStrings } from './pdf-strings.js';
import { paintsHidden } from './pdf-painted.js';

// Every stream object of a PDF as its bytes say, whether anything references
// it or not: pdf.js reads what a viewer reaches from the catalog (pages,
// their annotations, the attachments' name tree), but a stream no page uses,
// a JavaScript action, an object stream, compressed XMP or a file attached
// only through an annotation hold text all the same, and a reader with other
// tools (or a program) reads them. Each stream is decoded through its
// filters and their parameters (pdf-filters.ts) and, when it is text (UTF-16
// too: XMP may be written so), read; an embedded file is handed on
// as content of its own. The strings of every object, inside streams and
// between them, are decoded (pdf-strings.ts: /ActualText, UTF-16 titles).
// Fonts, images and cross-reference streams are not text and are skipped.

/** A stream's inflated bytes at most (more is cut: the reading is of its start). */
const MAX_STREAM = 16 * 1024 * 1024;
/** Streams read at most in one PDF. */
const MAX_STREAMS = 20_000;

export interface PdfObjectSink {
  /** Text of the objects: streams that are text and decoded strings. */
  text(s: string): Promise<void>;
  /** An embedded file's bytes. */
  file(data: Buffer): Promise<void>;
  /** Counts inflated bytes against the transfer's budget; false when spent. */
  spend(n: number): boolean;
  /** A stream that was not read whole (`pdf-stream`) or not read (`pdf-filter`): never silence. */
  limit(subkind: 'pdf-stream' | 'pdf-filter', detail: string): void;
}

/**
 * Dictionaries of streams that are not text: images, font programs, cross-reference streams. (A predictor
 * marked one as not text until 1 December; an embedded file or XMP with one crossed unread.)
 */
const NOT_TEXT = /\/Subtype\s*\/(Image|Type1C|CIDFontType0C|OpenType)\b|\/Length[123]\b|\/Type\s*\/XRef\b/;
const EMBEDDED = /\/Type\s*\/EmbeddedFile\b/;
const CONTENT = /(?:^|\s)BT\s/;

/** `painted`: the objects hold a tiling pattern or a soft mask, whose text pdf.js's text content does not read (pdf-painted.ts). */
export async function readPdfObjects(pdf: Buffer, sink: PdfObjectSink): Promise<{ streams: number; cut: boolean; painted: boolean }> {
  const s = pdf.toString('latin1');
  let pos = 0;
  let streams = 0;
  let painted = false;
  const between: string[] = [];
  for (;;) {
    const at = s.indexOf('stream', pos);
    if (at < 0) break;
    // `endstream`, or `stream` inside a string: not the start of one.
    if (s.startsWith('end', at - 3) || !/>>\s*$/.test(s.slice(Math.max(0, at - 8), at))) {
      pos = at + 6;
      continue;
    }
    let data = at + 6;
    if (s[data] === '\r') data++;
    if (s[data] === '\n') data++;
    // The dictionary: from the object's `obj` (looked for no further back than 4 KiB: no quadratic search).
    const from = Math.max(pos, at - 4096);
    const obj = s.slice(from, at).lastIndexOf(' obj');
    const dictStart = obj < 0 ? from : from + obj;
    const dict = s.slice(dictStart, at);
    between.push(s.slice(pos, dictStart));
    const end = streamEnd(s, data, dict);
    pos = end;
    if (++streams > MAX_STREAMS) return { streams, cut: true, painted: true };
    painted ||= paintsHidden(dict);
    if (NOT_TEXT.test(dict)) continue;
    const d = decodeStream(pdf.subarray(data, end), dict, MAX_STREAM);
    // An attached file that does not decode (a wrong Adler-32 a lenient reader passes over) is not read, and says so
    // (the review of 1 Dec: it was skipped in silence); other streams that do not decode are left, as readers leave them.
    if (d === null && EMBEDDED.test(dict)) {
      sink.limit('pdf-filter', `a file attached at byte ${data} does not decode through its filters; it was not read`);
      continue;
    }
    if (d === null || 'image' in d) continue;
    if ('over' in d) {
      sink.limit('pdf-stream', `a stream at byte ${data} decodes past ${MAX_STREAM} bytes; it was not read`);
      continue;
    }
    if ('unread' in d) {
      sink.limit('pdf-filter', `a stream at byte ${data} is behind a filter that is not decoded here (${d.unread}); it was not read`);
      continue;
    }
    const bytes = d.bytes;
    if (!sink.spend(bytes.length)) continue;
    // An object stream's dictionaries, whatever its own dictionary calls it and whether or not they read as text.
    painted ||= paintsHidden(bytes.toString('latin1'));
    const utf16 = EMBEDDED.test(dict) ? null : utf16Text(bytes);
    if (EMBEDDED.test(dict)) await sink.file(bytes);
    else if (utf16 !== null) await sink.text(`${utf16}\n`);
    else if (isText(bytes)) {
      const t = bytes.toString('latin1');
      // A CMap is font data (pdf.js applies it); its hex pairs would read as code points in glyph order.
      if (t.includes('begincmap')) continue;
      // A content stream is operators and numbers round its strings: its strings are its text (and /ActualText's),
      // joined within a text object as they are drawn.
      if (CONTENT.test(t.slice(0, 4096)) && /\sET(?:\s|$)/.test(t)) {
        const strings = t.split(/\sET(?=\s|$)/).map((block) => pdfStrings(block, true, ' ')).filter(Boolean).join('\n');
        if (strings) await sink.text(`${strings}\n`);
        continue;
      }
      // An object stream starts with pairs of numbers (object, offset): not text.
      const first = /\/Type\s*\/ObjStm\b/.test(dict) ? Number(/\/First\s+(\d+)/.exec(dict)?.[1] ?? 0) : 0;
      if (first > 0) {
        await sink.text(`${bytes.subarray(first).toString('utf8')}\n${objectStrings(objStmObjects(t, first))}\n`);
        continue;
      }
      // Scripts, object streams, XMP: read whole, as UTF-8 (a UTF-8 JavaScript file, XMP), with their strings decoded.
      await sink.text(`${bytes.toString('utf8')}\n${pdfStrings(t)}\n`);
    }
  }
  between.push(s.slice(pos));
  const objects = between.join('\n');
  painted ||= paintsHidden(objects);
  const strings = objectStrings(objects.split(/\bendobj\b/));
  if (strings) await sink.text(`${strings}\n`);
  return { streams, cut: false, painted };
}

/**
 * The strings of each object, an object's on lines of their own and objects apart (an `endobj` line between):
 * one field's name and value are a label and its value (`/T(密级)/V(机密)`), but the names of a form's fields,
 * one an object (Acrobat names boxes by the text beside them: 密级, 秘密, 机密), are no label and value (G8).
 */
function objectStrings(objects: string[]): string {
  return objects.map((o) => pdfStrings(o)).filter(Boolean).join('\nendobj\n');
}

/** An object stream's objects (after its header of object numbers and offsets, `first` on), each its own text. */
function objStmObjects(t: string, first: number): string[] {
  const head = t.slice(0, first).trim().split(/\s+/).map(Number);
  const offsets = head.filter((_, k) => k % 2 === 1).filter((n) => Number.isInteger(n) && n >= 0 && first + n <= t.length);
  const at = [...new Set([0, ...offsets])].sort((a, b) => a - b);
  return at.map((o, k) => t.slice(first + o, k + 1 < at.length ? first + at[k + 1]! : t.length));
}

/** Where a stream's data ends: its /Length when `endstream` follows there, else the next `endstream`. */
function streamEnd(s: string, data: number, dict: string): number {
  const len = /\/Length\s+(\d{1,10})(?!\s+\d+\s+R)/.exec(dict);
  if (len) {
    const e = data + Number(len[1]);
    if (/^\s*endstream/.test(s.slice(e, e + 12))) return e;
  }
  const e = s.indexOf('endstream', data);
  return e < 0 ? s.length : e;
}

/**
 * UTF-16 text (XMP may be written in UTF-16, §8.3 of ISO 16684-1): a byte order mark, or a head in which nearly
 * every other byte is zero; null otherwise.
 */
function utf16Text(b: Buffer): string | null {
  if (b.length < 4) return null;
  let be = b[0] === 0xfe && b[1] === 0xff;
  let le = b[0] === 0xff && b[1] === 0xfe;
  if (!be && !le) {
    const n = Math.min(b.length, 4096) & ~1;
    let even = 0;
    let odd = 0;
    for (let i = 0; i < n; i += 2) {
      if (b[i] === 0) even++;
      if (b[i + 1] === 0) odd++;
    }
    be = even >= n * 0.45 && odd === 0;
    le = odd >= n * 0.45 && even === 0;
    if (!be && !le) return null;
  }
  const body = Buffer.from(b.subarray(0, b.length & ~1));
  if (be) body.swap16();
  return body.toString('utf16le');
}

/**
 * Text: few control bytes (content streams, scripts, XMP, CMaps); fonts and pixels have many. Zero bytes at the
 * end do not count: a predictor's last row is padded with them.
 */
function isText(b: Buffer): boolean {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0 && b.length - end < 64) end--;
  const n = Math.min(end, 4096);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) bad++;
  }
  return bad <= n / 100;
}
