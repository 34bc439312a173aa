import { isAscii } from 'node:buffer';
import iconv from 'iconv-lite';

// Text in a single-byte Western encoding: Latin-1 (ISO-8859-1) or Windows-1252,
// as a French or German partner's CSV, an ISO-8859-1 HTML page with one ©, or
// a .txt with Word's smart quotes (0x93/0x94) is written. Neither UTF-8 nor
// GB18030 decodes it, and it was refused as application/octet-stream whatever
// its declared type (third red team, F5).
//
// Told from binary content by what binary content cannot avoid: compressed,
// encrypted and random bytes hold a C0 control in one byte of eight, and the
// bulk of them is high bytes. Such text holds no NUL, at most one control in a
// hundred bytes (counting the five bytes Windows-1252 leaves undefined, 81 8D
// 8F 90 9D, as controls: text in it never holds them), and at most one high
// byte in four (accented letters and symbols among ASCII: French has some
// 3 %, Hungarian and Icelandic under 10 %). Text of the single-byte encodings
// with letters in the high half (Cyrillic in Windows-1251 or KOI8-R, Greek in
// ISO-8859-7) is past that share: it was typed binary, refused type-mismatch
// as a .txt or .csv; it is told by its words (cyrillicOrGreek) and read in its
// code page by the same decoder.
//
// It is read by one decoder that takes each valid UTF-8 sequence as UTF-8 and
// every other byte as Windows-1252 (whose C1 range holds the smart quotes, €,
// … and –, and Latin-1's controls where it defines nothing), so that a UTF-8
// marking inside such a file is read as it is, not as mojibake, and accented
// keywords are read as written. The lenses (text-lenses.ts) still read the
// regions that are not UTF-8 as GB18030, Big5 and UTF-16. UTF-8 text with a
// few stray bytes is read by the same decoder (utf8WithStrayBytes).

/** Bytes Windows-1252 leaves undefined (WHATWG maps them to C1 controls). */
const UNDEFINED = new Uint8Array(256);
for (const b of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) UNDEFINED[b] = 1;
/** C0 controls that text holds: tab, line feed, vertical tab, form feed, carriage return, ESC (as text-encoding.ts counts them). */
const TEXT_CONTROL = new Uint8Array(32);
for (const b of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b]) TEXT_CONTROL[b] = 1;

/** Is `head` (the first bytes of content, neither UTF-8 nor GB18030) text in a single-byte Western encoding? */
export function westernText(head: Uint8Array): boolean {
  let high = 0;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b >= 0x80) {
      high++;
      control += UNDEFINED[b]!;
    } else if (b === 0) return false;
    else if ((b < 0x20 && TEXT_CONTROL[b] === 0) || b === 0x7f) control++;
  }
  return high > 0 && control * 100 <= head.length && high * 4 <= head.length && entropy(head) <= MAX_ENTROPY;
}

/**
 * Bits a byte (order 0) past which bytes are no text: prose in a Latin
 * alphabet has 4-5, base64 6; random bytes drawn from printable ASCII and the
 * high half have over 7 (an encryption written to pass this test).
 */
const MAX_ENTROPY = 6.5;

function entropy(b: Uint8Array): number {
  const counts = new Uint32Array(256);
  for (let i = 0; i < b.length; i++) counts[b[i]!]!++;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / b.length) * Math.log2(c / b.length);
  return h;
}

/**
 * Does `head`, which GB18030 decodes, read as Western text rather than
 * Chinese? A German letter followed by an ASCII letter (Mü, ße) is a valid
 * GB18030 pair, so Latin-1 German decodes; but then the trail bytes are ASCII,
 * which GB2312's characters (the bulk of any Chinese text: rows A1-F7, trail
 * A1-FE) never have and Big5's have in some two characters in five. Three
 * pairs in four with an ASCII trail is Western text.
 */
export function westernNotChinese(head: Uint8Array): boolean {
  let pairs = 0;
  let asciiTrail = 0;
  for (let i = 0; i + 1 < head.length; i++) {
    const b = head[i]!;
    if (b < 0x81 || b === 0xff) continue;
    const t = head[i + 1]!;
    // A four-byte sequence (lead, 30-39, lead, 30-39) is no pair.
    if (t >= 0x30 && t <= 0x39) {
      i += 3;
      continue;
    }
    pairs++;
    if (t < 0x80) asciiTrail++;
    i++;
  }
  return pairs > 0 && asciiTrail * 4 >= pairs * 3 && westernText(head);
}

/**
 * Each byte's character in Windows-1252, the undefined five as C1 controls (as
 * WHATWG's decoder has them). From iconv-lite: Node 20's TextDecoder for
 * 'windows-1252' decodes Latin-1 (0x93 as U+0093, not “).
 */
/** Single-byte code pages read so: Western, and Cyrillic and Greek text (letters in the high half). */
export type SingleByte = 'windows-1252' | 'windows-1251' | 'koi8-r' | 'iso-8859-7';

/** Each byte's character in the code page (iconv-lite's tables), a byte it leaves undefined as itself (a C1 control). */
function unitsOf(page: SingleByte): Uint16Array {
  const s = iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), page === 'windows-1252' ? 'cp1252' : page);
  return Uint16Array.from({ length: 256 }, (_, i) => (s.charCodeAt(i) === 0xfffd ? i : s.charCodeAt(i)));
}
const PAGES = new Map<SingleByte, Uint16Array>((['windows-1252', 'windows-1251', 'koi8-r', 'iso-8859-7'] as const).map((p) => [p, unitsOf(p)]));

/** Characters of a single-byte code page beyond Latin-1 (€, ‘, “, –, Cyrillic, Greek): one byte each in the source (text-encoding.ts byteWidths). */
export function pageSpecials(page: SingleByte): number[] {
  return [...PAGES.get(page)!].filter((u) => u > 0xff);
}

/** Letters of Russian and of Greek, most frequent first: the code page whose high bytes are these is the text's. */
const COMMON: Array<[SingleByte, string]> = [
  ['windows-1251', 'оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё'],
  ['koi8-r', 'оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё'],
  ['iso-8859-7', 'αοετιν σρυκμπηλάέίόύώδγχθφβζξψω'.replace(' ', '')],
];

/**
 * Is `head` (neither UTF-8, GB18030 nor Western text) Cyrillic or Greek in a single-byte code page, and in
 * which? Text as westernText tells it (no NUL, a control in 100 bytes at most, 6.5 bits a byte at most), its
 * high bytes more than one in four (letters), in words: a run of them is ended by ASCII (a space, a
 * punctuation mark) within 24 bytes, and the lower-case letters a language uses most are three in four of
 * them in the page chosen (cp1251 and KOI8-R place Russian's apart; Greek in ISO-8859-7 or Windows-1253).
 */
export function cyrillicOrGreek(head: Uint8Array): SingleByte | null {
  let high = 0;
  let control = 0;
  let run = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b >= 0x80) {
      high++;
      if (++run > 24) return null;
      continue;
    }
    run = 0;
    if (b === 0) return null;
    if ((b < 0x20 && TEXT_CONTROL[b] === 0) || b === 0x7f) control++;
  }
  if (high * 4 <= head.length || control * 100 > head.length || entropy(head) > MAX_ENTROPY) return null;
  let best: SingleByte | null = null;
  let bestCount = 0;
  for (const [page, letters] of COMMON) {
    const units = PAGES.get(page)!;
    const want = new Set([...letters].map((c) => c.charCodeAt(0)));
    let n = 0;
    for (let i = 0; i < head.length; i++) if (head[i]! >= 0x80 && want.has(units[head[i]!]!)) n++;
    if (n > bestCount) [best, bestCount] = [page, n];
  }
  return bestCount * 4 >= high * 3 ? best : null;
}


/**
 * Length of the UTF-8 sequence that starts at b[i] (a byte of 80 or more):
 * 2-4 when it is valid (RFC 3629 §4: no overlong form, no surrogate, nothing
 * past U+10FFFF), -1 when it is valid so far but cut by the end of b, 0 when it
 * is not UTF-8.
 */
function utf8Length(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (len === 0) return 0;
  // The second byte's range is narrower after E0, ED, F0 and F4.
  const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
  const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
  for (let k = 1; k < len; k++) {
    if (i + k >= b.length) return -1;
    const x = b[i + k]!;
    if (k === 1 ? x < lo || x > hi : (x & 0xc0) !== 0x80) return 0;
  }
  return len;
}

/**
 * Is `head` (not valid UTF-8) UTF-8 text with a few stray bytes? Valid
 * multi-byte sequences twice as many as the bytes of 80 or more in none:
 * GBK, Big5 and EUC-KR text, which UTF-8 reads as a few sequences by chance,
 * has 3 to 6 stray bytes a sequence. (Junk in front of UTF-8: a base64 run
 * of a UTF-8 memo after digits or other characters decodes so.) Such a head may decode as GB18030
 * too (a stray pair in front, the UTF-8 bytes pairing up after it), and its
 * UTF-8 was then read as GB18030: a marking in it was missed. It is read by
 * the decoder below, which reads its UTF-8 as UTF-8.
 */
export function utf8WithStrayBytes(head: Uint8Array): boolean {
  let sequences = 0;
  let stray = 0;
  for (let i = 0; i < head.length; ) {
    if (head[i]! < 0x80) {
      i++;
      continue;
    }
    const len = utf8Length(head, i);
    if (len < 0) break;
    if (len === 0) {
      stray++;
      i++;
    } else {
      sequences++;
      i += len;
    }
  }
  return sequences >= 8 && stray * 2 <= sequences;
}

/**
 * A streaming decoder (TextDecoder's decode(chunk, { stream })): UTF-8 where the bytes are UTF-8, the single-byte
 * code page elsewhere (Windows-1252 unless told: a UTF-8 marking in Cyrillic text is read as written too).
 */
export class WesternDecoder {
  /** The start of a UTF-8 sequence cut by the end of the last chunk (at most 3 bytes). */
  #carry: Uint8Array | null = null;
  #units: Uint16Array;

  constructor(page: SingleByte = 'windows-1252') {
    this.#units = PAGES.get(page)!;
  }

  decode(chunk?: Uint8Array, o?: { stream?: boolean }): string {
    let b: Uint8Array = chunk ?? new Uint8Array(0);
    if (this.#carry) {
      const all = new Uint8Array(this.#carry.length + b.length);
      all.set(this.#carry);
      all.set(b, this.#carry.length);
      b = all;
      this.#carry = null;
    }
    if (isAscii(b)) return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
    const stream = o?.stream === true;
    // UTF-16LE written byte by byte (whatever the machine's byte order): at most one code unit a byte.
    const out = Buffer.allocUnsafe(b.length * 2);
    let n = 0;
    const unit = (u: number): void => {
      out[n++] = u & 0xff;
      out[n++] = u >> 8;
    };
    for (let i = 0; i < b.length; ) {
      const c = b[i]!;
      if (c < 0x80) {
        out[n++] = c;
        out[n++] = 0;
        i++;
        continue;
      }
      const len = utf8Length(b, i);
      if (len < 0 && stream) {
        this.#carry = b.slice(i);
        break;
      }
      if (len <= 0) {
        unit(this.#units[c]!);
        i++;
        continue;
      }
      let cp = len === 2 ? c & 0x1f : len === 3 ? c & 0x0f : c & 0x07;
      for (let k = 1; k < len; k++) cp = (cp << 6) | (b[i + k]! & 0x3f);
      if (cp >= 0x10000) {
        unit(0xd800 + ((cp - 0x10000) >> 10));
        unit(0xdc00 + ((cp - 0x10000) & 0x3ff));
      } else unit(cp);
      i += len;
    }
    return out.toString('utf16le', 0, n);
  }
}
