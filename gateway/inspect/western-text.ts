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
// 3 %, Hungarian and Icelandic under 10 %). Text of the other single-byte
// encodings with letters in the high half (Cyrillic, Greek) is past that share
// and stays unknown binary, as before.
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
const CP1252 = iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), 'cp1252');
const UNITS = Uint16Array.from({ length: 256 }, (_, i) => (CP1252.charCodeAt(i) === 0xfffd ? i : CP1252.charCodeAt(i)));

/** Characters of Windows-1252 beyond Latin-1 (€, ‘, ’, “, ”, –, …): one byte each in the source (text-encoding.ts byteWidths). */
export const CP1252_SPECIALS: readonly number[] = [...UNITS].filter((u) => u > 0xff);

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

/** A streaming decoder (TextDecoder's decode(chunk, { stream })): UTF-8 where the bytes are UTF-8, Windows-1252 elsewhere. */
export class WesternDecoder {
  /** The start of a UTF-8 sequence cut by the end of the last chunk (at most 3 bytes). */
  #carry: Uint8Array | null = null;

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
        unit(UNITS[c]!);
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
