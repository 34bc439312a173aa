import { PHONE } from './amount-context.js';
import { isMobile } from './pii-checks.js';
import { foldTables } from './text-fold.js';

// Numbers in the forms the scanner's token does not join (issue 14, red team
// of 30 Nov), written out as plain digits for a view one level down, where
// the scanner reads them like any number (and weighs them, pii-token.ts):
//   other numerals   〇一二三四五六七八九, 零壹贰叁肆伍陆柒捌玖, Suzhou 〡〢〣… (幺 for one,
//                    as telephone numbers are read out), and the decimal
//                    digits of plane 1 (mathematical bold, double-struck,
//                    sans-serif, monospace: U+1D7CE–1D7FF; Osmanya, Adlam…),
//                    which the fold table (one code unit) cannot hold
//   digit by digit   11 or more single digits apart by one separator
//                    throughout (1 1 0 1 0 5 …, one digit a line, 1,1,0,…)
//   6-8-4 apart      an id number's three parts (a province code, a birth
//                    date, the sequence and check) apart by one separator
//                    throughout that the token does not join: dashes (en,
//                    em, U+2010–2015, minus, full-width), '/', '·', '.', '_',
//                    ',', two spaces or more, ' | ', '","' (cells of a CSV
//                    row, segments of a URL path, items of a JSON array)
// A stretch of digits and separators is looked for one place in STRIDE; it
// is then parsed into groups apart by separators of up to MAX_SEP characters.

/**
 * One character in STRIDE is looked at. An id's 8-digit part has one of its
 * digits there; so have 11 single digits apart by separators of 1 to 4
 * characters (21 to 51 characters, a digit every 2 to 5): 7 is prime to
 * each of those periods, so successive looks fall on every phase of them.
 */
const STRIDE = 7;
const MAX_SEP = 4;
/** Longest stretch parsed at once (past it, the next parse starts where this one stopped). */
const MAX_STRETCH = 512;
/** Characters of a window cut at MAX_STRETCH read again by the next (longer than any form: 18 digits apart by 4). */
const OVERLAP = 128;
/** Characters kept from one call to the next, so that a form cut by a chunk's end is read whole. */
const HOLD = 160;
/** Characters before the carry's fresh part kept for context (a phone's name before a comma-grouped mobile, PHONE_REACH). */
const CONTEXT = 48;

/** Digit value + 1 of a BMP character (0: none): every character the fold table reads as a digit, and Chinese numerals. */
let VALUE: Uint8Array | null = null;
/** Values the scanner does not fold to a digit (Chinese numerals): a form holding one is written out whatever its separators. */
// (○ ◯ ⚪ ⭕ are written for 〇 too (second red team, 30 Nov): read as 0 among the others; a form needs 11 digits.)
// Suzhou numerals 〡〢〣〤〥〦〧〨〩 (Hangzhou, U+3021–3029: shop and market figures; seventh red team, 1 Dec, R21).
const CHINESE = '〇零一壹幺二贰貳三叁參四肆五伍六陆陸七柒八捌九玖○◯⚪⭕〡〢〣〤〥〦〧〨〩';
const CHINESE_VALUES = [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9, 9, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const CIRCLE = new Set([0x25cb, 0x25ef, 0x26aa, 0x2b55]);
let PLANE1: Map<number, number> | null = null;
/** Separator characters (1 when it may sit between a number's groups). */
let SEPS: Uint8Array | null = null;
/** Separators the scanner joins itself (one of them alone between groups). */
const JOINED = new Set([' ', '\t', '\n', '-', '\u00a0', '\u202f', '\u205f', '\u3000', ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i))]);

function tables(): void {
  if (VALUE) return;
  const { fold } = foldTables();
  VALUE = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const f = fold[c]!;
    if (f >= 0x30 && f <= 0x39 && !(c >= 0xd800 && c < 0xe000)) VALUE[c] = f - 0x2f;
  }
  for (let i = 0; i < CHINESE.length; i++) VALUE[CHINESE.charCodeAt(i)] = CHINESE_VALUES[i]! + 1;
  // Plane 1's decimal digits come in runs of ten, zero first (UAX #44); their high surrogates are marked 11.
  PLANE1 = new Map();
  const nd = /\p{Nd}/u;
  // (The mathematical digits are five sets of ten in one run: a value counts from the run's start.)
  let start = -1;
  for (let cp = 0x10000; cp < 0x20000; cp++) {
    if (!nd.test(String.fromCodePoint(cp))) {
      start = -1;
      continue;
    }
    if (start < 0) start = cp;
    PLANE1.set(cp, (cp - start) % 10);
    VALUE[0xd800 + ((cp - 0x10000) >> 10)] = 11;
  }
  // A low surrogate continues a stretch (12: no digit alone; the pair is read from its high half).
  for (let c = 0xdc00; c < 0xe000; c++) VALUE[c] = 12;
  SEPS = new Uint8Array(0x10000);
  for (const ch of ' \t\r\n-/.,_|·・:;"\'\u00a0\u202f\u205f\u3000\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\uff0f\uff0e\uff0c\uff3f\uff5c') SEPS[ch.charCodeAt(0)] = 1;
  for (let c = 0x2000; c <= 0x200a; c++) SEPS[c] = 1;
}

/** The digit at s[i]: its value (-1: none) in `digitAt.v` and its width in code units in `digitAt.w`; `digitAt.folded` false for one the scanner does not read as a digit. */
const digitAt = { v: -1, w: 1, folded: true };
function readDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  const x = VALUE![c]!;
  if (x === 0 || x === 12) return false;
  if (x === 11) {
    const cp = s.codePointAt(i)!;
    const v = PLANE1!.get(cp);
    if (v === undefined) return false;
    digitAt.v = v;
    digitAt.w = 2;
    digitAt.folded = false;
    return true;
  }
  digitAt.v = x - 1;
  digitAt.w = 1;
  digitAt.folded = c !== 0x3007 && (c < 0x3021 || c > 0x3029) && (c < 0x4e00 || c > 0x9fff) && !CIRCLE.has(c); // Chinese numerals (〇, Suzhou, ideographs, circles) are not folded; every other digit here is
  return true;
}

const isAsciiDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

// As for the text scanner (text-scanner.ts warmUp): V8 compiles the stride on its first long text before the
// code after it ever ran, and that code then deoptimised at the end of every call (measured: 3-4 times slower).
let warm = false;
const WARM = `身份证号 110105/19491231/002X 一一〇一〇五 ${String.fromCodePoint(0x1d7cf)}${String.fromCodePoint(0x1d7cf)} 1 1 0 1 0 5 1 9 4 9 1 2, 12.5 {"ts":1700000001} ${'x'.repeat(200)}\n`;
function warmUp(): void {
  if (warm) return;
  warm = true;
  for (let round = 0; round < 200; round++) {
    const d = new DigitForms(true);
    d.push(WARM, false);
    d.push(WARM, false);
    d.push('1 2', false);
    d.push(WARM.slice(0, 170), false);
    d.push(WARM, true);
  }
}

/** From `from` in direction dir: where up to MAX_SEP separators end. */
function pastSeps(s: string, from: number, dir: 1 | -1): number {
  let j = from;
  while (Math.abs(j - from) < MAX_SEP && j >= 0 && j < s.length && SEPS![s.charCodeAt(j)] === 1) j += dir;
  return j;
}

/** From `from` in direction dir: 1 to 4 separators, then a digit standing alone. */
function singleNear(s: string, from: number, dir: 1 | -1): boolean {
  const j = pastSeps(s, from, dir);
  return j !== from && j >= 0 && j < s.length && VALUE![s.charCodeAt(j)] !== 0 && !isAsciiDigit(s.charCodeAt(j + dir));
}

/** From `from` in direction dir: up to MAX_SEP separators, then a numeral the scanner does not read as a digit (一, 〇, 𝟏…). */
function numeralNear(s: string, from: number, dir: 1 | -1): boolean {
  const j = pastSeps(s, from, dir);
  return j >= 0 && j < s.length && s.charCodeAt(j) >= 0x80 && VALUE![s.charCodeAt(j)] !== 0;
}

/**
 * A mobile number grouped by commas as an amount is (`电话 138,1234,5678`, `手机：13,812,345,678`; review11 and
 * review12, 2 Dec: the dash, dot and space forms were read, the comma's crossed). A CSV row's three cells look the
 * same (`138,1234,5678`), so it is read only where a phone is named just before; a decimal part after it
 * (`13,812,345,678.00`) makes it an amount. Returns the digits and where they end, or null.
 */
const COMMA_GROUPS = /^\d{1,4}(?:[,\uff0c\u3001] ?\d{1,4}){1,4}/;
/** A comma between groups: ASCII, full-width (，) or the enumeration comma (、) of Chinese text (review13: `手机：138，1234，5678` crossed). */
const isComma = (c: number): boolean => c === 0x2c || c === 0xff0c || c === 0x3001;
/** A sum's unit after it (`电话费 13,812,345,678元`). */
const AMOUNT_AFTER = /^\s*(?:元|万|亿|圆)/;
/**
 * How far before the number its phone's name is looked for: 12 characters, or this many in its line and sentence
 * (`联系电话见附件。本年度产量分别为 138,1234,5678 吨` names no phone of it; review13: `"mobile_number": "138,1234,5678"`
 * and `<phone type="mobile" primary="yes">138,1234,5678` named it 16 and 22 characters before, past the 12 read).
 */
const PHONE_REACH = 40;
/** A line break or a sentence's end (。！？；!?;). */
const CLAUSE_END = new Set([0x0a, 0x0d, 0x3002, 0xff01, 0xff1f, 0xff1b, 0x21, 0x3f, 0x3b]);
function commaMobile(t: string, p: number, floor: number): { digits: string; end: number } | null {
  let a = p;
  for (;;) {
    if (a <= floor || p - a >= 24) break;
    const c = t.charCodeAt(a - 1);
    if (isAsciiDigit(c) || (isComma(c) && isAsciiDigit(t.charCodeAt(a - 2)))) a--;
    else if (c === 0x20 && isComma(t.charCodeAt(a - 2)) && isAsciiDigit(t.charCodeAt(a - 3))) a -= 2;
    else break;
  }
  while (!isAsciiDigit(t.charCodeAt(a))) a++;
  const m = COMMA_GROUPS.exec(t.slice(a, a + 30));
  if (!m || !/[,\uff0c\u3001]/.test(m[0])) return null;
  const end = a + m[0].length;
  const next = t.charCodeAt(end);
  if (isAsciiDigit(next) || ((next === 0x2e || isComma(next)) && isAsciiDigit(t.charCodeAt(end + 1))) || AMOUNT_AFTER.test(t.slice(end, end + 4))) return null;
  const digits = m[0].replace(/[^0-9]/g, '');
  if (digits.length !== 11 || !isMobile(digits)) return null;
  if (PHONE.test(t.slice(Math.max(0, a - 12), a))) return { digits, end };
  const before = t.slice(Math.max(0, a - PHONE_REACH), a);
  return PHONE.test(before.slice(lastClauseEnd(before) + 1)) ? { digits, end } : null;
}

/** Where the last line or sentence ends in s (-1: none). */
function lastClauseEnd(s: string): number {
  for (let i = s.length - 1; i >= 0; i--) if (CLAUSE_END.has(s.charCodeAt(i))) return i;
  return -1;
}

const isCheckX = (c: number): boolean => c === 0x58 || c === 0x78 || c === 0xff38 || c === 0xff58;
const isLetter = (c: number): boolean => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;

interface Group {
  digits: string;
  /** The digits with a space where they change between numerals the scanner folds and ones it does not (一三八1234: 138 1234). */
  spaced: string;
  /** The separator before the next group ('' after the last). */
  sep: string;
  folded: boolean;
}

export class DigitForms {
  #carry = '';
  /** Characters of the carry already looked at (forms may not start there). */
  #fresh = 0;
  #out = '';
  /** The last stretch parsed was cut at MAX_STRETCH (the digits and separators go on). */
  #cut = false;

  constructor(warming = false) {
    tables();
    if (!warming) warmUp();
  }

  /** Reads carry + s; returns the forms found, written as digits, one a line. */
  push(s: string, final: boolean): string {
    const carry = this.#carry;
    const cl = carry.length;
    const total = cl + s.length;
    const limit = final ? total : total - HOLD;
    if (limit <= this.#fresh) {
      this.#carry = carry + s;
      return '';
    }
    // carry + s is never made whole (a 64 KiB concatenation read, or sliced, is copied: the time went there):
    // the stride reads the two apart, and a place is read in `head` (the carry and the start of s) or in s.
    const head = carry + s.slice(0, 2 * MAX_STRETCH + 64);
    const V = VALUE!;
    let k = this.#fresh;
    let resume = limit;
    // Nothing before `done` is parsed again: a stretch longer than MAX_STRETCH is read in windows that
    // overlap by OVERLAP (a form cut by one window's end is whole in the next). Each place walked back
    // MAX_STRETCH characters before, so a long stretch of single digits or numerals was parsed some
    // 70 times over (256 KiB of them: 4-6 CPU-seconds, red team).
    let done = this.#fresh;
    while (k < limit) {
      if (V[k < cl ? carry.charCodeAt(k) : s.charCodeAt(k - cl)] === 0) {
        k += STRIDE;
        continue;
      }
      const far = k - cl > MAX_STRETCH + 32;
      this.#cut = false;
      const e = this.#place(far ? s : head, far ? k - cl : k, far ? Math.max(0, done - cl) : done) + (far ? cl : 0);
      done = Math.max(done, this.#cut ? e - OVERLAP : e);
      resume = Math.max(resume, e);
      k = Math.max(e, k + 1) + STRIDE - 1;
    }
    const keep = Math.max(0, limit - CONTEXT);
    this.#carry = final ? '' : keep >= cl ? s.slice(keep - cl) : carry.slice(keep) + s;
    this.#fresh = final ? 0 : Math.min(resume, total) - keep;
    const out = this.#out;
    this.#out = '';
    return out;
  }

  /** The place at p of t (a digit of some kind): forms read from it; returns where it ends. Nothing before floor is read. */
  #place(t: string, p: number, floor: number): number {
    const c = t.charCodeAt(p);
    if (isAsciiDigit(c)) {
      // ASCII digits: an 8-digit run (an id's birth date between its parts), or a single digit beside another.
      let r0 = p;
      while (r0 > floor && isAsciiDigit(t.charCodeAt(r0 - 1))) r0--;
      let r1 = p + 1;
      while (r1 < t.length && isAsciiDigit(t.charCodeAt(r1))) r1++;
      if (r1 - r0 <= 4 && (isComma(t.charCodeAt(r1)) || isComma(t.charCodeAt(r0 - 1)) || (t.charCodeAt(r0 - 1) === 0x20 && isComma(t.charCodeAt(r0 - 2))))) {
        const mobile = commaMobile(t, p, floor);
        if (mobile) {
          this.#out += `${mobile.digits}\n`;
          return mobile.end;
        }
      }
      if (r1 - r0 === 8) this.#out += idParts(t, r0, r1, floor);
      else if (r1 - r0 === 1 && (singleNear(t, r1, 1) || singleNear(t, r0 - 1, -1))) return this.#stretchAround(t, p, floor);
      // Digits beside Chinese numerals (一三八 1234 5678: the look fell on the digits) are read with them.
      else if (numeralNear(t, r1, 1) || numeralNear(t, r0 - 1, -1)) return this.#stretchAround(t, p, floor);
      return r1;
    }
    // A low surrogate: its pair is read from the high half.
    if (c >= 0xdc00 && c < 0xe000 && VALUE![t.charCodeAt(p - 1)] !== 11) return p + 1;
    return this.#stretchAround(t, p, floor);
  }

  /** The stretch of digits and separators around p (not before floor) parsed; returns its end. */
  #stretchAround(all: string, p: number, floor: number): number {
    let a = p;
    while (a > floor && p - a < MAX_STRETCH && (VALUE![all.charCodeAt(a - 1)] !== 0 || SEPS![all.charCodeAt(a - 1)] !== 0)) a--;
    let e = p;
    while (e < all.length && e - a < MAX_STRETCH && (VALUE![all.charCodeAt(e)] !== 0 || SEPS![all.charCodeAt(e)] !== 0 || isCheckX(all.charCodeAt(e)))) e++;
    this.#cut = e - a >= MAX_STRETCH;
    if (e - a >= 11) this.#out += this.#stretch(all, a, e);
    return e;
  }

  /** The forms in s[a, e). */
  #stretch(s: string, a: number, e: number): string {
    if (!worthParsing(s, a, e)) return '';
    const groups: Group[] = [];
    let i = a;
    // (A group cut at the stretch's start, a letter or digit before it, is not one.)
    while (i < e && !readDigit(s, i)) i++;
    if (i > 0 && i === a && isLetter(s.charCodeAt(i - 1))) return '';
    while (i < e) {
      let digits = '';
      let spaced = '';
      let folded = true;
      if (isCheckX(s.charCodeAt(i)) && groups.length) {
        groups.push({ digits: 'x', spaced: 'x', sep: '', folded: true });
        break;
      }
      let script = -1;
      while (i < e && readDigit(s, i)) {
        const d = String.fromCharCode(0x30 + digitAt.v);
        const now = digitAt.folded ? 1 : 0;
        if (script >= 0 && now !== script) spaced += ' ';
        script = now;
        digits += d;
        spaced += d;
        folded &&= digitAt.folded;
        i += digitAt.w;
      }
      if (i < e && isCheckX(s.charCodeAt(i)) && !(i + 1 < s.length && isLetter(s.charCodeAt(i + 1)))) {
        digits += 'x';
        spaced += 'x';
        i++;
      }
      if (digits === '') break;
      let j = i;
      while (j < e && j - i <= MAX_SEP && SEPS![s.charCodeAt(j)] === 1) j++;
      // (An id's check character may stand apart as a group of its own: 0 0 2 X.)
      const next = j - i <= MAX_SEP && j < e && (readDigit(s, j) || (isCheckX(s.charCodeAt(j)) && !isLetter(s.charCodeAt(j + 1))));
      const sep = next ? s.slice(i, j) : '';
      groups.push({ digits, spaced, sep, folded });
      if (!sep) {
        // The stretch goes on past a separator too long: the next group starts a form of its own.
        while (j < e && !readDigit(s, j)) j++;
        if (groups.length) groups[groups.length - 1]!.sep = '';
      }
      i = j;
    }
    return forms(groups);
  }
}


/**
 * An id number's parts apart around the 8-digit run s[r0, r1): a birth date
 * (19xx or 20xx, a month, a day), six digits and one separator before it, the
 * same separator and four characters (four digits, or three and X) after;
 * the separator one the scanner does not join. Written "p q r", else ''.
 */
function idParts(s: string, r0: number, r1: number, floor: number): string {
  const y = s.charCodeAt(r0) === 0x31 ? s.charCodeAt(r0 + 1) === 0x39 : s.charCodeAt(r0) === 0x32 && s.charCodeAt(r0 + 1) === 0x30;
  const m = (s.charCodeAt(r0 + 4) - 0x30) * 10 + s.charCodeAt(r0 + 5) - 0x30;
  const d = (s.charCodeAt(r0 + 6) - 0x30) * 10 + s.charCodeAt(r0 + 7) - 0x30;
  if (!y || m < 1 || m > 12 || d < 1 || d > 31) return '';
  let b = r0;
  while (b > floor && r0 - b < MAX_SEP && SEPS![s.charCodeAt(b - 1)] === 1) b--;
  const sep = s.slice(b, r0);
  if (sep === '' || (sep.length === 1 && JOINED.has(sep)) || b - 6 < 0) return '';
  for (let i = b - 6; i < b; i++) if (!isAsciiDigit(s.charCodeAt(i))) return '';
  const before = s.charCodeAt(b - 7);
  if (isAsciiDigit(before) || isLetter(before)) return '';
  if (!s.startsWith(sep, r1)) return '';
  const q = r1 + sep.length;
  for (let i = q; i < q + 3; i++) if (!isAsciiDigit(s.charCodeAt(i))) return '';
  const last = s.charCodeAt(q + 3);
  const x = isCheckX(last);
  if (!isAsciiDigit(last) && !x) return '';
  const after = s.charCodeAt(q + 4);
  if (isAsciiDigit(after) || isLetter(after)) return '';
  return `${s.slice(b - 6, b)} ${s.slice(r0, r1)} ${s.slice(q, q + 3)}${x ? 'x' : String.fromCharCode(last)}\n`;
}

/**
 * Can s[a, e) hold a form? A digit the scanner does not fold, an ASCII run of
 * exactly 8 digits (an id's birth date), or 11 digits standing alone (a CSV
 * row of amounts and counts holds none of these, and is not parsed).
 */
function worthParsing(s: string, a: number, e: number): boolean {
  let run = 0;
  let singles = 0;
  for (let i = a; i <= e; i++) {
    const c = i < e ? s.charCodeAt(i) : 0;
    if (c >= 0x30 && c <= 0x39) {
      run++;
      continue;
    }
    if (c >= 0x80 && VALUE![c] !== 0) return true;
    if (run === 8) return true;
    if (run === 1 && ++singles >= 11) return true;
    run = 0;
  }
  return false;
}

/** The forms among groups: runs apart by one separator throughout, written out when the scanner would not join them. */
function forms(groups: Group[]): string {
  let out = '';
  for (let g = 0; g < groups.length; ) {
    let h = g;
    while (h + 1 < groups.length && groups[h]!.sep !== '' && groups[h]!.sep === groups[g]!.sep) h++;
    const run = groups.slice(g, h + 1);
    out += form(run);
    g = h + 1;
  }
  return out;
}

function form(run: Group[]): string {
  const sep = run.length > 1 ? run[0]!.sep : '';
  const folded = run.every((r) => r.folded);
  const joined = sep === '' || (sep.length === 1 && JOINED.has(sep)) || sep === '\r\n';
  // Digit by digit: written whole (the scanner takes a number whole, so a longer run is no identifier).
  // ASCII digits one by one only from 15 on (an id number, a card): eleven single digits apart are a
  // row of scores or a printed array far more often than a mobile number spelt out (red team, 30 Nov).
  if (run.length >= (folded ? 15 : 11) && run.every((r, i) => r.digits.length === 1 || (i === run.length - 1 && r.digits.length === 2 && r.digits[1] === 'x'))) {
    return `${run.map((r) => r.digits).join('')}\n`;
  }
  if (folded && joined) return '';
  let out = '';
  // Groups the scanner reads as digits, apart by a separator it does not join: an id number's 6-8-4 only.
  if (folded) {
    for (let i = 0; i + 2 < run.length; i++) {
      const [p, q, r] = [run[i]!.digits, run[i + 1]!.digits, run[i + 2]!.digits];
      if (p.length === 6 && q.length === 8 && r.length === 4 && !p.includes('x') && !q.includes('x')) {
        out += `${p} ${q} ${r}\n`;
        i += 2;
      }
    }
    return out;
  }
  // Other numerals: every group written out, apart by a space (the scanner joins the shapes people write).
  const digits = run.reduce((n, r) => n + r.digits.length, 0);
  if (digits < 11) return '';
  const between = joined || sep.length > 0 ? ' ' : '';
  const whole = `${run.map((r) => r.digits).join(between)}\n`;
  // A change of script may be where the writer put a group apart (来电号码一三八1234 5678 is 138 1234 5678; red
  // team 1 Dec (d) W10), or not (an id's 四四〇三〇五一九九〇〇三〇七4576): both readings, one a line.
  const spaced = `${run.map((r) => r.spaced).join(between)}\n`;
  return spaced === whole ? whole : whole + spaced;
}
