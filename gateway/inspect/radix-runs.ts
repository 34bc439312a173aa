import { a85Bytes, bigRadixBytes, radixTable } from './radix-tokens.js';

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
// UUIDs and keys are made of these alphabets too: what they decode to is
// random bytes, which the caller's test (text, or for Ascii85 and Z85 a
// compressed stream) refuses, so each costs one failed try; a run is tried
// once, however many places in it the caller is sent to.

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

const isA85 = (c: number): boolean => c >= 0x21 && c <= 0x75;
const isZ85 = (c: number): boolean => c < 128 && Z85[c]! >= 0;
const isKeyEnd = (c: number): boolean => c === 0x3d || c === 0x3a || c === 0x22 || c === 0x27;

/** Bytes a reading decoded: taken (text, or compressed data the caller reads) or not. */
export type TakeBytes = (b: Buffer, compressed: boolean) => boolean;

/** The alphanumeric token s[a, e) in base62 (either order) and, of one case, base36: the first decoding `take` takes wins; false when none does. */
export function bigRadixToken(s: string, a: number, e: number, take: TakeBytes): boolean {
  if (e - a < MIN_RUN) return false;
  let upper = false;
  let lower = false;
  for (let i = a; i < e; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) upper = true;
    else if (c >= 0x61 && c <= 0x7a) lower = true;
    else if (c < 0x30 || c > 0x39) return false;
  }
  for (const [table, radix] of upper !== lower ? [[B36, 36] as const] : [[B62, 62] as const, [B62_LOWER_FIRST, 62] as const]) {
    const b = bigRadixBytes(s, a, e, table, radix);
    if (b !== null && take(b, false)) return true;
  }
  return false;
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

/** The run of `is` characters around `at` in s[floor, end), lines of MIN_LINE or more joined: [start, end). */
function runAround(s: string, at: number, floor: number, end: number, is: (c: number) => boolean): [number, number] {
  let a = at;
  for (;;) {
    while (a > floor && at - a < MAX_RUN && is(s.charCodeAt(a - 1))) a--;
    // The line before, when this one is a full line of the run and so is that one.
    const lb = a > floor && s.charCodeAt(a - 1) === 0x0a ? (s.charCodeAt(a - 2) === 0x0d ? 2 : 1) : 0;
    if (lb === 0 || a - lb <= floor || !is(s.charCodeAt(a - lb - 1))) break;
    let p = a - lb;
    while (p > floor && a - p < MIN_LINE + lb && is(s.charCodeAt(p - 1))) p--;
    if (a - lb - p < MIN_LINE) break;
    a = p;
  }
  let e = at;
  for (;;) {
    while (e < end && e - a < MAX_RUN && is(s.charCodeAt(e))) e++;
    // The next line, when this one is a full line of the run.
    const lb = s.charCodeAt(e) === 0x0a ? 1 : s.charCodeAt(e) === 0x0d && s.charCodeAt(e + 1) === 0x0a ? 2 : 0;
    if (lb === 0 || e + lb >= end || !is(s.charCodeAt(e + lb)) || e - Math.max(a, lineBegin(s, e, floor)) < MIN_LINE) break;
    e += lb;
  }
  return [a, e];
}

/** Where the line holding position e starts (not before floor). */
function lineBegin(s: string, e: number, floor: number): number {
  const nl = s.lastIndexOf('\n', e - 1);
  return Math.max(floor, nl + 1);
}

export class PunctRuns {
  /** The string and the end of the last run tried in it: a run is tried once. */
  #in = '';
  #tried = -1;

  /** Ascii85 without delimiters, then Z85, around `at`: the run's end when `take` took a decoding, else 0. */
  read(s: string, at: number, floor: number, end: number, take: TakeBytes): number {
    if (s !== this.#in) {
      this.#in = s;
      this.#tried = -1;
    }
    if (at < this.#tried) return 0;
    const [a, e] = runAround(s, at, floor, end, isA85);
    const [za, ze] = runAround(s, at, floor, end, isZ85);
    this.#tried = Math.max(e, ze);
    for (const from of starts(s, a, e)) {
      const b = a85Bytes(s, from, trimQuote(s, from, e));
      if (b !== null && b.length >= 8 && take(b, true)) return e;
    }
    for (const from of starts(s, za, ze)) {
      const b = z85Bytes(s, from, trimQuote(s, from, ze));
      if (b !== null && b.length >= 8 && take(b, true)) return ze;
    }
    return 0;
  }
}

/** Where a run's payload may start: its start, and after each key's end among its first characters. */
function starts(s: string, a: number, e: number): number[] {
  if (e - a < MIN_RUN) return [];
  const out = [a];
  for (let i = a; i < a + MAX_KEY && i < e - MIN_RUN; i++) if (isKeyEnd(s.charCodeAt(i))) out.push(i + 1);
  return out;
}

/** A closing quote at the run's end belongs to a string around it. */
function trimQuote(s: string, a: number, e: number): number {
  const q = s.charCodeAt(a - 1);
  return (q === 0x22 || q === 0x27) && s.charCodeAt(e - 1) === q ? e - 1 : e;
}
