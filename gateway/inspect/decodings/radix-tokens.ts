import { decodedText } from '../text/byte-text.js';

// Tokens in the further radixes a sender's tools write (red team, 30
// November), decoded and read when their bytes are text (byte-text.ts):
//   Ascii85   between <~ and ~> (Adobe, Python's a85encode(adobe=True),
//             btoa), 'z' for four zero bytes; 64 bytes or more that are not
//             text are inspected as content of their own; a bare Ascii85 token (no
//             delimiters) is not looked for: every word of prose is one
//   base58    Bitcoin's alphabet (no 0, O, I, l), leading '1's as zero bytes;
//             an address or a key decodes to random bytes and is not read
//   base45    RFC 9285 (EU health certificates, `HC1:`): three characters
//             for two bytes, upper case, digits and ` $%*+-./:`
// Each is tried only where text-tokens.ts found a token (base58, base45) or
// where `<~` is (a native search).

const MAX_A85 = 64 * 1024;
const MAX_B58 = 256;
/** Ascii85 of this many bytes that are not text is inspected as content (like a hex sequence). */
const MIN_CONTENT = 64;

/** The Ascii85 block that opens at `at` (`<~`) in s: its decoding (text, or bytes to inspect as content) with where it ends; null when it is not one. */
export function ascii85At(s: string, at: number, end: number): { text: string; end: number } | { content: Buffer; end: number } | { bytes: Buffer; end: number } | null {
  const close = s.indexOf('~>', at + 2);
  if (close < 0 || close > end || close - at > MAX_A85) return null;
  const b = a85Bytes(s, at + 2, close);
  if (b === null) return null;
  const t = decodedText(b);
  if (t !== null) return { text: t, end: close + 2 };
  // Not text, and long enough to be a file (PostScript image data, a document): content of its own; shorter, perhaps compressed.
  return b.length >= MIN_CONTENT ? { content: Buffer.from(b), end: close + 2 } : { bytes: b, end: close + 2 };
}

/** Where Ascii85 is decoded (grown as needed): a85Bytes returns a view of it, valid until its next call. */
let a85Out = new Uint8Array(1024);

/** s[a, e) as Ascii85 ('z' for four zero bytes, white space skipped, a last group of n characters for n - 1 bytes); null when it is not. The bytes are a view, valid until the next call: copy what is kept. */
export function a85Bytes(s: string, a: number, e: number): Buffer | null {
  if (a85Out.length < (e - a) * 4 + 4) a85Out = new Uint8Array((e - a) * 4 + 4);
  const out = a85Out;
  let o = 0;
  let acc = 0;
  let n = 0;
  for (let i = a; i < e; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c === 0x7a && n === 0) {
      out.fill(0, o, o + 4);
      o += 4;
      continue;
    }
    if (c < 0x21 || c > 0x75) return null;
    acc = acc * 85 + (c - 0x21);
    if (++n === 5) {
      if (acc > 0xffffffff) return null;
      out[o++] = acc >>> 24;
      out[o++] = (acc >>> 16) & 0xff;
      out[o++] = (acc >>> 8) & 0xff;
      out[o++] = acc & 0xff;
      acc = 0;
      n = 0;
    }
  }
  if (n === 1) return null;
  if (n > 1) {
    // A final group of n characters carries n - 1 bytes: padded with 'u' (84).
    for (let k = n; k < 5; k++) acc = acc * 85 + 84;
    for (let k = 0; k < n - 1; k++) out[o++] = (acc >>> (24 - 8 * k)) & 0xff;
  }
  return Buffer.from(out.buffer, out.byteOffset, o);
}

/** A decoding table: each character's digit value, -1 for the others. */
export function radixTable(alphabet: string, anyCase = false): Int8Array {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) {
    const c = alphabet.charCodeAt(i);
    t[c] = i;
    if (anyCase) t[String.fromCharCode(c).toUpperCase().charCodeAt(0)] = i;
  }
  return t;
}

const B58 = radixTable('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz');

/** s[a, e) as base58 when it is all base58 and its bytes are text, else null. */
export function base58Text(s: string, a: number, e: number): string | null {
  const b = base58Bytes(s, a, e);
  return b && decodedText(b);
}

/** s[a, e) as base58's bytes (6 to MAX_B58 characters), else null. */
export function base58Bytes(s: string, a: number, e: number): Buffer | null {
  return e - a < 6 || e - a > MAX_B58 ? null : bigRadixBytes(s, a, e, B58, 58);
}

/**
 * s[a, e) as one big number written in `radix` with the digits of `table`
 * (base58, base62, base36: base-x, BigInt#toString, Go's big.Int.Text),
 * its bytes big-endian, each leading zero digit a zero byte (base-x's rule);
 * null when a character is not a digit. At most MAX_B58 characters: the
 * conversion is quadratic.
 */
export function bigRadixBytes(s: string, a: number, e: number, table: Int8Array, radix: number): Buffer | null {
  if (e - a > MAX_B58) return null;
  // Bytes little-endian while multiplying in.
  const bytes: number[] = [];
  let zeros = 0;
  for (let i = a; i < e; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? table[c]! : -1;
    if (v < 0) return null;
    if (v === 0 && bytes.length === 0) {
      zeros++;
      continue;
    }
    let carry = v;
    for (let k = 0; k < bytes.length; k++) {
      carry += bytes[k]! * radix;
      bytes[k] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const b = Buffer.alloc(zeros + bytes.length);
  for (let k = 0; k < bytes.length; k++) b[b.length - 1 - k] = bytes[k]!;
  return b;
}

const B45 = new Int8Array(128).fill(-1);
for (let i = 0; i < 45; i++) B45['0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'.charCodeAt(i)] = i;
export const isBase45 = (c: number): boolean => c < 128 && B45[c]! >= 0;

/** s[a, e) as base45 (RFC 9285 §4) when its bytes are text, else null. */
export function base45Text(s: string, a: number, e: number): string | null {
  const b = base45Bytes(s, a, e);
  return b && decodedText(b);
}

/** s[a, e) as base45's bytes, else null. */
export function base45Bytes(s: string, a: number, e: number): Buffer | null {
  const n = e - a;
  if (n < 6 || n % 3 === 1) return null;
  const out: number[] = [];
  for (let i = a; i < e; i += 3) {
    const c = B45[s.charCodeAt(i)]!;
    const d = B45[s.charCodeAt(i + 1)]!;
    if (i + 2 < e) {
      const v = c + d * 45 + B45[s.charCodeAt(i + 2)]! * 2025;
      if (v > 0xffff) return null;
      out.push(v >> 8, v & 0xff);
    } else {
      const v = c + d * 45;
      if (v > 0xff) return null;
      out.push(v);
    }
  }
  return Buffer.from(out);
}
