// Strides that find, cheaply, the places of the encoded tokens that the
// native trigger of text-tokens.ts (led by an upper-case letter) cannot see
// (issue 14, fourth review). Each looks at one character in three or five
// and reads further only where that one can belong to a token, so ordinary
// CSV, JSON and prose cost about one look per stride:
//   nextPairs   hex in groups of 2 or 4 digits apart, any case: e6 9c ba,
//               e6:9c:ba, e6-9c-ba, `od -An -tx1` lines, 673a 5bc6 (UTF-16
//               code units written as hex)
//   nextLower   a token of [a-z0-9+/] of 10 characters or more holding a
//               letter and a digit (or base32's padding) and no upper-case letter but at its
//               first or last three places (where the native trigger does
//               not look): lower-case base32, base64 that happens to have
//               no capital inside
// Each returns the start of a candidate, or -1, and sets `found.end` to where
// the candidate's structure ends (the next search starts there, so a long
// run that is not read is looked at once, not at every stride).

export const found = { end: 0 };

const HEXV = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEXV['0123456789abcdef'.charCodeAt(i)] = i;
  HEXV['0123456789ABCDEF'.charCodeAt(i)] = i;
}
const isHex = (c: number): boolean => c < 128 && HEXV[c]! >= 0;
/** Hex digits and the separators of groups apart (line breaks too). */
const CLS = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEF ,:-\t\r\n') CLS[c.charCodeAt(0)] = 1;
const isHexOrSep = (c: number): boolean => c < 128 && CLS[c] === 1;
const isGap = (c: number): boolean => c === 0x20 || c === 0x2c || c === 0x3a || c === 0x2d || c === 0x09 || c === 0x0a || c === 0x0d;
const isSep = (c: number): boolean => c === 0x20 || c === 0x2c || c === 0x3a || c === 0x2d || c === 0x09;
/** Letters and digits that may follow a group without ending it (a word, not a group). */
const isWord = (c: number): boolean => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f;

/** The end of a group of 2 or 4 hex digits at i (not inside a word), else -1. */
function group(s: string, i: number, end: number): number {
  let g = i;
  while (g < end && g - i < 5 && isHex(s.charCodeAt(g))) g++;
  const n = g - i;
  if ((n !== 2 && n !== 4) || (g < end && isWord(s.charCodeAt(g)))) return -1;
  return g;
}

/** After the group that ends at g: 1 to 3 separators (a line break among them), then the start of the next group, else -1. */
function gap(s: string, g: number, end: number): number {
  let j = g;
  while (j < end && j - g < 3) {
    const c = s.charCodeAt(j);
    if (!isSep(c) && c !== 0x0a && c !== 0x0d) break;
    j++;
  }
  return j > g && j < end ? j : -1;
}

/** Groups apart from `a` (which starts a group): how many; `found.end` is where the last ends. Digits alone must be pairs with one separator throughout (bytes as `od` prints them), not a date or a row of numbers. */
function groupsFrom(s: string, a: number, end: number): number {
  let n = 0;
  let i = a;
  let letters = false;
  let widths = 0;
  let sep = -1;
  let seps = 0;
  for (;;) {
    const g = group(s, i, end);
    if (g < 0) break;
    for (let k = i; k < g && !letters; k++) letters = s.charCodeAt(k) > 0x39;
    widths |= g - i;
    n++;
    found.end = g;
    const j = gap(s, g, end);
    if (j < 0) break;
    if (sep !== s.charCodeAt(g) || j - g !== 1) seps++;
    sep = s.charCodeAt(g);
    i = j;
  }
  if (!letters && (widths !== 2 || seps > 1)) return 0;
  return n;
}

/** Stride over the text; a run of groups apart this long has six characters of hex digits and separators at one stride position. */
const PAIRS_STRIDE = 12;
/** Shortest run read: six bytes in pairs apart (e6 9c ba e5 af 86), four UTF-16 units in groups of four. */
const MIN_PAIRS_RUN = 17;

/** The start of the next run of hex groups apart (17 characters or more) in s[from, end), or -1. */
export function nextPairs(s: string, from: number, end: number): number {
  for (let k = from + PAIRS_STRIDE - 1; k < end; k += PAIRS_STRIDE) {
    // Inside such a run, six characters in a row are hex digits and separators only;
    // prose, CSV and JSON fail this at the first or second look.
    let i = k;
    while (i < k + 6 && i < end && isHexOrSep(s.charCodeAt(i))) i++;
    if (i < k + 6) continue;
    // And a separator in it recurs three or five characters on (pairs, or groups of four, apart): not "12345,67890".
    let q = k;
    while (q < k + 6 && !isGap(s.charCodeAt(q))) q++;
    if (q === k + 6 || !(isGap(s.charCodeAt(q + 3)) || isGap(s.charCodeAt(q + 5)) || isGap(s.charCodeAt(q - 3)) || isGap(s.charCodeAt(q - 5)))) continue;
    // Digits alone (no a-f) must be pairs apart by one separator throughout (31 31 30): not a date, a time or a row of numbers.
    let letter = false;
    for (let x = k; x < k + 6; x++) if (((s.charCodeAt(x) | 0x20) >= 0x61 && (s.charCodeAt(x) | 0x20) <= 0x66)) letter = true;
    if (!letter && (s.charCodeAt(q + 3) !== s.charCodeAt(q) || !isHex(s.charCodeAt(q + 1)) || !isHex(s.charCodeAt(q + 2)) || isHex(s.charCodeAt(q + 6)))) continue;
    // A run of groups apart has a hex digit at k or k+1 whichever its phase.
    let p = isHex(s.charCodeAt(k)) ? k : isHex(s.charCodeAt(k + 1)) ? k + 1 : -1;
    if (p < 0) continue;
    // Back to the start of this group (at most 3 digits back), which must not be inside a word.
    let a = p;
    while (a > from && p - a < 4 && isHex(s.charCodeAt(a - 1))) a--;
    if (a > 0 && isWord(s.charCodeAt(a - 1))) continue;
    const g = group(s, a, end);
    if (g < 0) continue;
    const j = gap(s, g, end);
    if (j < 0 || group(s, j, end) < 0) continue;
    // Walk back over earlier groups (the stride may have landed in the middle of the run).
    for (let steps = 0; steps < 4096; steps++) {
      let b = a - 1;
      let seps = 0;
      while (b >= from && seps < 3 && (isSep(s.charCodeAt(b)) || s.charCodeAt(b) === 0x0a || s.charCodeAt(b) === 0x0d)) {
        b--;
        seps++;
      }
      if (seps === 0) break;
      let c = b + 1;
      while (c > from && b + 1 - c < 9 && isHex(s.charCodeAt(c - 1))) c--;
      const n = b + 1 - c;
      if (n === 0 || (c > 0 && isWord(s.charCodeAt(c - 1)))) break;
      // A group of another width before it (a UUID's 8-4-4-4-12): one structure, not bytes apart.
      if (n !== 2 && n !== 4) {
        a = -1;
        break;
      }
      a = c;
    }
    if (a < 0) continue;
    if (groupsFrom(s, a, end) < 3 || found.end - a < MIN_PAIRS_RUN) {
      k = Math.max(k, found.end - PAIRS_STRIDE);
      continue;
    }
    return a;
  }
  return -1;
}

/** Lower-case token characters: a-z, 0-9, '+', '/'. */
const LOWER = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyz0123456789+/') LOWER[c.charCodeAt(0)] = 1;
const isLower = (c: number): boolean => c < 128 && LOWER[c] === 1;
/** Any token character (an upper-case one makes the token the native trigger's). */
const isTokenChar = (c: number): boolean => isLower(c) || (c >= 0x41 && c <= 0x5a);

/** The '=' characters from e (at most 6). */
function padding(s: string, e: number, end: number): number {
  let p = 0;
  while (p < 6 && e + p < end && s.charCodeAt(e + p) === 0x3d) p++;
  return p;
}

/** A token of 10 or more covers an aligned block of 5: k and k + 5 both in it. */
const LOWER_STRIDE = 5;

/** The start of the next lower-case token (10+ characters, a digit and a letter, not all hex) in s[from, end), or -1. */
export function nextLower(s: string, from: number, end: number): number {
  for (let k = Math.ceil(from / LOWER_STRIDE) * LOWER_STRIDE; k + LOWER_STRIDE < end; k += LOWER_STRIDE) {
    if (!isLower(s.charCodeAt(k)) || !isLower(s.charCodeAt(k + LOWER_STRIDE))) continue;
    let j = k + 1;
    while (j < k + LOWER_STRIDE && isLower(s.charCodeAt(j))) j++;
    if (j < k + LOWER_STRIDE) continue;
    let a = k;
    while (a > from && isTokenChar(s.charCodeAt(a - 1))) a--;
    let e = k + LOWER_STRIDE;
    while (e < end && isTokenChar(s.charCodeAt(e))) e++;
    found.end = e;
    k = Math.ceil(e / LOWER_STRIDE) * LOWER_STRIDE - LOWER_STRIDE;
    if (e - a < 10 || e - a > 64 * 1024) continue;
    let digit = false;
    let inner = false;
    let letter = false;
    let nonHex = false;
    let upper = false;
    for (let i = a; i < e; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x30 && c <= 0x39) digit = true;
      else if (c >= 0x61 && c <= 0x7a) {
        // A letter after a digit: the digits are inside (an encoding), not an identifier's number (user123456).
        if (digit) inner = true;
        letter = true;
        if (c > 0x66) nonHex = true;
      } else if (c >= 0x41 && c <= 0x5a) {
        // The native trigger sees a capital with a token character before it and three after: not one at either end.
        if (i > a && i < e - 3) upper = true;
      }
      else nonHex = true;
    }
    // Letters alone are words, unless padded as base32 is (to a multiple of 8): base32 of ASCII digits has no digit.
    const padded = e < end && s.charCodeAt(e) === 0x3d && (e - a + padding(s, e, end)) % 8 === 0;
    if (letter && nonHex && !upper && (inner || padded)) return a;
  }
  return -1;
}
