import { a85Bytes, bigRadixBytes, radixTable } from './radix-tokens.js';
import { bytesAsText } from '../text/byte-text.js';

// Further radixes (second red team, 30 November), tried where text-tokens.ts
// found a token that no other reading decoded:
//   base62   the token as one big number, 0-9A-Za-z (base-x, Python's
//            base62) or 0-9a-zA-Z (Go's big.Int.Text(62), GMP)
//   base36   BigInt#toString(36), Java's toString(36): one case throughout
//   Ascii85  without <~ ~> (Python's a85encode, adobe=False): the run of
//            '!'…'u' around the token, the lines of a wrapped run joined
//   Z85      ZeroMQ's (RFC 32: 0-9a-zA-Z and .-:+=^!/*?&<>()[]{}@%$#), a
//            multiple of five characters, NUL padding dropped
// A run may start with a key (`k=`, `"z":"`): it is also read from after
// each '=', ':' or quote among its first characters. Identifiers, hashes,
// UUIDs, keys and code are made of these alphabets too, so each reading is
// tried only where the characters are mixed as an encoder's are (`measure`:
// class changes, digits, capitals, and for Ascii85 and Z85 one of
// !#$%&*+<>?@^ near), a run once however many places in it the caller is
// sent to, and what it decodes to is read only when it is text by
// `radixText` (stricter than byte-text.ts) or, for Ascii85 and Z85, a
// compressed stream. The cost on pdf.js's worker and the bench's formats is
// in the commit messages.

const B62 = radixTable('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
const B62_LOWER_FIRST = radixTable('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
const B36 = radixTable('0123456789abcdefghijklmnopqrstuvwxyz', true);
const Z85 = radixTable('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#');

/** Shortest token or run tried: 8 bytes. */
const MIN_RUN = 10;
const MAX_RUN = 64 * 1024;
/** A line of a wrapped run is at least this long (encoders wrap at 60 to 76). */
const MIN_LINE = 40;
/** How far into a run a key may end. */
const MAX_KEY = 24;

/** Character classes as tables (a table look-up in the loops below, not a call through a parameter). */
type CharSet = Uint8Array;
function charSet(test: (c: number) => boolean): CharSet {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = test(c) ? 1 : 0;
  return t;
}
const A85_SET = charSet((c) => c >= 0x21 && c <= 0x75);
const Z85_SET = charSet((c) => Z85[c]! >= 0);
const has = (t: CharSet, c: number): boolean => c < 128 && t[c] === 1;
const isKeyEnd = (c: number): boolean => c === 0x3d || c === 0x3a || c === 0x22 || c === 0x27;

/**
 * The text that bytes decoded from these radixes are, or null: stricter than
 * byte-text.ts, as they are tried on identifiers and code by the thousand
 * and a chance decoding, read one view down, costs a view (and at the depth
 * limit, a refusal: pdf.js's worker was refused `decode-depth` so). ASCII,
 * UTF-8 or GB2312 (not UTF-16 without a BOM, which random bytes pass one
 * time in a few hundred), and then either two CJK characters or symbols
 * (what a marking is written with) or, all ASCII, four in five of them
 * letters, digits or spaces (an id number, a line of a form).
 */
export function radixText(b: Buffer): string | null {
  const t = bytesAsText(b);
  if (t === null) return null;
  let cjk = 0;
  let plain = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0x2460) cjk++;
    else if (c === 0x20 || (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) plain++;
  }
  return cjk >= 2 || (cjk === 0 && plain >= 0.8 * t.length) ? t : null;
}

/** Bytes a reading decoded: taken (text, or compressed data the caller reads) or not. */
export type TakeBytes = (b: Buffer, compressed: boolean) => boolean;

/**
 * What a run is made of, to tell an encoder's output from words: digits,
 * capitals, small letters, the rarer punctuation (!#$%&()*+<>?@[]^{}), and
 * how often the class changes from one character to the next. Encoded
 * random bytes change class at about two characters in three (Ascii85, Z85,
 * base62) or two in five (base36); identifiers and words hold runs of small
 * letters (`getElementById` changes at 4 of 13).
 */
const shape = { digits: 0, upper: 0, lower: 0, rare: 0, changes: 0 };

/** Each ASCII character's class for `measure`: 0 digit, 1 capital, 2 small letter, 3 other, 4 rarer punctuation, 5 line break. */
const CLASS = new Uint8Array(128).fill(3);
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = 0;
for (let c = 0x41; c <= 0x5a; c++) CLASS[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = 2;
for (const c of '!#$%&()*+<>?@[]^{}') CLASS[c.charCodeAt(0)] = 4;
CLASS[0x0a] = CLASS[0x0d] = 5;
/** The last run measured: the readings of one token ask about it in turn. */
let measuredS = '';
let measuredA = -1;
let measuredE = -1;

function measure(s: string, a: number, e: number): typeof shape {
  if (measuredA === a && measuredE === e && measuredS === s) return shape;
  measuredS = s;
  measuredA = a;
  measuredE = e;
  shape.digits = shape.upper = shape.lower = shape.rare = shape.changes = 0;
  let prev = -1;
  for (let i = a; i < e; i++) {
    const c = s.charCodeAt(i);
    let k = c < 128 ? CLASS[c]! : 3;
    if (k === 5) continue;
    if (k === 0) shape.digits++;
    else if (k === 1) shape.upper++;
    else if (k === 2) shape.lower++;
    else if (k === 4) {
      shape.rare++;
      k = 3;
    }
    if (prev >= 0 && k !== prev) shape.changes++;
    prev = k;
  }
  return shape;
}

/** The alphanumeric token s[a, e) in base62 (either order) and, of one case, base36: the first decoding `take` takes wins; false when none does. */
export function bigRadixToken(s: string, a: number, e: number, take: TakeBytes): boolean {
  const n = e - a;
  if (n < MIN_RUN) return false;
  const m = measure(s, a, e);
  if (m.rare > 0 || m.digits + m.upper + m.lower !== n) return false;
  const b36 = m.upper === 0 || m.lower === 0;
  // (Thresholds below what encoded text of 8 bytes or more shows; see `measure`.)
  if (b36 ? m.digits < 2 || m.digits === n || m.changes < 0.25 * (n - 1) : m.digits < 1 || m.upper < 2 || m.lower < 2 || m.changes < 0.4 * (n - 1)) return false;
  // Identifiers repeat (Uint8Array, twoDimVert0): one that did not decode does not again.
  const key = s.slice(a, e);
  if (FAILED.has(key)) return false;
  for (const [table, radix] of b36 ? BASE36 : BASE62) {
    const b = bigRadixBytes(s, a, e, table, radix);
    if (b !== null && take(b, false)) return true;
  }
  if (FAILED.size >= MAX_FAILED) FAILED.clear();
  FAILED.add(key);
  return false;
}
const FAILED = new Set<string>();
const MAX_FAILED = 4096;
const BASE36 = [[B36, 36]] as const;
const BASE62 = [[B62, 62], [B62_LOWER_FIRST, 62]] as const;

/**
 * One of !#$%&*+<>?@^ within NEAR of `at`: Ascii85 and Z85 hold one every
 * seven characters, most code and prose none so close (brackets, which code
 * is full of, do not count here). A first look, before a run is measured;
 * two were asked at first, and missed one short Ascii85 payload in four.
 */
function rareNear(s: string, at: number, floor: number, end: number): boolean {
  for (let i = Math.max(floor, at - NEAR), e = Math.min(end, at + NEAR); i < e; i++) if (has(WITNESS, s.charCodeAt(i))) return true;
  return false;
}
const NEAR = 12;

/** Is the token s[a, e) a piece of a longer run with one of !#$%&*+<>?@^ within five characters of its ends? (the token reader's look, where its trigger saw a token) */
export function edgeOfRun(s: string, a: number, e: number, end: number): boolean {
  if (!has(RUN_SET, s.charCodeAt(a - 1)) && !has(RUN_SET, s.charCodeAt(e))) return false;
  for (let i = Math.max(0, a - 5); i < a; i++) if (has(WITNESS, s.charCodeAt(i))) return true;
  for (let i = e, z = Math.min(end, e + 5); i < z; i++) if (has(WITNESS, s.charCodeAt(i))) return true;
  return false;
}
const WITNESS = new Uint8Array(128);
for (const c of '!#$%&*+<>?@^') WITNESS[c.charCodeAt(0)] = 1;

/** Is s[a, e) (padding aside) shaped like a radix of letters and digits (base32hex, base36, Punycode) of something: only letters and digits, two or more of each, changing class at one character in four or more? (a path, a word or `user123456` is not) */
export function radixShaped(s: string, a: number, e: number): boolean {
  while (e > a && s.charCodeAt(e - 1) === 0x3d) e--; // padding
  const m = measure(s, a, e);
  return m.digits >= 2 && m.upper + m.lower >= 2 && m.digits + m.upper + m.lower === e - a && m.changes >= 0.25 * (e - a - 1);
}

/** Is s[a, e) shaped like base58, base62 or base45 of something: capitals, small letters and digits mixed? (the test before such a token is tried as compressed data) */
export function mixedToken(s: string, a: number, e: number): boolean {
  const m = measure(s, a, e);
  return e - a >= 16 && m.digits >= 1 && m.upper >= 2 && m.lower >= 2 && m.changes >= 0.4 * (e - a - 1);
}

/** Is s[a, e) shaped like Ascii85 or Z85 of something (not code or words)? */
function looksEncoded(s: string, a: number, e: number): boolean {
  const m = measure(s, a, e);
  return m.rare >= 2 && m.changes >= 0.45 * (e - a - 1);
}

/** s[a, e) as Z85's bytes (a multiple of five characters), NUL padding dropped; null when it is not Z85. */
export function z85Bytes(s: string, a: number, e: number): Buffer | null {
  if ((e - a) % 5 !== 0) return null;
  const out = Buffer.alloc(((e - a) / 5) * 4);
  let o = 0;
  for (let i = a; i < e; i += 5) {
    let v = 0;
    for (let k = i; k < i + 5; k++) {
      const c = s.charCodeAt(k);
      const d = c < 128 ? Z85[c]! : -1;
      if (d < 0) return null;
      v = v * 85 + d;
    }
    if (v > 0xffffffff) return null;
    out.writeUInt32BE(v, o);
    o += 4;
  }
  let n = out.length;
  while (n > out.length - 4 && n > 0 && out[n - 1] === 0) n--;
  return out.subarray(0, n);
}

/** Characters of an Ascii85 or Z85 run: printable ASCII but the space and '~' (so that `~>` is never cut from its block). */
export const RUN_SET = charSet((c) => c > 0x20 && c < 0x7e);
export const isRunChar = (c: number): boolean => has(RUN_SET, c);

/** Where the run of `is` characters that reaches `at` starts in s[floor, …): the lines before it joined when each is MIN_LINE or longer. */
export function runBack(s: string, at: number, floor: number, set: CharSet): number {
  let a = at;
  for (;;) {
    while (a > floor && at - a < MAX_RUN && has(set, s.charCodeAt(a - 1))) a--;
    const lb = a > floor && s.charCodeAt(a - 1) === 0x0a ? (s.charCodeAt(a - 2) === 0x0d ? 2 : 1) : 0;
    if (lb === 0 || a - lb <= floor || !has(set, s.charCodeAt(a - lb - 1))) return a;
    let p = a - lb;
    while (p > floor && a - lb - p < MIN_LINE && has(set, s.charCodeAt(p - 1))) p--;
    if (a - lb - p < MIN_LINE) return a;
    a = p;
  }
}

/**
 * Where a chunk's text should be held back to, from k (where the token
 * reader would hold it back): to the start of the Ascii85 or Z85 run that
 * reaches k, its lines joined, when it or the tail after it holds one of
 * !#$%&*+<>?@^ and it starts after `floor`; else k (a list or hex pairs
 * apart before it stay whole).
 */
export function runTail(s: string, k: number, floor: number): number {
  const r = runBack(s, k, floor, RUN_SET);
  // (At `floor` when floor is not the text's start: the run may go back further than a tail.)
  if (r === k || (r <= floor && floor > 0)) return k;
  for (let i = r; i < s.length; i++) if (has(WITNESS, s.charCodeAt(i))) return r;
  return k;
}

/** The run of `set`'s characters around `at` in s[floor, end), lines of MIN_LINE or more joined: [start, end) (one array, reused). */
const around: [number, number] = [0, 0];
function runAround(s: string, at: number, floor: number, end: number, set: CharSet): [number, number] {
  const a = runBack(s, at, floor, set);
  let e = at;
  for (;;) {
    while (e < end && e - a < MAX_RUN && has(set, s.charCodeAt(e))) e++;
    // The next line, when this one is a full line of the run.
    const lb = s.charCodeAt(e) === 0x0a ? 1 : s.charCodeAt(e) === 0x0d && s.charCodeAt(e + 1) === 0x0a ? 2 : 0;
    if (lb === 0 || e + lb >= end || !has(set, s.charCodeAt(e + lb)) || e - Math.max(a, s.lastIndexOf('\n', e - 1) + 1) < MIN_LINE) {
      around[0] = a;
      around[1] = e;
      return around;
    }
    e += lb;
  }
}

export class PunctRuns {
  /** The end of the last run tried in the text being read: a run is tried once. */
  #tried = -1;

  /** A new text is being read. */
  reset(): void {
    this.#tried = -1;
  }

  /**
   * Ascii85 without delimiters, then Z85, around `at`: the run's end when
   * `take` took a decoding, else 0. A run goes back past where the caller's
   * other readings have got to (a piece of it may have read as a token):
   * only to the end of the last run tried.
   */
  read(s: string, at: number, end: number, take: TakeBytes): number {
    const floor = Math.max(0, this.#tried);
    if (at < this.#tried || !rareNear(s, at, floor, end)) return 0;
    const [a, e] = runAround(s, at, floor, end, A85_SET);
    const [za, ze] = runAround(s, at, floor, end, Z85_SET);
    this.#tried = Math.max(e, ze);
    // The longer run first: a piece of a Z85 run is Ascii85 too (and may read as text by chance), and the other way round.
    const a85 = e - a >= MIN_RUN && looksEncoded(s, a, e);
    const z85 = ze - za >= MIN_RUN && looksEncoded(s, za, ze);
    if (z85 && ze - za > e - a) return this.#z85(s, za, ze, take) || (a85 ? this.#a85(s, a, e, take) : 0);
    return (a85 ? this.#a85(s, a, e, take) : 0) || (z85 ? this.#z85(s, za, ze, take) : 0);
  }

  #z85(s: string, a: number, e: number, take: TakeBytes): number {
    for (let from = a; from >= 0; from = nextStart(s, from, a, e)) {
      const b = z85Bytes(s, from, trimQuote(s, from, e));
      if (b !== null && b.length >= 8 && take(b, true)) return e;
    }
    return 0;
  }

  #a85(s: string, a: number, e: number, take: TakeBytes): number {
    for (let from = a; from >= 0; from = nextStart(s, from, a, e)) {
      const b = a85Bytes(s, from, trimQuote(s, from, e));
      if (b !== null && b.length >= 8 && take(b, true)) return e;
    }
    // A long run may have been cut by a chunk's end: read from each of the five places a group may start, its text's ends trimmed.
    for (let k = 1; k < 5 && e - a >= 2 * MIN_LINE; k++) {
      const b = a85Bytes(s, skipRun(s, a, k), e);
      if (b !== null && take(trimUtf8(b), false)) return e;
    }
    return 0;
  }
}

/** After k run characters from a (line breaks passed over). */
function skipRun(s: string, a: number, k: number): number {
  while (k > 0) if (isRunChar(s.charCodeAt(a++))) k--;
  return a;
}

/** b without a UTF-8 sequence cut at either end. */
function trimUtf8(b: Buffer): Buffer {
  let a = 0;
  while (a < 3 && a < b.length && (b[a]! & 0xc0) === 0x80) a++;
  let e = b.length;
  for (let k = 1; k <= 3 && e - k >= a; k++) {
    const c = b[e - k]!;
    if ((c & 0xc0) === 0x80) continue;
    if (c >= 0xc0 && (c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2) > k) e -= k;
    break;
  }
  return b.subarray(a, e);
}

/** Where a run [a, e)'s payload may start after `from`: after the next key's end among its first characters, else -1. */
function nextStart(s: string, from: number, a: number, e: number): number {
  for (let i = from; i < a + MAX_KEY && i < e - MIN_RUN; i++) if (isKeyEnd(s.charCodeAt(i))) return i + 1;
  return -1;
}

/** A closing quote at the run's end belongs to a string around it. */
function trimQuote(s: string, a: number, e: number): number {
  const q = s.charCodeAt(a - 1);
  return (q === 0x22 || q === 0x27) && s.charCodeAt(e - 1) === q ? e - 1 : e;
}
