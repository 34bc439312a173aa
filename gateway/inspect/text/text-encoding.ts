import { cyrillicOrGreek, pageSpecials, utf8WithStrayBytes, westernNotChinese, westernText, type SingleByte } from './western-text.js';
import { showsUtf8AsGbk } from './utf8-as-gbk.js';
import { isEbcdicText } from './ebcdic.js';

// Is this text, and in which encoding? Decided on the first bytes of the
// content (the same 4,100 bytes file-type looks at). Text types are ours to
// tell: file-type knows binary formats only.

/**
 * windows-1252: single-byte Western text, or UTF-8 with stray bytes; windows-1251, koi8-r, iso-8859-7: Cyrillic
 * and Greek; all four read as UTF-8 where it is UTF-8 (western-text.ts).
 */
export type TextEncodingName = 'utf-8' | 'gb18030' | 'big5' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be' | 'ebcdic' | SingleByte;

/** Read by western-text.ts's decoder: a single-byte code page with UTF-8 read as UTF-8. */
export function singleByte(encoding: TextEncodingName): encoding is SingleByte {
  return encoding === 'windows-1252' || encoding === 'windows-1251' || encoding === 'koi8-r' || encoding === 'iso-8859-7';
}

export interface TextGuess {
  encoding: TextEncodingName;
  /** Bytes of byte-order mark to skip. */
  bom: number;
}

function decodes(encoding: string, bytes: Uint8Array, complete: boolean): boolean {
  // A prefix may end inside a multi-byte sequence: allow up to 3 bytes cut off.
  const cuts = complete ? 0 : 3;
  for (let cut = 0; cut <= cuts && cut < bytes.length; cut++) {
    try {
      new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, bytes.length - cut));
      return true;
    } catch {
      // try a shorter prefix
    }
  }
  return bytes.length === 0;
}

/**
 * Share of UTF-16 code units that are ASCII text, CJK or CJK punctuation, or the punctuation and symbols of
 * U+2000–2BFF (★, arrows, box drawing, Braille: a short file of U+2800 between a marking's characters was not
 * taken for UTF-16, third red team), or U+FFFC.
 */
function utf16TextShare(b: Uint8Array, le: boolean): number {
  const n = b.length >> 1;
  if (n === 0) return 0;
  let good = 0;
  for (let i = 0; i < n; i++) {
    const u = le ? b[2 * i]! | (b[2 * i + 1]! << 8) : (b[2 * i]! << 8) | b[2 * i + 1]!;
    if ((u >= 0x20 && u < 0x7f) || u === 0x0a || u === 0x0d || u === 0x09 || (u >= 0x2000 && u < 0x2c00) || (u >= 0x3000 && u < 0x3040) || (u >= 0x4e00 && u < 0xa000) || (u >= 0xff00 && u < 0xfff0) || u === 0xfffc) good++;
  }
  return good / n;
}

/** null: binary. `complete`: head is the whole content. */
export function guessText(head: Uint8Array, complete: boolean): TextGuess | null {
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0) return { encoding: 'utf-32le', bom: 4 };
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff) return { encoding: 'utf-32be', bom: 4 };
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  // A UTF-16 BOM is two bytes that binary formats also start with (FF FE is an MPEG frame sync): check what follows.
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe && (head.length === 2 || utf16TextShare(head.subarray(2, head.length & ~1), true) > 0.8)) return { encoding: 'utf-16le', bom: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff && (head.length === 2 || utf16TextShare(head.subarray(2, head.length & ~1), false) > 0.8)) return { encoding: 'utf-16be', bom: 2 };
  if (head.length >= 4 && head[0] === 0x84 && head[1] === 0x31 && head[2] === 0x95 && head[3] === 0x33) return { encoding: 'gb18030', bom: 4 };
  if (head.length === 0) return { encoding: 'utf-8', bom: 0 };
  let zeroEven = 0;
  let zeroOdd = 0;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b === 0) {
      if (i & 1) zeroOdd++;
      else zeroEven++;
    } else if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x0b && b !== 0x1b) || b === 0x7f) control++;
  }
  const half = head.length / 2;
  // UTF-16 without BOM: ASCII-range text leaves a zero in every other byte.
  if (zeroOdd > half * 0.3 && zeroEven < half * 0.02 && utf16TextShare(head, true) > 0.9) return { encoding: 'utf-16le', bom: 0 };
  if (zeroEven > half * 0.3 && zeroOdd < half * 0.02 && utf16TextShare(head, false) > 0.9) return { encoding: 'utf-16be', bom: 0 };
  // UTF-8 with no NUL is text whatever controls it holds: a terminal shows DEL, BEL (which ends a recording's OSC
  // titles) and the rest as nothing, so that a marking apart by them reads whole (third red team: such text was
  // typed binary and read in stretches that DEL ended, and a recording was refused type-mismatch). Binary
  // formats are neither valid UTF-8 nor free of NUL past a few bytes.
  if (zeroEven + zeroOdd === 0 && decodes('utf-8', head, complete)) return { encoding: 'utf-8', bom: 0 };
  // CJK in UTF-16 without BOM has no zero bytes but many "control" bytes.
  if ((head.length % 2 === 0 || !complete) && head.length >= 16) {
    if (utf16TextShare(head, true) > 0.95) return { encoding: 'utf-16le', bom: 0 };
    if (utf16TextShare(head, false) > 0.95) return { encoding: 'utf-16be', bom: 0 };
  }
  // EBCDIC (an IBM host's export: ebcdic.ts), before GB18030, which decodes most of its bytes as pairs, and
  // before the NUL test (a record's packed decimal fields hold some).
  if (isEbcdicText(head)) return { encoding: 'ebcdic', bom: 0 };
  if (zeroEven + zeroOdd > 0 || control > head.length / 100) return null;
  // UTF-8 with a few stray bytes, and Western single-byte text: read by the decoder that takes UTF-8 as UTF-8 (western-text.ts),
  // unless it is UTF-8 that GBK read and saved back (the bytes it dropped are the stray ones): then as GB18030, whose
  // reading turns it back into its UTF-8 and mends what was dropped (utf8-as-gbk.ts); the UTF-8 is read either way.
  const gb18030 = decodes('gb18030', head, complete);
  if (utf8WithStrayBytes(head) && !(gb18030 && showsUtf8AsGbk(new TextDecoder('gb18030').decode(head, { stream: !complete })))) {
    return { encoding: 'windows-1252', bom: 0 };
  }
  if (gb18030) return { encoding: westernNotChinese(head) ? 'windows-1252' : 'gb18030', bom: 0 };
  if (westernText(head)) return { encoding: 'windows-1252', bom: 0 };
  const page = cyrillicOrGreek(head);
  return page ? { encoding: page, bom: 0 } : null;
}

// Bytes each UTF-16 code unit took in the source, so that findings carry
// byte offsets. Exact for well-formed input; an invalid sequence decodes to
// U+FFFD and its width is an estimate.
const widths = new Map<TextEncodingName, Uint8Array>();

export function byteWidths(encoding: TextEncodingName): Uint8Array {
  let w = widths.get(encoding);
  if (w) return w;
  w = new Uint8Array(0x10000);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') w.fill(2);
  else if (encoding === 'ebcdic') w.fill(1);
  else if (encoding === 'utf-32le' || encoding === 'utf-32be') {
    w.fill(4);
    for (let c = 0xdc00; c < 0xe000; c++) w[c] = 0;
  } else if (encoding === 'big5') {
    w.fill(2);
    for (let c = 0; c < 0x80; c++) w[c] = 1;
  }
  else if (encoding === 'utf-8' || singleByte(encoding)) {
    for (let c = 0; c < 0x10000; c++) w[c] = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : c >= 0xdc00 && c < 0xe000 ? 0 : 3;
    // A code page's byte is one character; a Latin-1 letter or a smart quote written as UTF-8 in such text is then counted one byte (an estimate).
    if (singleByte(encoding)) for (const c of [...Array.from({ length: 0x80 }, (_, i) => 0x80 + i), ...pageSpecials(encoding)]) w[c] = 1;
  } else {
    // GB18030: ASCII one byte; the GBK repertoire two; everything else four
    // (a surrogate pair: four for the pair). Learn the two-byte set by
    // decoding every lead/trail pair once.
    w.fill(4);
    for (let c = 0; c < 0x80; c++) w[c] = 1;
    for (let c = 0xdc00; c < 0xe000; c++) w[c] = 0;
    const pairs = new Uint8Array(126 * 190 * 2);
    let n = 0;
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        pairs[n++] = lead;
        pairs[n++] = trail;
      }
    }
    const s = new TextDecoder('gb18030').decode(pairs.subarray(0, n));
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c !== 0xfffd && c >= 0x80) w[c] = 2;
    }
    w[0x20ac] = 2; // € is A2E3 in GB18030 (single 0x80 decodes to it too)
  }
  widths.set(encoding, w);
  return w;
}
