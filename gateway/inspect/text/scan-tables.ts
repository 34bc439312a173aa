import type { MatchTag } from '../marks/marking-patterns.js';
import type { PatternMatcher } from '../marks/pattern-matcher.js';
import { SEP, SIG, foldTables } from '../marks/text-fold.js';
import { utf8AsGbkTables } from './utf8-as-gbk.js';

// Lookup tables of the text scanner, each built once (per process, or per
// compiled keyword list), and the skipping helpers that keep ordinary text
// cheap.

/** A base64 run is decoded once it is this long and mixes upper and lower case (hex digests do not). */
export const BASE64_MIN_RUN = 64;
/**
 * A base64 run goes on across a line break before it is BASE64_MIN_RUN long only from a line of this many
 * characters or more (text-scanner.ts): base64 wrapped at 40 columns or more is one run, lines of ids, voucher
 * codes or UUIDs (16-36 characters) are not, and neither is `CERTIFICATE-----` before a PEM's body.
 */
export const B64_JOIN_LINE = 40;

// Personal-data token characters (after folding): a-z 0-9 . _ % + - @
export const TOK = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TOK[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOK[c] = 1;
for (const ch of '._%+-@') TOK[ch.charCodeAt(0)] = 1;

// base64 alphabet (RFC 4648 §4); 64: '=' ends a run; 65: line breaks inside a run.
export const B64 = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((ch, i) => (B64[ch.charCodeAt(0)] = i));
// base64url (RFC 4648 §5): the same values, so a run in either alphabet is decoded.
B64[0x2d] = 62;
B64[0x5f] = 63;
B64[0x3d] = 64;
B64[0x0a] = 65;
B64[0x0d] = 65;

const boringTables = new WeakMap<object, Uint8Array>();

/**
 * Characters that can matter to nothing but the offset (they only end a
 * token or a base64 run): 1 — significant, in no pattern; 2 — a separator,
 * which matters only while a match is under way. Neither token, base64,
 * line-break nor markup characters. Built per matcher.
 */
export function boringTable(m: PatternMatcher<MatchTag>): Uint8Array {
  let t = boringTables.get(m);
  if (t) return t;
  const { fold, cls } = foldTables();
  const { leads } = utf8AsGbkTables();
  t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c < 0xe000) continue;
    if (leads[c] === 1) continue; // the witness of UTF-8 read as GBK (utf8-as-gbk.ts): rare in Chinese text
    if (c === 0x53e3) continue; // 口, a box after 密级 (text-scanner.ts)
    if (c < 0x80 && (B64[c] !== -1 || c === 0x3c || c === 0x3e)) continue;
    const f = fold[c]!;
    if (f < 128 && TOK[f] === 1) continue;
    if (cls[c] === SIG && m.symOf[f] === 0) t[c] = 1;
    else if (cls[c] === SEP) t[c] = 2;
  }
  boringTables.set(m, t);
  return t;
}

const triggers = new WeakMap<object, RegExp>();

function classOf(codes: number[]): string {
  const parts: string[] = [];
  const hex = (c: number): string => `\\u${c.toString(16).padStart(4, '0')}`;
  for (let k = 0; k < codes.length; ) {
    let j = k;
    while (j + 1 < codes.length && codes[j + 1] === codes[j]! + 1) j++;
    parts.push(j === k ? hex(codes[k]!) : `${hex(codes[k]!)}-${hex(codes[j]!)}`);
    k = j + 1;
  }
  return `[${parts.join('')}]`;
}

/** Characters that can start something: a pattern's first character (any form that folds to it), a digit, an '@'. */
export function triggerRegex(m: PatternMatcher<MatchTag>): RegExp {
  let re = triggers.get(m);
  if (re) return re;
  const { fold, cls } = foldTables();
  const codes: number[] = [];
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c < 0xe000) continue;
    const f = fold[c]!;
    const sym = m.symOf[f]!;
    // '@' is punctuation to the matcher but starts nothing there: it is listed for e-mail.
    if ((cls[c] === SIG && sym !== 0 && m.delta[sym] !== 0) || (f >= 0x30 && f <= 0x39) || f === 0x40) codes.push(c);
  }
  re = new RegExp(classOf(codes), 'g');
  triggers.set(m, re);
  return re;
}

const asciiTriggers = new WeakMap<object, RegExp>();

/**
 * The same places in text that is all ASCII: a whole run of three digits or
 * more (the scanner takes six, or three that a space, hyphen or line break
 * continues: 138 1234 5678), an '@', or an ASCII character that starts a
 * pattern. Numbers of one or two digits cost no JavaScript at all.
 */
export function asciiTriggerRegex(m: PatternMatcher<MatchTag>): RegExp {
  let re = asciiTriggers.get(m);
  if (re) return re;
  const { fold, cls } = foldTables();
  const starts: number[] = [];
  for (let c = 0; c < 128; c++) {
    const f = fold[c]!;
    const sym = m.symOf[f]!;
    if (cls[c] === SIG && sym !== 0 && m.delta[sym] !== 0 && f !== 0x40) starts.push(c); // a digit that starts a keyword, too
  }
  const other = starts.length ? `|${classOf(starts)}` : '';
  re = new RegExp(`[0-9]{3,}|@${other}`, 'g');
  asciiTriggers.set(m, re);
  return re;
}

const B64_STRIDE = 32;

/**
 * The start of a base64 run of BASE64_MIN_RUN or more characters in s[a, b),
 * or -1. Such a run covers a whole aligned block of 32, so only one
 * character per block is looked at in ordinary text. A run goes on across
 * line breaks, as the scanner's own loop reads it (B64 65): before 1 Dec it was
 * looked for on one line, so base64 wrapped under 64 columns (a zip, a gzip or
 * encrypted bytes at 60, 40 or 20) was never decoded where the scanner jumped
 * (red team 1 Dec, short lines); BASE64_MIN_RUN characters of base64 are still
 * needed, line breaks not counted, joined from lines of B64_JOIN_LINE or more.
 */
export function base64RunBefore(s: string, a: number, b: number): number {
  const inRun = (c: number): boolean => c < 128 && B64[c]! >= 0 && B64[c]! !== 64;
  for (let k = Math.ceil(a / B64_STRIDE) * B64_STRIDE; k + B64_STRIDE <= b; ) {
    let j = k;
    while (j < k + B64_STRIDE && inRun(s.charCodeAt(j))) j++;
    if (j < k + B64_STRIDE) {
      k = Math.ceil((j + 1) / B64_STRIDE) * B64_STRIDE;
      continue;
    }
    let r = k;
    while (r > a && inRun(s.charCodeAt(r - 1))) r--;
    let e = k + B64_STRIDE;
    while (e < s.length && inRun(s.charCodeAt(e))) e++;
    // The run's characters, line breaks not counted, as the scanner joins lines (B64_JOIN_LINE): where one starts.
    let chars = 0;
    let line = 0;
    let start = r;
    for (let i = r; i < e && chars < BASE64_MIN_RUN; i++) {
      const c = s.charCodeAt(i);
      if (B64[c]! < 64) {
        if (chars === 0) start = i;
        chars++;
        line++;
      } else if (c === 0x0a) {
        if (line < B64_JOIN_LINE) chars = 0;
        line = 0;
      }
    }
    if (chars >= BASE64_MIN_RUN) return start;
    k = Math.ceil((e + 1) / B64_STRIDE) * B64_STRIDE;
  }
  return -1;
}


/** An ASCII personal-data token character: [A-Za-z0-9._%+-@]. */
export function isAsciiTok(c: number): boolean {
  return c < 128 && TOK[c >= 0x41 && c <= 0x5a ? c + 0x20 : c] === 1;
}

const asciiStarts = new WeakMap<object, boolean>();

/** Does some pattern start with a character that can sit inside a token (a letter, a digit, . _ % + - @)? */
export function asciiTokenStarts(m: PatternMatcher<MatchTag>): boolean {
  let v = asciiStarts.get(m);
  if (v === undefined) {
    v = false;
    for (let c = 0; c < 128; c++) {
      const sym = m.symOf[c]!;
      if (TOK[c] === 1 && sym !== 0 && m.delta[sym] !== 0) v = true;
    }
    asciiStarts.set(m, v);
  }
  return v;
}
