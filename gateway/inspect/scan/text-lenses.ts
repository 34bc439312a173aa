import { isAscii, isUtf8 } from 'node:buffer';
import { FindingTally } from '../context/finding-tally.js';
import type { InspectContext } from '../context/inspect-context.js';
import type { TextEncodingName } from '../text/text-encoding.js';
import { TextScanner } from './text-scanner.js';

// Text in other encodings than the one the content was read in, found by
// region: a GBK memo after a GIF header, a UTF-16 comment in an image, Big5
// rows in a GB18030 file. Each block of 512 bytes that is not plain UTF-8 is
// judged for each encoding (byte statistics, no decoding); runs of blocks
// that look like text in an encoding are scanned in it by a scanner of their
// own. ASCII and valid UTF-8 (the common case) cost two native checks.
//
// Findings of a lens go to the transfer only when the main reading of the
// same content did not already report that kind and sub-kind (ASCII reads
// the same in GB18030 and Big5: counting it twice would double the counts
// policies compare).

const LENSES: TextEncodingName[] = ['gb18030', 'big5', 'utf-16le', 'utf-16be', 'utf-32le', 'utf-32be'];
/** Code units in a row that look like text before a region is read in an encoding (fewer when one is 密). */
const MIN_RUN = 8;
const MIN_RUN_MB = 10;
/** Fewest bytes of a region in GB18030 or Big5: three characters, two of them pairs. */
const MIN_REGION_MB = 5;
/** Bytes that are in no character of GB18030 or Big5 (neither text, a lead nor a trail byte: controls, 7F, FF): a run ends there. */
const BREAK = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) BREAK[b] = b === 0x09 || b === 0x0a || b === 0x0d ? 0 : 1;
BREAK[0x7f] = BREAK[0xff] = 1;

interface Lens {
  enc: TextEncodingName;
  /** Byte offset (mod the unit) where this lens's code units start: text after an odd-length header is misaligned. */
  align: number;
  scanner: TextScanner | null;
  tally: FindingTally;
  /** Code unit width: 1 (multi-byte encodings, judged byte by byte), 2, 4. */
  unit: number;
  /** A line break in the encoding, put between regions so that text of two regions is never joined. */
  gap: Buffer;
  /** The regions of the chunk being read (and their gaps), written to the scanner in one piece at its end. */
  parts: Buffer[];
}

/** High bytes of BMP code points that are text: CJK, CJK punctuation, general punctuation and symbols (★), full-width forms. */
const HI_TEXT = new Uint8Array(256);
for (let h = 0x4e; h <= 0x9f; h++) HI_TEXT[h] = 1;
for (let h = 0x20; h <= 0x27; h++) HI_TEXT[h] = 1;
HI_TEXT[0x30] = 1;
HI_TEXT[0xff] = 1;
/** Low bytes of U+00xx that are text. */
const LO_TEXT = new Uint8Array(256);
for (let c = 0x20; c < 0x100; c++) LO_TEXT[c] = c === 0x7f ? 0 : 1;
LO_TEXT[0x09] = LO_TEXT[0x0a] = LO_TEXT[0x0d] = 1;

/** Valid UTF-8 once a sequence cut at either end of the chunk is allowed for. */
function utf8Inside(b: Buffer): boolean {
  if (isUtf8(b)) return true;
  let a = 0;
  while (a < 3 && a < b.length && (b[a]! & 0xc0) === 0x80) a++;
  let e = b.length;
  for (let k = 1; k <= 4 && e - k >= a; k++) {
    const c = b[e - k]!;
    if ((c & 0xc0) !== 0x80) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (need > k) e -= k;
      break;
    }
  }
  return isUtf8(b.subarray(a, e));
}

/** 密 in each lens's encoding. */
const MI = new Map<TextEncodingName, Buffer>([
  ['gb18030', Buffer.from([0xc3, 0xdc])],
  ['big5', Buffer.from([0xb1, 0x4b])],
  ['utf-16le', Buffer.from([0xc6, 0x5b])],
  ['utf-16be', Buffer.from([0x5b, 0xc6])],
  ['utf-32le', Buffer.from([0xc6, 0x5b, 0, 0])],
  ['utf-32be', Buffer.from([0, 0, 0x5b, 0xc6])],
]);

/**
 * Just past the last byte of chunk[i, i + width) that `breaks` marks (a byte
 * in no character, which ends a run wherever it sits), or i when none is: a
 * run shorter than `width` that starts before it is no run to read.
 */
export function pastBreak(chunk: Buffer, i: number, width: number, breaks: Uint8Array): number {
  let k = i + width - 1;
  while (k >= i && breaks[chunk[k]!] === 0) k--;
  return k + 1;
}

/** 密 in UTF-16LE and UTF-16BE; the UTF-32 forms end with the same two bytes (BE) or start with them (LE). */
const MI_LE = Buffer.from([0xc6, 0x5b]);
const MI_BE = Buffer.from([0x5b, 0xc6]);
const MI_UNIT = 2;

/** Where each occurrence of the two bytes `pair` in b ends. */
function endsOf(b: Buffer, pair: Buffer): number[] {
  const out: number[] = [];
  for (let at = b.indexOf(pair); at >= 0; at = b.indexOf(pair, at + 1)) out.push(at + MI_UNIT);
  return out;
}

/** Is 密 within chunk[from, to)? (Called for short runs only: a loop, never a search to the chunk's end.) */
function holdsMi(enc: TextEncodingName, chunk: Buffer, from: number, to: number): boolean {
  const mi = MI.get(enc)!;
  const a = mi[0]!;
  const b = mi[1]!;
  for (let i = from; i + mi.length <= to; i++) {
    if (chunk[i] !== a || chunk[i + 1] !== b) continue;
    if (mi.length === 2 || (chunk[i + 2] === mi[2] && chunk[i + 3] === mi[3])) return true;
  }
  return false;
}

export class TextLenses {
  #ctx: InspectContext;
  #path: string | undefined;
  #lenses: Lens[] = [];
  #off = 0;

  constructor(ctx: InspectContext, path: string | undefined, primary: TextEncodingName) {
    this.#ctx = ctx;
    this.#path = path;
    for (const e of LENSES) {
      const unit = e.startsWith('utf-32') ? 4 : e.startsWith('utf-16') ? 2 : 1;
      const gap = e === 'utf-16le' ? Buffer.from([0x0a, 0]) : e === 'utf-16be' ? Buffer.from([0, 0x0a]) : e === 'utf-32le' ? Buffer.from([0x0a, 0, 0, 0]) : e === 'utf-32be' ? Buffer.from([0, 0, 0, 0x0a]) : Buffer.from([0x0a]);
      for (let align = 0; align < unit; align++) {
        if (e === primary && align === 0) continue;
        this.#lenses.push({ enc: e, align, scanner: null, tally: new FindingTally(), unit, gap, parts: [] });
      }
    }
  }

  /** `stretches`: the parts of a binary chunk that are not opaque (opaque-blocks.ts); absent: all of it. */
  write(chunk: Buffer, stretches?: Array<[number, number]>): void {
    const base = this.#off;
    this.#off += chunk.length;
    // (ASCII with NUL bytes may be UTF-16 or UTF-32 of ASCII: an id number in a UTF-16 field.)
    if (chunk.indexOf(0) < 0 && (isAscii(chunk) || utf8Inside(chunk))) return;
    for (const [from, to] of stretches ?? [[0, chunk.length]]) {
      const part = from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
      // 密's two bytes of UTF-16 in either order, once for the lenses of both widths: UTF-32's 密 holds them.
      const miEnds = { le: endsOf(part, MI_LE), be: endsOf(part, MI_BE) };
      for (const l of this.#lenses) {
        if (l.unit === 1) this.#mbRuns(l.enc, l, part, base + from);
        else this.#runs(l.enc, l, part, base + from, miEnds);
      }
    }
    // One write a lens a chunk: the same bytes in the same order as a write a region, without the scanner's
    // set-up for each (text in a Western encoding is regions of a few dozen bytes each in every lens).
    for (const l of this.#lenses) {
      if (!l.parts.length) continue;
      l.scanner!.write(l.parts.length === 1 ? l.parts[0]! : Buffer.concat(l.parts));
      l.parts.length = 0;
    }
  }

  /**
   * GB18030, Big5: runs of MIN_RUN_MB or more characters, each a printable
   * ASCII byte or a lead byte with a valid trail byte. Random bytes make
   * such runs rarely (about 0.73 a character), and each costs one write.
   */
  #mbRuns(enc: TextEncodingName, l: Lens, chunk: Buffer, base: number): void {
    const n = chunk.length;
    let runStart = -1;
    let chars = 0;
    let high = 0;
    let i = 0;
    while (i < n) {
      if (runStart < 0 && i + MIN_REGION_MB <= n) {
        // A region holds three characters, two of them pairs: five bytes at least, and no byte that is
        // in no character (a control, 7F, FF), which ends a run wherever it sits. Past the last such
        // byte among the next five, in one step: random binary content is mostly such short runs.
        const past = pastBreak(chunk, i, MIN_REGION_MB, BREAK);
        if (past > i) {
          i = past;
          continue;
        }
      }
      const c = chunk[i]!;
      let w = 0;
      if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09) w = 1;
      else if (c >= 0x81 && c <= 0xfe) {
        if (i + 1 >= n) w = 1; // the pair is cut by the chunk's end: the decoder carries it
        else {
          const d = chunk[i + 1]!;
          if ((d >= 0x40 && d <= 0xfe && d !== 0x7f) || (enc === 'gb18030' && d >= 0x30 && d <= 0x39)) w = 2;
        }
      }
      if (w === 0) {
        if (runStart >= 0 && high >= 2 && (chars >= MIN_RUN_MB || (chars >= 3 && holdsMi(enc, chunk, runStart, i)))) this.#region(enc, l, chunk, base, runStart, i, chars);
        runStart = -1;
        i++;
        continue;
      }
      if (runStart < 0) {
        runStart = i;
        chars = 0;
        high = 0;
      }
      chars++;
      if (w === 2) high++;
      i += w;
    }
    if (runStart >= 0 && high >= 2 && (chars >= MIN_RUN_MB || (chars >= 3 && holdsMi(enc, chunk, runStart, n)))) this.#region(enc, l, chunk, base, runStart, n, chars);
  }

  /** UTF-16, UTF-32: runs of MIN_RUN or more text units (a UTF-16 comment inside an image's metadata). */
  #runs(enc: TextEncodingName, l: Lens, chunk: Buffer, base: number, miEnds: { le: number[]; be: number[] }): void {
    const u = l.unit;
    // Where, within a unit, the byte that decides (the high byte of the BMP code point) and the low byte sit.
    const le = enc.endsWith('le');
    const hiAt = u === 2 ? (le ? 1 : 0) : le ? 1 : 2;
    const loAt = u === 2 ? (le ? 0 : 1) : le ? 0 : 3;
    const topA = u === 4 ? (le ? 2 : 0) : -1;
    const topB = u === 4 ? (le ? 3 : 1) : -1;
    let runStart = -1;
    // Units at this lens's alignment, counted from the start of the content.
    let i = (((l.align - base) % u) + u) % u;
    const n = chunk.length;
    // Where 密 next ends in this encoding (at any byte: more often than aligned, never less).
    const ends = le ? miEnds.le : miEnds.be;
    let next = 0;
    for (; i + u <= n; i += u) {
      // Runs shorter than MIN_RUN units are read only when 密 is inside, shorter than three never (#region).
      // When no run is under way, the unit `span` - 1 on is looked at first: if it is no text, no run that
      // starts before it is read, and `span` units are passed in one step (binary content: most of its
      // units). `span` is MIN_RUN when no 密 lies within the units before that one, else three.
      if (runStart < 0) {
        while (next < ends.length && ends[next]! - MI_UNIT < i) next++;
        const span = next >= ends.length || ends[next]! > i + (MIN_RUN - 1) * u ? MIN_RUN : 3;
        const j = i + (span - 1) * u;
        if (j + u <= n) {
          const h = chunk[j + hiAt]!;
          if (!((HI_TEXT[h] === 1 || (h === 0 && LO_TEXT[chunk[j + loAt]!] === 1)) && (u === 2 || (chunk[j + topA]! | chunk[j + topB]!) === 0))) {
            i = j;
            continue;
          }
        }
      }
      const hi = chunk[i + hiAt]!;
      let ok = HI_TEXT[hi] === 1 || (hi === 0 && LO_TEXT[chunk[i + loAt]!] === 1);
      if (ok && u === 4) ok = (chunk[i + topA]! | chunk[i + topB]!) === 0;
      if (ok) {
        if (runStart < 0) runStart = i;
        continue;
      }
      if (runStart >= 0) this.#region(enc, l, chunk, base, runStart, i, (i - runStart) / u);
      runStart = -1;
    }
    if (runStart >= 0) this.#region(enc, l, chunk, base, runStart, i, (i - runStart) / u);
  }

  /** A run of text-looking units: read it when it is long enough and not plain ASCII (which the main reading saw). */
  #region(enc: TextEncodingName, l: Lens, chunk: Buffer, base: number, from: number, to: number, high: number): void {
    if (l.unit === 1 && high < 2) return;
    // Shorter runs are read only when they hold 密, which every marking has (秘密★, 密级：, 【绝密】).
    if ((to - from) / l.unit < MIN_RUN && ((to - from) / l.unit < 3 || !holdsMi(enc, chunk, from, to))) return;
    l.scanner ??= new TextScanner({ matcher: this.#ctx.matcher, tally: l.tally, path: this.#path, encoding: enc, bom: 0, markup: false, base64: false, offset: base + from, top: base + from === 0 });
    l.parts.push(chunk.subarray(from, to));
    if (to < chunk.length) l.parts.push(l.gap); // a region at the chunk's end may go on in the next one
  }

  /** Ends every lens and hands over what they found that the main reading did not. */
  finish(): void {
    for (const l of this.#lenses) {
      const enc = l.enc;
      l.scanner?.end();
      l.scanner = null;
      for (const f of l.tally.findings()) {
        if (this.#ctx.tally.hasKey(f.kind, f.subkind, f.path)) continue;
        this.#ctx.tally.merge({ ...f, detail: `${f.detail ?? f.kind} (read as ${enc})` });
      }
    }
  }
}
