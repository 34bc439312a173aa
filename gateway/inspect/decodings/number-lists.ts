import { decodedText } from '../text/byte-text.js';

// Lists of numbers that are characters, standing alone (no brackets, no
// function call around them; those are code-point-views.ts's):
//   decimal code points   26426 23494 9733   26426,23494,9733
//   hex code points       0x673a,0x5bc6   0x673A 0x5BC6   u+673a u+5bc6
//   bytes                 230 156 186 …, 0xe6,0x9c,0xba (UTF-8, GBK…)
//   signed bytes          -26, -100, -70 … (Java's byte[]: Arrays.toString, a source's {…}, Kotlin byteArrayOf)
// A list is read when what it spells is text (byte-text.ts), or code points
// that are all printable and hold at least one CJK character or symbol (or
// eight ASCII characters: an id number spelt as its character codes).
// Places are found by a stride over the text (one look in four, then the
// number under it) and by native searches for "0x" and "u+".

const DEC = /-?[0-9]{1,7}/y;
const HEX = /0[xX]([0-9a-fA-F]{1,6})/y;
const UPLUS = /[uU]\+([0-9a-fA-F]{4,6})/y;
const SEP = /[ \t]*[,;][ \t]*|[ \t]{1,3}/y;
/** Longest list read (a longer one is read in pieces of this). */
const MAX_ITEMS = 4096;
/** A list of three numbers or more (16 characters: 26426 23494 9733) has an aligned window of six at this stride. */
const STRIDE = 10;

export type ListKind = 'dec' | 'hex' | 'uplus';

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** Can a list of this kind start at i? (not inside a word: "hex0x", "menu+") */
export function listStart(s: string, i: number): boolean {
  return i === 0 || !isJoiner(s.charCodeAt(i - 1));
}

/** A character that makes a number part of something else: a word, a decimal fraction, a date or time. */
const isJoiner = (c: number): boolean => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x2e || c === 0x5f || c === 0x2d || c === 0x2f || c === 0x3a;

function printable(n: number): boolean {
  if (n < 0x80) return (n >= 0x20 && n < 0x7f) || n === 0x0a || n === 0x0d || n === 0x09;
  return (n >= 0xa0 && n < 0xd800) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x3134f);
}

/** The numbers of a list at `a` and where it ends. */
export function parseList(s: string, a: number, end: number, kind: ListKind): { values: number[]; end: number } {
  const r = readItems(s, a, end, kind, MAX_ITEMS);
  return { values: r.values, end: r.ends.length ? r.ends[r.ends.length - 1]! : a };
}

/** Up to `max` numbers of a list at `a`: each one's value, start and end. */
function readItems(s: string, a: number, end: number, kind: ListKind, max: number): { values: number[]; starts: number[]; ends: number[] } {
  const values: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const item = kind === 'dec' ? DEC : kind === 'hex' ? HEX : UPLUS;
  let i = a;
  while (values.length < max && i < end) {
    item.lastIndex = i;
    const m = item.exec(s);
    if (!m || m.index + m[0].length > end) break;
    const e = m.index + m[0].length;
    if (e < end && isJoiner(s.charCodeAt(e)) && kind === 'dec') break;
    values.push(kind === 'dec' ? parseInt(m[0], 10) : parseInt(m[1]!, 16));
    // (A minus sign starts a number only at the list's start or after a separator: readItems steps over those.)
    starts.push(i);
    ends.push(e);
    SEP.lastIndex = e;
    const g = SEP.exec(s);
    if (!g || g[0].length === 0) break;
    i = e + g[0].length;
  }
  return { values, starts, ends };
}

/**
 * A Java or Kotlin byte is signed: UTF-8 printed as a byte[] (Arrays.toString, a log of a payload, an array
 * written in source) is -128…127, every byte of a Chinese character negative (机 is -26, -100, -70). Before
 * 1 December (seventh red team, R20) such a list crossed: its minus signs broke it. A list that holds a negative
 * number is read as bytes when every number is one (-128…127), as the unsigned list is; else it is no text.
 */
const signedByte = (v: number): boolean => v >= -128 && v <= 127;

/** What a list spells, or null when it is not text. */
export function listText(values: number[]): string | null {
  if (values.length < 2) return null;
  if (values.some((v) => v < 0)) return values.length >= 4 && values.every(signedByte) ? decodedText(Buffer.from(values.map((v) => v & 0xff))) : null;
  if (values.every((v) => v < 0x100) && values.some((v) => v >= 0x80)) return values.length >= 4 ? decodedText(Buffer.from(values)) : null;
  let wide = false;
  for (const v of values) {
    if (!printable(v)) return null;
    if (v >= 0x2000) wide = true;
  }
  if (!wide && values.length < 8) return null;
  return String.fromCodePoint(...values);
}

/**
 * The lists of one text, each parsed once. The token reader (text-tokens.ts)
 * asks at each number of a list that spells nothing for the list from there
 * on (a shorter list may: 1, 2, 26426, 23494 spells 机密 from its third
 * number), and parseList from each number made a list of n numbers cost n²:
 * a JSON array of numbers on one line, 256 KiB of it, took 20 CPU-s (a
 * C array of 0x bytes likewise). Here the list is parsed at the first ask and
 * every later ask at one of its numbers is answered from that parse, with the
 * same answer as parseList and listText from that number: the same numbers
 * (up to MAX_ITEMS from it), judged by where in them the first value of
 * each kind lies rather than by walking them.
 */
export class ListReader {
  #s = '';
  #end = -1;
  #kind: ListKind = 'dec';
  #starts: number[] = [];
  #ends: number[] = [];
  #values: number[] = [];
  /** For each index, the first index from it whose value is 0x100 or more, 0x80 or more, not printable, 0x2000 or more. */
  #big: Int32Array = new Int32Array(0);
  #high: Int32Array = new Int32Array(0);
  #unprintable: Int32Array = new Int32Array(0);
  #wide: Int32Array = new Int32Array(0);
  /** …the first index from it whose value is negative, and whose value is not a signed byte. */
  #negative: Int32Array = new Int32Array(0);
  #unsigned: Int32Array = new Int32Array(0);
  #bytes: Buffer | null = null;

  /** What the list of this kind at `a` in s (to `end`) spells and where it ends, or null: parseList then listText. */
  textAt(s: string, a: number, end: number, kind: ListKind): { text: string; end: number } | null {
    let j = s === this.#s && end === this.#end && kind === this.#kind ? this.#indexOf(a) : -1;
    const fresh = j < 0;
    if (fresh) {
      this.#parse(s, a, end, kind);
      j = 0;
    }
    const n = this.#values.length;
    const k = Math.min(n, j + MAX_ITEMS);
    if (k <= j) return null;
    // Asked once, a list is judged as listText judges it; asked again, from where its values lie.
    const t = fresh ? listText(k === n ? this.#values : this.#values.slice(0, k)) : this.#text(j, k);
    return t === null ? null : { text: t, end: this.#ends[k - 1]! };
  }

  /** The index of the number that starts at a, or -1. */
  #indexOf(a: number): number {
    const st = this.#starts;
    let lo = 0;
    let hi = st.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (st[mid]! === a) return mid;
      if (st[mid]! < a) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The whole list at a, as parseList reads it (without its bound on the count). */
  #parse(s: string, a: number, end: number, kind: ListKind): void {
    this.#s = s;
    this.#end = end;
    this.#kind = kind;
    const { values, starts, ends } = readItems(s, a, end, kind, Infinity);
    this.#values = values;
    this.#starts = starts;
    this.#ends = ends;
    this.#bytes = null;
    this.#judged = false;
  }

  #judged = false;

  /** Where the first value of each kind lies from each index (built at a list's second ask: most lists get one). */
  #judge(): void {
    this.#judged = true;
    const values = this.#values;
    const n = values.length;
    const next = (test: (v: number) => boolean): Int32Array => {
      const out = new Int32Array(n + 1);
      out[n] = n;
      for (let x = n - 1; x >= 0; x--) out[x] = test(values[x]!) ? x : out[x + 1]!;
      return out;
    };
    this.#big = next((v) => v >= 0x100);
    this.#high = next((v) => v >= 0x80);
    this.#unprintable = next((v) => !printable(v));
    this.#wide = next((v) => v >= 0x2000);
    this.#negative = next((v) => v < 0);
    this.#unsigned = next((v) => !signedByte(v));
  }

  /** listText of values[j, k). */
  #text(j: number, k: number): string | null {
    const len = k - j;
    if (len < 2) return null;
    if (!this.#judged) this.#judge();
    if (this.#negative[j]! < k) {
      if (len < 4 || this.#unsigned[j]! < k) return null;
      this.#bytes ??= Buffer.from(this.#values.map((v) => v & 0xff));
      return decodedText(this.#bytes.subarray(j, k));
    }
    if (this.#big[j]! >= k && this.#high[j]! < k) {
      if (len < 4) return null;
      // (Every value of these is a byte; decodedText reads the bytes and copies none it keeps.)
      this.#bytes ??= Buffer.from(this.#values.map((v) => v & 0xff));
      return decodedText(this.#bytes.subarray(j, k));
    }
    if (this.#unprintable[j]! < k) return null;
    if (this.#wide[j]! >= k && len < 8) return null;
    return String.fromCodePoint(...this.#values.slice(j, k));
  }
}

/** A minus sign that starts a number of a list: a digit after it, and nothing before it that joins it to a word or number. */
const signAt = (s: string, a: number): boolean => s.charCodeAt(a) === 0x2d && isDigit(s.charCodeAt(a + 1)) && (a === 0 || !isJoiner(s.charCodeAt(a - 1)));

/** The start of the next decimal list (16 characters or more, numbers of 1 to 7 digits apart), by a stride. */
export function nextDecimal(s: string, from: number, end: number): number {
  for (let k = from + STRIDE - 1; k < end; k += STRIDE) {
    // Within a list of 16 characters or more, six in a row are digits, minus signs and separators, one of them a separator.
    let i = k;
    let sep = false;
    for (; i < k + 6 && i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x2c || c === 0x3b || c === 0x09) sep = true;
      else if (!isDigit(c) && c !== 0x2d) break;
    }
    if (i < k + 6 || !sep) continue;
    let d = k;
    while (d < k + 6 && !isDigit(s.charCodeAt(d))) d++;
    let a = d;
    while (a > from && d - a < 7 && isDigit(s.charCodeAt(a - 1))) a--;
    let e = d + 1;
    while (e < end && e - a < 8 && isDigit(s.charCodeAt(e))) e++;
    if (e - a < 2 || e - a > 7 || (e < end && isJoiner(s.charCodeAt(e)))) continue;
    if (a > from && signAt(s, a - 1)) a--;
    else if (a > 0 && isJoiner(s.charCodeAt(a - 1))) continue;
    SEP.lastIndex = e;
    const g = SEP.exec(s);
    if (!g || g[0].length === 0 || !(isDigit(s.charCodeAt(e + g[0].length)) || signAt(s, e + g[0].length))) continue;
    // Back over earlier numbers of the same list (the stride may land in the middle).
    for (let steps = 0; steps < MAX_ITEMS; steps++) {
      let b = a - 1;
      while (b >= from && a - 1 - b < 3 && (s.charCodeAt(b) === 0x20 || s.charCodeAt(b) === 0x2c || s.charCodeAt(b) === 0x3b || s.charCodeAt(b) === 0x09)) b--;
      if (b === a - 1 || b < from || !isDigit(s.charCodeAt(b))) break;
      let c = b;
      while (c > from && b - c < 7 && isDigit(s.charCodeAt(c - 1))) c--;
      if (c > from && signAt(s, c - 1)) c--;
      else if (c > 0 && isJoiner(s.charCodeAt(c - 1))) break;
      a = c;
    }
    return a;
  }
  return -1;
}
