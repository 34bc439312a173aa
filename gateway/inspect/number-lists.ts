import { decodedText } from './byte-text.js';

// Lists of numbers that are characters, standing alone (no brackets, no
// function call around them; those are code-point-views.ts's):
//   decimal code points   26426 23494 9733   26426,23494,9733
//   hex code points       0x673a,0x5bc6   0x673A 0x5BC6   u+673a u+5bc6
//   bytes                 230 156 186 …, 0xe6,0x9c,0xba (UTF-8, GBK…)
// A list is read when what it spells is text (byte-text.ts), or code points
// that are all printable and hold at least one CJK character or symbol (or
// eight ASCII characters: an id number spelt as its character codes).
// Places are found by a stride over the text (one look in four, then the
// number under it) and by native searches for "0x" and "u+".

const DEC = /[0-9]{1,7}/y;
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
  const values: number[] = [];
  const item = kind === 'dec' ? DEC : kind === 'hex' ? HEX : UPLUS;
  let i = a;
  let last = a;
  while (values.length < MAX_ITEMS && i < end) {
    item.lastIndex = i;
    const m = item.exec(s);
    if (!m || m.index + m[0].length > end) break;
    const e = m.index + m[0].length;
    if (e < end && isJoiner(s.charCodeAt(e)) && kind === 'dec') break;
    values.push(kind === 'dec' ? parseInt(m[0], 10) : parseInt(m[1]!, 16));
    last = e;
    SEP.lastIndex = e;
    const g = SEP.exec(s);
    if (!g || g[0].length === 0) break;
    i = e + g[0].length;
  }
  return { values, end: last };
}

/** What a list spells, or null when it is not text. */
export function listText(values: number[]): string | null {
  if (values.length < 2) return null;
  if (values.every((v) => v < 0x100) && values.some((v) => v >= 0x80)) return values.length >= 4 ? decodedText(Buffer.from(values)) : null;
  let wide = false;
  for (const v of values) {
    if (!printable(v)) return null;
    if (v >= 0x2000) wide = true;
  }
  if (!wide && values.length < 8) return null;
  return String.fromCodePoint(...values);
}

/** The start of the next decimal list (16 characters or more, numbers of 2 to 7 digits apart), by a stride. */
export function nextDecimal(s: string, from: number, end: number): number {
  for (let k = from + STRIDE - 1; k < end; k += STRIDE) {
    // Within a list of 16 characters or more, six in a row are digits and separators, one of them a separator.
    let i = k;
    let sep = false;
    for (; i < k + 6 && i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x2c || c === 0x3b || c === 0x09) sep = true;
      else if (!isDigit(c)) break;
    }
    if (i < k + 6 || !sep) continue;
    let d = k;
    while (d < k + 6 && !isDigit(s.charCodeAt(d))) d++;
    let a = d;
    while (a > from && d - a < 7 && isDigit(s.charCodeAt(a - 1))) a--;
    if (a > 0 && isJoiner(s.charCodeAt(a - 1))) continue;
    let e = d + 1;
    while (e < end && e - a < 8 && isDigit(s.charCodeAt(e))) e++;
    if (e - a < 2 || e - a > 7 || (e < end && isJoiner(s.charCodeAt(e)))) continue;
    SEP.lastIndex = e;
    const g = SEP.exec(s);
    if (!g || g[0].length === 0 || !isDigit(s.charCodeAt(e + g[0].length))) continue;
    // Back over earlier numbers of the same list (the stride may land in the middle).
    for (let steps = 0; steps < MAX_ITEMS; steps++) {
      let b = a - 1;
      while (b >= from && a - 1 - b < 3 && (s.charCodeAt(b) === 0x20 || s.charCodeAt(b) === 0x2c || s.charCodeAt(b) === 0x3b || s.charCodeAt(b) === 0x09)) b--;
      if (b === a - 1 || b < from || !isDigit(s.charCodeAt(b))) break;
      let c = b;
      while (c > from && b - c < 7 && isDigit(s.charCodeAt(c - 1))) c--;
      if (c > 0 && isJoiner(s.charCodeAt(c - 1))) break;
      a = c;
    }
    return a;
  }
  return -1;
}
