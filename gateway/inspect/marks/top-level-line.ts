import { SKIP, foldPattern, foldTables } from './text-fold.js';

// A level word alone on a line at the top of a document (ninth red team, W5): GB/T 9704-2012 §7.2.2–7.2.3
// puts 份号 and then 密级和保密期限 at the top left of the first page, and a memo typed without the star
// marks itself the same way: `绝密` as its first line, then the text. The same word in prose (商业秘密,
// 机密性, 保守秘密) or on a line of its own further down (a chapter titled 秘密) is not read so: only a line
// holding the level and nothing but blank space, with at most TOP_LINES short lines above it that are a
// 份号 (digits, or 份号 and digits) — nothing a title or a sentence could be.

/** Characters from the text's start within which the level's line must end. */
export const TOP_REACH = 256;
/** Lines above the level's line (份号, a serial) that may come before it. */
const TOP_LINES = 2;
/** Longest line above (visible characters). */
const TOP_LINE_MAX = 24;
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;
/** A 份号 line: digits and ASCII (No. 000123), or 份号 before them. */
const SERIAL = /^(?:份号[:：]?)?[\x21-\x7e]*\d[\x21-\x7e]*$/;

/** The visible characters of a line (what shows as blank space or as nothing left out), unfolded. */
function visible(line: string): string {
  const { fold, cls, blank } = foldTables();
  let out = '';
  for (let k = 0; k < line.length; k++) {
    const c = line.charCodeAt(k);
    if (cls[c] === SKIP || blank[fold[c]!] === 1) continue;
    out += line[k];
  }
  return out;
}

/**
 * Where the first visible character of s is (s.length when none): blank lines and spaces before a text's first
 * character show nothing, and are not counted against TOP_REACH (review11: 300 line breaks before 绝密 hid it).
 */
export function firstVisible(s: string): number {
  const { fold, cls, blank } = foldTables();
  let k = 0;
  for (; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (cls[c] !== SKIP && blank[fold[c]!] !== 1 && !LINE_BREAK.test(s[k]!)) break;
  }
  return k;
}

/** `line` holds `level` (folded: 絕密, ＂機 密＂ spaced) and nothing else but blank space: the sample, else null. */
export function isBareLevelLine(line: string, level: string): string | null {
  const { fold } = foldTables();
  const v = visible(line);
  const want = foldPattern(level);
  if (v.length !== want.length) return null;
  for (let k = 0; k < want.length; k++) if (fold[v.charCodeAt(k)] !== want[k]) return null;
  return level;
}

/** `above` (the text from its start to the level's line) is at most TOP_LINES lines of a 份号, or nothing. */
export function atTextTop(above: string): boolean {
  let n = 0;
  for (const line of above.split(LINE_BREAK)) {
    const v = visible(line).normalize('NFKC');
    if (!v) continue;
    if (++n > TOP_LINES || v.length > TOP_LINE_MAX || !SERIAL.test(v)) return false;
  }
  return true;
}
