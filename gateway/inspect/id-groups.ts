import { residentIdPlausible } from './pii-checks.js';
import { SEP, SKIP, foldTables } from './text-fold.js';

// A resident id number put together from groups of digits, whatever the
// grouping (issue 14, second red team of 30 Nov): a person reading
// `44 03 05 19 90 03 07 45 7X`, `440305199 00307457X`, `440 305 199 …`,
// `440305-19900307/457X`, `{"birth":"19900307","region":"440305",…}` or an
// id's halves a line apart sees one number; so does the reader here.
//
// Groups are runs of digits (ASCII, full-width and the other scripts' decimal
// digits the fold table reads, and Chinese numerals of two or more, with ○ ◯
// ⚪ ⭕ for 〇 among them; an X after the last digit as the check, or before the
// first when the number is written backwards). A group touching a Latin
// letter (`p2`, a hash, a UUID) is part of the text between groups. A window
// is consecutive groups whose characters add up to 18, apart by "tight" gaps
// (1 to 4 separators: white space, punctuation, symbols; each gap its own) or,
// for two or three groups, by "loose" ones (up to MAX_GAP characters of
// anything but digits: JSON keys, CSV cells, a line of text between halves).
// Each window is read in order, backwards, and reordered where people put an
// id's fields in another order: two groups swapped, three groups of 6, 8 and
// 4 characters put back as region, birth date, sequence and check.
//
// What a reading makes, when its region and birth date are valid (GB 11643:
// the check is not looked at here), is written `rrrrrr dddddddd ssss` for a
// view one level down, where the scanner weighs it with the others of its
// kind (pii-token.ts, text-scanner.ts): a table of numbers gives windows by
// the thousand, of which about one in eleven of those with a valid region and
// date passes the check by chance. Readings the scanner or digit-forms.ts
// already make (an 18-digit run, the shapes the token joins, one separator
// throughout) are not written again. Linear: each group is the end of at most
// one window of 18 characters, found by walking back at most 18 groups.

/** Characters between two groups of a window of two or three (a JSON key, a CSV cell, a line of text). */
const MAX_GAP = 48;
/** Characters of a tight gap: separators only. */
const TIGHT = 4;
/** A gap that names what follows (a JSON key, `出生：`, `seq=`). */
const KEYED = /["':：=]/;
const ID_LEN = 18;
/** Written lines are kept apart by more than MAX_GAP, so that the next level does not make windows across them. */
const BARRIER = ' '.repeat(MAX_GAP + 1);

/** Chinese numerals, and look-alikes of 〇 (only among numerals: a group of circles alone is no number). */
const CHINESE = '〇零一壹幺二贰貳三叁參四肆五伍六陆陸七柒八捌九玖○◯⚪⭕';
const CHINESE_VALUES = [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9, 9, 0, 0, 0, 0];
const CIRCLES = 4;
/** Digit value + 1 (0: none); CLASS: 1 folded digit (the token reads it), 2 Chinese numeral, 3 a circle. */
let VALUE: Uint8Array | null = null;
let CLASS: Uint8Array | null = null;
/** 1: a separator (a tight gap's character); 2: a Latin letter (after folding). */
let KIND: Uint8Array | null = null;
/** The next digit of any kind (the long gaps between numbers are skipped natively). */
let NEXT: RegExp | null = null;

function tables(): void {
  if (VALUE) return;
  const { fold, cls } = foldTables();
  VALUE = new Uint8Array(0x10000);
  CLASS = new Uint8Array(0x10000);
  KIND = new Uint8Array(0x10000);
  let ranges = '';
  for (let c = 0; c < 0xd800; c++) {
    const f = fold[c]!;
    if (f >= 0x30 && f <= 0x39) {
      VALUE[c] = f - 0x2f;
      CLASS[c] = 1;
      if (c >= 0x80) ranges += String.fromCharCode(c);
    } else if (f >= 0x61 && f <= 0x7a) KIND[c] = 2;
    else if (cls[c] === SEP || cls[c] === SKIP) KIND[c] = 1;
  }
  for (let i = 0; i < CHINESE.length; i++) {
    const c = CHINESE.charCodeAt(i);
    VALUE[c] = CHINESE_VALUES[i]! + 1;
    CLASS[c] = i >= CHINESE.length - CIRCLES ? 3 : 2;
    KIND[c] = 0;
  }
  NEXT = new RegExp(`[0-9${ranges.replace(/[\]\\^-]/g, '\\$&')}${CHINESE}]`, 'g');
}

const isX = (c: number): boolean => c === 0x58 || c === 0x78 || c === 0xff38 || c === 0xff58;
/** The separators the token joins when one stands alone between groups (pii-token.ts, text-scanner.ts). */
const JOINED = /^(?:[ \t\n\u00a0\u2000-\u200a\u202f\u205f\u3000-]|\r\n)$/;
/** A separator digit-forms.ts reads one of throughout (its SEPS, 1 to 4). */
const FORMS_SEP = /^[ \t\r\n\-/.,_|·・:;"'\u00a0\u202f\u205f\u3000\u2000-\u200a\u2010-\u2015\u2212\ufe58\ufe63\uff0d\uff0f\uff0e\uff0c\uff3f\uff5c]{1,4}$/;
/** The shapes the token joins (pii-token.ts SHAPES, cn-resident-id). */
const TOKEN_SHAPES = new Set(['6,8,4', '6,12', '6,4,4,4', '3,3,4,4,4']);
/** First two digits of a region code (pii-checks.ts PROVINCES), for the quick look before a reading is made. */
const PROVINCE = new Uint8Array(100);
for (const p of [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]) PROVINCE[p] = 1;

/** Could v (18 characters) be an id number by its region's first digits and its birth year's century? */
function quick(v: string): boolean {
  const c6 = v.charCodeAt(6);
  const c7 = v.charCodeAt(7);
  if (!((c6 === 0x31 && c7 === 0x39) || (c6 === 0x32 && c7 === 0x30))) return false;
  return PROVINCE[(v.charCodeAt(0) - 0x30) * 10 + v.charCodeAt(1) - 0x30] === 1;
}

const reversed = (v: string): string => {
  let r = '';
  for (let i = v.length - 1; i >= 0; i--) r += v[i];
  return r;
};

interface Group {
  /** Its characters as ASCII: digits, 'x' last (a check) or first (written backwards). */
  text: string;
  /** Every digit one the scanner reads itself (ASCII, full-width, other scripts'). */
  folded: boolean;
  circle: boolean;
  /** A Latin letter just before it. */
  letterBefore: boolean;
  /** The text between it and the group before ('' for the first after a long gap). */
  gap: string;
  tight: boolean;
}

export class IdGroups {
  /** The groups of the current stretch (the last ID_LEN). */
  #groups: Group[] = [];
  /** The group being read when a chunk ended in it. */
  #cur: Group | null = null;
  /** The gap since the last group, carried from earlier chunks. */
  #gap = '';
  /** No group within MAX_GAP characters: the next group starts afresh. */
  #far = true;
  /** The last two characters of the previous chunk. */
  #p1 = 0;
  #p2 = 0;
  #out = '';

  constructor() {
    tables();
  }

  /** Reads s (the next piece of the text); returns the readings found, one a line. */
  push(s: string, final: boolean): string {
    const V = VALUE!;
    const n = s.length;
    let i = 0;
    let gapFrom = 0;
    while (i < n) {
      if (this.#cur) {
        i = this.#digits(s, i);
        if (i >= n) break;
        i = this.#endGroup(s, i);
        gapFrom = i;
        continue;
      }
      if (this.#far) {
        NEXT!.lastIndex = i;
        const m = NEXT!.exec(s);
        if (!m) {
          i = n;
          break;
        }
        i = m.index;
        this.#startGroup(s, i, '');
        continue;
      }
      // Within a gap: the next digit, up to MAX_GAP characters on.
      const limit = Math.min(n, gapFrom + MAX_GAP + 1 - this.#gap.length);
      let j = i;
      while (j < limit && V[s.charCodeAt(j)] === 0) j++;
      if (j < limit) {
        this.#startGroup(s, j, this.#gap + s.slice(gapFrom, j));
        this.#gap = '';
        i = j;
      } else if (j >= n) {
        this.#gap += s.slice(gapFrom, n);
        i = n;
      } else {
        this.#reset();
        i = j;
      }
    }
    this.#p2 = n >= 2 ? s.charCodeAt(n - 2) : this.#p1;
    this.#p1 = n >= 1 ? s.charCodeAt(n - 1) : this.#p1;
    if (final) {
      if (this.#cur) this.#endGroup('', 0);
      this.#reset();
      this.#p1 = this.#p2 = 0;
    }
    const out = this.#out;
    this.#out = '';
    return out;
  }

  #reset(): void {
    this.#decide(null);
    this.#groups.length = 0;
    this.#gap = '';
    this.#far = true;
  }

  #charBefore(s: string, i: number, k: number): number {
    return i - k >= 0 ? s.charCodeAt(i - k) : i - k === -1 ? this.#p1 : this.#p2;
  }

  #startGroup(s: string, i: number, gap: string): void {
    // (An X before the digits: the check of a number written backwards, unless it ends a word.)
    const p1 = this.#charBefore(s, i, 1);
    const lead = isX(p1) && KIND![this.#charBefore(s, i, 2)] !== 2;
    if (lead && gap) gap = gap.slice(0, -1);
    this.#cur = { text: lead ? 'x' : '', folded: true, circle: false, letterBefore: !lead && KIND![p1] === 2, gap, tight: false };
    this.#far = false;
  }

  /** Digits of the current group from s[i]; returns where they end. */
  #digits(s: string, i: number): number {
    const g = this.#cur!;
    const from = i;
    let c = s.charCodeAt(i);
    while (c >= 0x30 && c <= 0x39) c = s.charCodeAt(++i);
    if (i > from) g.text += s.slice(from, i);
    const V = VALUE!;
    const C = CLASS!;
    while (i < s.length) {
      c = s.charCodeAt(i);
      const v = V[c]!;
      if (v === 0) break;
      g.text += String.fromCharCode(0x2f + v);
      if (C[c] !== 1) g.folded = false;
      if (C[c] === 3) g.circle = true;
      i++;
    }
    return i;
  }

  /** The current group ends before s[i] (s '' at the end of the text): taken, or made part of the gap. Returns where reading goes on. */
  #endGroup(s: string, i: number): number {
    const g = this.#cur!;
    this.#cur = null;
    const c = i < s.length ? s.charCodeAt(i) : 0;
    let ends = i;
    // An X after the digits is the check, unless a letter or a digit follows it (a word, a hex number).
    if (isX(c) && g.text[0] !== 'x' && KIND![s.charCodeAt(i + 1)] !== 2 && !(VALUE![s.charCodeAt(i + 1)]! > 0)) {
      g.text += 'x';
      ends = i + 1;
    }
    const letterAfter = ends < s.length && KIND![s.charCodeAt(ends)] === 2;
    const digits = g.text.length - (g.text[0] === 'x' ? 1 : 0) - (ends > i ? 1 : 0);
    // Chinese numerals alone (一 in prose) and circles alone are no group; nor is one joined to a word (p2, a hash).
    if (letterAfter || g.letterBefore || (!g.folded && digits < 2) || (g.circle && /^[0x]+$/.test(g.text))) {
      this.#gap = g.gap + g.text;
      if (this.#gap.length > MAX_GAP) this.#reset();
      return ends;
    }
    const groups = this.#groups;
    g.tight = g.gap.length > 0 && g.gap.length <= TIGHT;
    for (let k = 0; g.tight && k < g.gap.length; k++) g.tight = KIND![g.gap.charCodeAt(k)] === 1;
    this.#decide(g.gap);
    groups.push(g);
    if (groups.length > ID_LEN) groups.shift();
    this.#gap = '';
    this.#window();
    return ends;
  }

  /** The window of 18 characters that ends with the last group, if any: its readings. */
  #window(): void {
    const groups = this.#groups;
    const b = groups.length - 1;
    let a = b;
    let len = groups[b]!.text.length;
    let loose = false;
    while (len < ID_LEN && a > 0) {
      if (!groups[a]!.tight) loose = true;
      a--;
      len += groups[a]!.text.length;
    }
    if (len !== ID_LEN || (loose && b - a + 1 > 3)) return;
    // Three groups or more across a line's end: only with a key between (pretty-printed JSON, `出生:`), not
    // the end of one row of a table or a log and the start of the next (a time, a number, the next date).
    if (b - a + 1 >= 3) for (let k = a + 1; k <= b; k++) if (groups[k]!.gap.includes('\n') && !KEYED.test(groups[k]!.gap)) return;
    this.#pending = groups.slice(a, b + 1);
  }

  /** A window found, waiting for the text after it. */
  #pending: Group[] | null = null;

  /**
   * The pending window, now that the gap after it is known (null: a long one,
   * or the end). It is read where it stands apart, as a number a person sees:
   * the text just before and just after it is none of the gaps inside it (in
   * a row of numbers apart by spaces, 18 digits of it are no number; a row of
   * exactly 18 digits is).
   */
  #decide(after: string | null): void {
    const w = this.#pending;
    if (!w) return;
    this.#pending = null;
    const before = w[0]!.gap;
    for (let k = 1; k < w.length; k++) if (w[k]!.gap === before || w[k]!.gap === after) return;
    this.#read(w);
  }

  /** The readings of a window w (18 characters in all). */
  #read(w: Group[]): void {
    let inOrder = '';
    for (const g of w) inOrder += g.text;
    const count = w.length;
    const back = count === 1 ? reversed(inOrder) : '';
    let fields = '';
    if (count === 3) {
      const by = (n: number): string => w.find((g) => g.text.length === n)?.text ?? '';
      fields = by(6) + by(8) + by(4);
      if (fields.length !== ID_LEN) fields = '';
    }
    if (!quick(inOrder) && !(back && quick(back)) && !(fields && quick(fields))) return;
    const gaps = w.slice(1).map((g) => g.gap);
    const shape = w.map((g) => g.text.length).join(',');
    const folded = w.every((g) => g.folded);
    const circle = w.some((g) => g.circle);
    const oneSep = gaps.every((x) => x === gaps[0] && FORMS_SEP.test(x));
    // Read already: by the token (a run whole, the shapes it joins, two pieces a line break apart), and by
    // digit-forms.ts (one separator throughout: other numerals, digit by digit, 6-8-4).
    const tokenReads = folded && (count === 1 || (gaps.every((x) => JOINED.test(x)) && (TOKEN_SHAPES.has(shape) || (count === 2 && gaps[0]!.includes('\n')))));
    const last = w[w.length - 1]!.text;
    const single = w.every((g) => g.text.length === 1 || (g.text === last && last.length === 2 && last[1] === 'x'));
    const formsRead = oneSep && !circle && (!folded || single || shape === '6,8,4');
    const readings = new Set<string>();
    // Three groups apart by more than separators are read only as an id's fields (below).
    const loose = w.some((g, k) => k > 0 && !g.tight);
    if (!tokenReads && !formsRead && !(count === 3 && loose)) readings.add(inOrder);
    // Backwards: a run of 18 written whole (X first). Not groups turned round: a line of a log (a date, a
    // time, a number: 4-2-2 2-2 6) read backwards gave a region and a birth date in one file of twelve.
    if (count === 1) readings.add(back);
    // Fields in another order: on one line, or a key between them (pretty-printed JSON); not rows of a table.
    if (fields && gaps.every((x) => !x.includes('\n') || KEYED.test(x)) && (fields !== inOrder || !formsRead)) readings.add(fields);
    for (const v of readings) {
      if (!quick(v) || !/^[0-9]{17}[0-9x]$/.test(v) || !residentIdPlausible(v)) continue;
      this.#out += `${v.slice(0, 6)} ${v.slice(6, 14)} ${v.slice(14)}\n${BARRIER}\n`;
    }
  }
}
