import zlib from 'node:zlib';
import { pdfStrings } from './pdf-strings.js';

// Every stream object of a PDF as its bytes say, whether anything references
// it or not: pdf.js reads what a viewer reaches from the catalog (pages,
// their annotations, the attachments' name tree), but a stream no page uses,
// a JavaScript action, an object stream, compressed XMP or a file attached
// only through an annotation hold text all the same, and a reader with other
// tools (or a program) reads them. Each stream is inflated (FlateDecode, a
// chain of them) and, when it is text, read; an embedded file is handed on
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
  /** A stream that was not read whole: never silence. */
  limit(detail: string): void;
}

/** Dictionaries of streams that are not text: images, font programs, cross-reference and colour data. */
const NOT_TEXT = /\/Subtype\s*\/(Image|Type1C|CIDFontType0C|OpenType)\b|\/Length[123]\b|\/Type\s*\/XRef\b|\/Predictor\b/;
const EMBEDDED = /\/Type\s*\/EmbeddedFile\b/;
const CONTENT = /(?:^|\s)BT\s/;
/** Filters other than Flate: the stream is left to pdf.js (images, mostly). */
const OTHER_FILTER = /\/(DCTDecode|JPXDecode|CCITTFaxDecode|JBIG2Decode|LZWDecode|RunLengthDecode|ASCII85Decode|ASCIIHexDecode|Crypt|DCT|LZW|RL|CCF|A85|AHx)\b/;

export async function readPdfObjects(pdf: Buffer, sink: PdfObjectSink): Promise<{ streams: number; cut: boolean }> {
  const s = pdf.toString('latin1');
  let pos = 0;
  let streams = 0;
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
    if (++streams > MAX_STREAMS) return { streams, cut: true };
    if (NOT_TEXT.test(dict) || OTHER_FILTER.test(dict)) continue;
    const bytes = inflated(pdf.subarray(data, end), dict);
    if (bytes === 'over') {
      sink.limit(`a stream at byte ${data} inflates past ${MAX_STREAM} bytes; it was not read`);
      continue;
    }
    if (!bytes || !sink.spend(bytes.length)) continue;
    if (EMBEDDED.test(dict)) await sink.file(bytes);
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
        await sink.text(`${bytes.subarray(first).toString('utf8')}\n${pdfStrings(t.slice(first))}\n`);
        continue;
      }
      // Scripts, object streams, XMP: read whole, as UTF-8 (a UTF-8 JavaScript file, XMP), with their strings decoded.
      await sink.text(`${bytes.toString('utf8')}\n${pdfStrings(t)}\n`);
    }
  }
  between.push(s.slice(pos));
  const strings = pdfStrings(between.join('\n'));
  if (strings) await sink.text(`${strings}\n`);
  return { streams, cut: false };
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

/** The stream's bytes through its Flate filters (none: as stored); null when they do not inflate. */
function inflated(raw: Buffer, dict: string): Buffer | 'over' | null {
  const flates = (dict.match(/\/(FlateDecode|Fl)\b/g) ?? []).length;
  let b = raw;
  for (let k = 0; k < flates; k++) {
    try {
      b = zlib.inflateSync(b, { maxOutputLength: MAX_STREAM, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return 'over';
      try {
        b = zlib.inflateRawSync(b, { maxOutputLength: MAX_STREAM, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      } catch (e2) {
        return (e2 as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'over' : null;
      }
    }
  }
  return b;
}

/** Text: few control bytes (content streams, scripts, XMP, CMaps); fonts and pixels have many. */
function isText(b: Buffer): boolean {
  const n = Math.min(b.length, 4096);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) bad++;
  }
  return bad <= n / 100;
}
