// Internationalised domain names as they travel: labels `xn--…` in Punycode
// (RFC 3492), decoded here (node:punycode is deprecated, and url.domainToUnicode
// refuses labels that IDNA disallows, such as one holding ★, which is how a
// marking would be written). A domain whose labels decode is read as text,
// its labels joined by dots (red team, 30 November: `xn--…` crossed unread).
// A label without its `xn--` (second red team) is any word of letters and
// digits: one is read only when it decodes to two characters or more beyond
// ASCII, all of them text (byte-text.ts unitIsText) and one an ideograph,
// which a word, an id or a hash decodes to about never. Found where
// text-tokens.ts looks at lower-case tokens holding a digit, 10 characters
// or more (`绝密` is 7: not found).

import { unitIsText } from '../text/byte-text.js';

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;

function adapt(delta: number, points: number, first: boolean): number {
  delta = first ? Math.floor(delta / DAMP) : delta >> 1;
  delta += Math.floor(delta / points);
  let k = 0;
  while (delta > ((BASE - T_MIN) * T_MAX) >> 1) {
    delta = Math.floor(delta / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * delta) / (delta + SKEW));
}

function digit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 22;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  return -1;
}

/** One label's Punycode (after `xn--`) decoded (RFC 3492 §6.2), or null when it is not valid. */
export function decodeLabel(input: string): string | null {
  const out: number[] = [];
  const dash = input.lastIndexOf('-');
  for (let j = 0; j < Math.max(0, dash); j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) return null;
    out.push(c);
  }
  let n = 128;
  let i = 0;
  let bias = 72;
  for (let p = dash > 0 ? dash + 1 : 0; p < input.length; ) {
    const old = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (p >= input.length) return null;
      const d = digit(input.charCodeAt(p++));
      if (d < 0) return null;
      i += d * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (d < t) break;
      w *= BASE - t;
      if (i > 0x7fffffff || w > 0x7fffffff) return null;
    }
    bias = adapt(i - old, out.length + 1, old === 0);
    n += Math.floor(i / (out.length + 1));
    i %= out.length + 1;
    if (n > 0x10ffff) return null;
    out.splice(i++, 0, n);
  }
  return String.fromCodePoint(...out);
}

const LABEL = /(?:[A-Za-z0-9-]{1,63}\.)*[Xx][Nn]--[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*/g;

/** Domains in s[from, end) with an `xn--` label at or after `at`: their Unicode, one a line, and where the last ends; null when none decodes. */
export function punycodeAt(s: string, at: number, end: number): { text: string; end: number } | null {
  // Back to the start of the domain (its labels before this one).
  let a = at;
  while (a > 0 && at - a < 256 && /[A-Za-z0-9.-]/.test(s.charAt(a - 1))) a--;
  LABEL.lastIndex = a;
  const m = LABEL.exec(s);
  if (!m || m.index > at || m.index + m[0].length > end) return null;
  let any = false;
  const labels = m[0].split('.').map((l) => {
    if (!/^xn--/i.test(l)) return l;
    const d = decodeLabel(l.slice(4));
    if (d === null) return l;
    any = true;
    return d;
  });
  return any ? { text: labels.join('.'), end: m.index + m[0].length } : null;
}

const isLabelChar = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2d;

/** The label around s[at], decoded as Punycode without `xn--` when it is text; with where the label ends; else null. */
export function punycodeBare(s: string, at: number, end: number): { text: string; end: number } | null {
  let a = at;
  let e = at;
  while (a > 0 && at - a < 63 && isLabelChar(s.charCodeAt(a - 1))) a--;
  while (e < end && e - a < 63 && isLabelChar(s.charCodeAt(e))) e++;
  if (e - a < 10) return null;
  // One case throughout, as an encoder writes it (an identifier in camel case is no label), and two digits or more
  // (the deltas of ideographs are large: base 36's digits 26-35 are written 0-9).
  let upper = false;
  let lower = false;
  let digits = 0;
  for (let i = a; i < e; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) upper = true;
    else if (c >= 0x61 && c <= 0x7a) lower = true;
    else if (c !== 0x2d) digits++;
  }
  if ((upper && lower) || digits < 2) return null;
  const d = decodeLabel(s.slice(a, e).toLowerCase());
  if (d === null) return null;
  let wide = 0;
  let ideograph = false;
  for (let i = 0; i < d.length; i++) {
    const u = d.charCodeAt(i);
    if (u < 0x80) continue;
    if (!unitIsText(u)) return null;
    wide++;
    if (u >= 0x4e00 && u <= 0x9fff) ideograph = true;
  }
  return wide >= 2 && ideograph ? { text: d, end: e } : null;
}

