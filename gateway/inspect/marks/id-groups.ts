import { residentIdPlausible } from './pii-checks.js';
import { SEP, SKIP, foldTables } from './text-fold.js';

// A resident id number put together from groups of digits, whatever the
// grouping (issue 14, second red team of 30 Nov): a person reading
// `44 03 05 19 90 03 07 45 7X`, `440305199 00307457X`, `440 305 199 …`,
// `440305-19900307/457X`, `{"birth":"19900307","region":"440305",…}` or an
// id's halves a line apart sees one number; so does the reader here.
//
// Groups are runs of ASCII or full-width digits (other numerals and scripts'
// digits reach this reader written out as ASCII by digit-forms.ts, one view
// up); an X after the last digit is the check, an X before the first a number
// written backwards. A group touching a Latin letter (`p2`, a hash, a UUID)
// is part of the text between groups, unless a word glued before it names it
// (`R110105 B19491231 S002X`, `region110105;birth19491231;seq002X`: a form's
// codes, third red team of 30 Nov; see #labelled). A window is consecutive groups whose
// characters add up to 18, apart by "tight" gaps (1 to 4 separators: white
// space, punctuation, symbols; each gap its own) or, for two or three groups,
// by "loose" ones (up to MAX_GAP characters of anything but digits: JSON keys,
// CSV cells, a line of text between halves). It is read where it stands
// apart (the text just before and after it is none of its gaps: 18 digits out
// of a longer row of numbers are no number a person sees), and not across a
// line's end in three groups or more unless a key stands between (the end of
// one row of a log and the start of the next gave a region and a birth date in
// one file of twelve). Readings: in order (two groups, or tight ones); three
// groups of 6, 8 and 4 characters in any order put back as region, birth
// date, sequence and check (fields of JSON or CSV); an 18-character run
// backwards. Not groups turned round, nor two swapped: read so, a log line
// (a date, a time, a number) and `uid=… ts=…` gave birth dates.
//
// Third red team of 30 Nov, closed 1 Dec: runs of more than TIGHT separators
// on one line (`4403  05     1990 0307 457X`, `-----`) are read like tight
// gaps when the window stands apart from other numbers on its line (#read's
// spreadOk); groups turned round are read when the region and the year stand
// whole (`457X 0307 1990 440305`; #read); and groups named by keys as the
// id's fields (`地区：`, `出生：`, `顺序码：`, `前九位`, `后九位`, `region`, `dob`,
// `seq`) are joined up to KEYED_SPAN apart, whatever lies between, in the
// order the keys give (#role, #keyed). A key that names digits as a card's
// or a phone's (`银行卡后四位`, `手机尾号`) names no field. Not read, by
// decision: unnamed groups more than MAX_GAP apart, pairs turned round,
// halves swapped with no key (docs/findings.md, "Identifiers in groups").
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

/** Digit value + 1 (0: none): ASCII and full-width digits. */
const VALUE = new Uint8Array(0x10000);
for (let d = 0; d < 10; d++) VALUE[0x30 + d] = VALUE[0xff10 + d] = d + 1;
/** 1: a separator (a tight gap's character: white space, punctuation, symbols, invisibles); 2: a Latin letter (after folding). */
const KIND = new Uint8Array(0x10000);
{
  const { fold, cls } = foldTables();
  for (let c = 0; c < 0x10000; c++) {
    const f = fold[c]!;
    if (f >= 0x61 && f <= 0x7a) KIND[c] = 2;
    else if ((cls[c] === SEP || cls[c] === SKIP) && !(f >= 0x30 && f <= 0x39)) KIND[c] = 1;
  }
}
/**
 * The next digit: a native search, fast over text of any script (a class of
 * two ranges; the Chinese numerals as a class made it 20 times slower on
 * Chinese text). Numbers in other numerals and scripts reach this reader as
 * ASCII digits one view down, written out by digit-forms.ts.
 */
const NEXT = /[0-9\uff10-\uff19]/g;

/** The next digit in s[i, n), else n. (It is often a few characters on in tables and logs: looked for by hand, then natively.) */
function nextDigit(s: string, i: number, n: number): number {
  let j = i;
  const near = Math.min(n, i + 8);
  while (j < near && VALUE[s.charCodeAt(j)] === 0) j++;
  if (j === near && j < n) {
    NEXT.lastIndex = j;
    j = NEXT.test(s) ? NEXT.lastIndex - 1 : n;
  }
  return j;
}

/** The lengths of a cluster's groups and the kinds of their gaps (#quietCluster), the last 32 (a walk back reaches 18). */
const CLUSTER_LENS = new Uint8Array(32);
const CLUSTER_GAPS = new Uint8Array(32);
/** Where each of a stretch's last 32 groups ends (#quietStretch). */
const STRETCH_ENDS = new Int32Array(32);
/** A gap as #accept and #window judge it: tight (1 to TIGHT separators), spread (more, on one line), loose (anything else). */
const TIGHT_GAP = 1;
const SPREAD_GAP = 2;
const LOOSE = 3;
function gapKind(s: string, a: number, b: number): number {
  const len = b - a;
  if (len <= 0) return LOOSE;
  let line = false;
  for (let q = a; q < b; q++) {
    const c = s.charCodeAt(q);
    if (KIND[c] !== 1) return LOOSE;
    if (c === 0x0a) line = true;
  }
  return len <= TIGHT ? TIGHT_GAP : line ? LOOSE : SPREAD_GAP;
}

/**
 * Fields named by keys are joined farther apart than MAX_GAP (a form's
 * `地区：440305`, a sentence, `出生：19900307`, a sentence, `顺序码：457X`):
 * a page of text, about. Unnamed groups are not (every document with dates
 * and 6-digit codes would make readings).
 */
const KEYED_SPAN = 1000;
/** Characters before a group looked at for its key (the key, the separators after it, a word before it). */
const KEY_BACK = 32;
/** A key's role: the id's start (a region, a first half), its birth date, its end (a sequence and check, a second half); OTHER: a key that names the digits as something else (a card's or a phone's last digits). */
const HEAD = 1;
const BIRTH = 2;
const END = 3;
const OTHER = 4;
const N = '(?:[0-9]{1,2}|[一二三四五六七八九十两]{1,3})';
/**
 * The keys that name an id's fields (Chinese and English), at the end of the
 * text before a group, then up to 6 separators (`：`, `=`, quotes, brackets,
 * `为`, `是`). One key names one field: 地区/区划/地址码, 前六位, 前半段; 出生
 * (日期), 生日, 中间八位; 顺序码, 校验码, 后四位, 末四位, 后半段; region,
 * area, first half; birth, dob, date of birth; seq, sequence, last four,
 * second half. Positions in other words (`第一段`, `part 2`), `code`, `no.`,
 * `serial` name too much else.
 */
const KEY_RE = new RegExp(
  '(?:' +
    [
      `(?<h>(?:行政区划|区划|地区|地址)(?:代码|编码|码)|行政区划|区划|地区|前${N}位|前半(?:段|部分|截)?|上半(?:段|部分)|(?<![A-Za-z])(?:region|area|district|address)(?:[ _-]?code)?|(?<![A-Za-z])(?:first|leading)[ _-]?(?:half|part|six|nine|${N}(?:[ _-]?digits)?))`,
      `(?<b>出生(?:日期|年月日|年月|日)?(?:码)?|生日|中间${N}位|(?<![A-Za-z])(?:birth(?:[ _-]?(?:date|day))?|date[ _-]?of[ _-]?birth|dob|born|middle[ _-]?(?:eight|8)(?:[ _-]?digits)?))`,
      `(?<e>顺序(?:码|号)?(?:(?:及|和|与|加)?校验(?:码|位))?|校验(?:码|位)|(?:后|末|最后|尾)${N}位|后半(?:段|部分|截)?|下半(?:段|部分)|(?<![A-Za-z])(?:seq(?:uence)?(?:[ _-]?(?:code|no|num(?:ber)?))?|check[ _-]?(?:code|digit)|(?:last|trailing|final)[ _-]?(?:half|part|four|nine|${N}(?:[ _-]?digits)?)|second[ _-]?half))`,
      '(?<o>尾号|(?<![A-Za-z])(?:ending(?:[ _-]?in)?|ends[ _-]?with))',
    ].join('|') +
    ')[\\s:：=＝"\'“”‘’「」『』（）()【】\\[\\]<>《》,，为是]{0,6}$',
  'i',
);
/** A key that names other digits than an id's: a card's, a phone's, an account's (`银行卡后四位`, `手机尾号`). */
const OTHER_RE = /卡|手机|电话|账|帐|尾号|card|phone|mobile|tel|acc(?:oun)?t/i;
/** The separators that may stand between a key and its group (KEY_RE), for the quick look; and one line's end. */
const KEY_SEP = new Uint8Array(0x10000);
for (const c of ' \t:：=＝"\'“”‘’「」『』（）()【】[]<>《》,，为是') KEY_SEP[c.charCodeAt(0)] = 1;
/** The last character of a Chinese key, for the quick look. */
const KEY_END = new Uint8Array(0x10000);
for (const c of '区划码位段分截生期日月序号') KEY_END[c.charCodeAt(0)] = 1;
/** A word's hash, read from its end, letters in either case (no string is made for the quick look). */
const wordHash = (h: number, c: number): number => (Math.imul(h, 31) + (c | 0x20)) | 0;
const hashOf = (w: string): number => {
  let h = 0;
  for (let k = w.length - 1; k >= 0; k--) h = wordHash(h, w.charCodeAt(k));
  return h;
};
/** The hashes of a list of words, as bits of a table (a word whose bit is set may be one: KEY_RE tells). */
const wordBits = (words: string[]): Uint8Array => {
  const bits = new Uint8Array(4096);
  for (const w of words) bits[hashOf(w) & 4095] = 1;
  return bits;
};
/** The last word of an English key (lower case, its words run together: `date_of_birth` ends `birth`, `dateofbirth` is one). */
const KEY_WORDS = wordBits(
  (
    'region area district address code regioncode areacode districtcode addresscode half part six nine digits digit ' +
    'firsthalf firstpart firstsix firstnine secondhalf lasthalf lastpart lastfour lastnine birth date day birthday birthdate ' +
    'dateofbirth dob born eight seq sequence no num number seqno seqnum seqnumber seqcode sequencecode sequenceno ' +
    'sequencenum sequencenumber checkcode checkdigit four in with endingin endswith'
  ).split(' '),
);
/** Words before a number that make it a key's (`last 4`, `first 6`). */
const KEY_PLACES = wordBits(['first', 'leading', 'last', 'trailing', 'final', 'middle']);

/** Longest word taken as a label glued to a group (`region`, `birthday`, `sequence`). */
const LABEL_MAX = 16;
const isAsciiLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
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

/**
 * Could the digits s[j, k) (x: and a check X after them), named by a word
 * glued to them, be an id's field by their look: a region (6 digits: a
 * province, a prefecture in use), a birth date (8: 19xx or 20xx and a
 * month), a sequence and check (4 characters)? Not an address's local part
 * (`u1234@`). The rest stay part of the gap, as before (every `user123456`
 * and `u1234@` cell of a CSV taken as a group made IdGroups 30% slower on it).
 */
function fieldLike(s: string, j: number, k: number, x: boolean, after: number): boolean {
  if (after === 0x40) return false;
  if (x) return k - j === 3;
  const d = (i: number): number => VALUE[s.charCodeAt(j + i)]! - 1;
  switch (k - j) {
    case 4:
      return true;
    case 6: {
      const pref = d(2) * 10 + d(3);
      return PROVINCE[d(0) * 10 + d(1)] === 1 && (pref <= 59 || pref === 90);
    }
    case 8: {
      const m = d(4) * 10 + d(5);
      return ((d(0) === 1 && d(1) === 9) || (d(0) === 2 && d(1) === 0)) && m >= 1 && m <= 12;
    }
    default:
      return false;
  }
}

/**
 * Does a gap keep a window of runs of separators apart from the numbers
 * around it: a line's end, or text (a key, a name, a unit) in it? Not a run
 * of separators alone: a table aligned with spaces has runs of every length
 * between its numbers, and 18 digits of a row are no number a person sees.
 */
function apart(gap: string): boolean {
  if (gap === '') return true;
  for (let k = 0; k < gap.length; k++) {
    const c = gap.charCodeAt(k);
    if (c === 0x0a || KIND[c] !== 1) return true;
  }
  return false;
}

const reversed = (v: string): string => {
  let r = '';
  for (let i = v.length - 1; i >= 0; i--) r += v[i];
  return r;
};

/** The digits of s[j, k) as ASCII (full-width ones folded). */
function digitsOf(s: string, j: number, k: number): string {
  return s.slice(j, k).replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

interface Group {
  /** Its characters as ASCII: digits, 'x' last (a check) or first (written backwards). */
  text: string;
  /** A Latin letter just before it (and no label: #labelled). */
  letterBefore: boolean;
  /** A word just before it that names it (#labelled): read like a group apart when it looks like a field (fieldLike). */
  named: boolean;
  /** The text between it and the group before ('' for the first after a long gap). */
  gap: string;
  /** The gap is 1 to TIGHT separators. */
  tight: boolean;
  /** The gap is more separators than TIGHT, and nothing else (`4403  05     1990`, `-----`): 1, not: 2, not looked at yet: 0 (#window). */
  spread: number;
  /** The field a key before it names (HEAD, BIRTH, END, OTHER), or 0. */
  role: number;
  /** Where it starts, in characters from the start of the content. */
  at: number;
}

/** IdGroups.#labelled, with the previous chunks' tail (a label cut by a chunk's end). */
function labelledAt(s: string, j: number, tail: string): boolean {
  const t = j > LABEL_MAX ? s : tail + s;
  const e = j > LABEL_MAX ? j : j + tail.length;
  let b = e;
  while (b > 0 && e - b <= LABEL_MAX && isAsciiLetter(t.charCodeAt(b - 1))) b--;
  if (b === e || e - b > LABEL_MAX) return false;
  if (b > 0 && (KIND[t.charCodeAt(b - 1)] === 2 || VALUE[t.charCodeAt(b - 1)] !== 0)) return false;
  // lower, UPPER or Capitalised.
  let upper = 0;
  for (let q = b; q < e; q++) if (t.charCodeAt(q) < 0x61) upper++;
  return upper === 0 || upper === e - b || (upper === 1 && t.charCodeAt(b) < 0x61);
  }


/** #groupAt's answer (one object, no allocation on the hot path). */
const GROUP = { k: 0, lead: false, xAfter: false, end: 0 };

/** #window's walk back from group b (lengths and gap kinds in rings of 32) until 18 characters or the first: true when they make a window #window keeps. */
function makesWindow(lens: Uint8Array | number[], gaps: Uint8Array | number[], b: number): boolean {
  let a = b;
  let len = lens[b & 31]!;
  let loose = false;
  while (len < ID_LEN && a > 0) {
    if (gaps[a & 31] === LOOSE) loose = true;
    a--;
    len += lens[a & 31]!;
  }
  return len === ID_LEN && !(loose && b - a + 1 > 3);
}

export class IdGroups {
  /** The groups of the current stretch (the last ID_LEN at least). */
  #groups: Group[] = [];
  /** The group being read when a chunk ended in it. */
  #cur: Group | null = null;
  /** The gap since the last group, carried from earlier chunks ('' and #far: none within MAX_GAP). */
  #gap = '';
  #far = true;
  /** The last two characters of the previous chunk. */
  #p1 = 0;
  #p2 = 0;
  #out = '';
  /** The last KEY_BACK characters of the previous chunks (a label or a key cut by a chunk's end). */
  #tail = '';
  /** Characters of the content before this chunk. */
  #pos = 0;
  /** The last group named by a key of each role (#keyed), by role. */
  #roles: Array<Group | null> = [null, null, null, null];
  /** Clusters not looked at by #quietCluster before the next is, and the wait after the next that is not quiet. */
  #quietWait = 0;
  #quietBackoff = 0;
  /** The same for stretches (#quietStretch). */
  #stretchWait = 0;
  #stretchBackoff = 0;
  /** Readings written lately (a field named by a key is often in a window too: written once). */
  #recent = new Set<string>();

  /**
   * The field a key just before s[j] on its line names (HEAD, BIRTH, END,
   * OTHER), or 0. KEY_RE is tried only where, past a few separators (a key's
   * `：`, quotes), the text before the group ends in a Chinese key's last
   * character or an English key's last word (or `last 4`): not in rows of
   * numbers, nor after every word of prose or of a log.
   */
  #role(s: string, j: number): number {
    const t = this.#tail;
    // (The text before the group: s, or the previous chunks' tail and s when the group starts near s's start.)
    const near = j < 8;
    const u = near ? t + s.slice(0, j) : s;
    const e = near ? u.length : j;
    let q = e - 1;
    while (q >= e - 6 && q >= 0 && KEY_SEP[u.charCodeAt(q)] === 1) q--;
    let c = q >= 0 ? u.charCodeAt(q) : 0;
    // A key on the line before (a form's cells one a line: `出生日期\n19900307`): one line's end crossed.
    if (c === 0x0a && q > 0) {
      const f = --q;
      if (u.charCodeAt(q) === 0x0d) q--;
      while (q >= f - 6 && q >= 0 && KEY_SEP[u.charCodeAt(q)] === 1) q--;
      c = q >= 0 ? u.charCodeAt(q) : 0;
    }
    if (c >= 0x3400 && c <= 0x9fff) {
      if (KEY_END[c] === 0) return 0;
    } else {
      // An English key's last word; or a number after `last`, `first` (`last 4`).
      let w = q;
      if (c >= 0x30 && c <= 0x39) {
        while (w >= 0 && w > q - 2 && (c = u.charCodeAt(w)) >= 0x30 && c <= 0x39) w--;
        if (w >= 0 && (c === 0x20 || c === 0x5f || c === 0x2d)) w--;
      }
      let b = w;
      let h = 0;
      while (b >= 0 && w - b < 16 && isAsciiLetter((c = u.charCodeAt(b)))) {
        h = wordHash(h, c);
        b--;
      }
      if (b === w || (w === q ? KEY_WORDS : KEY_PLACES)[h & 4095] === 0) return 0;
    }
    const before = e >= KEY_BACK ? u.slice(e - KEY_BACK, e) : (near ? u : t + s.slice(0, j)).slice(-KEY_BACK);
    const m = KEY_RE.exec(before);
    if (!m) return 0;
    const g = m.groups!;
    // The words just before the key say whose digits they are (`银行卡后四位`, `身份证尾号`).
    const whose = before.slice(Math.max(0, m.index - 8), m.index + (g.h ?? g.b ?? g.e ?? g.o ?? '').length);
    if (/身份|证件|证号|(?<![A-Za-z])id(?![A-Za-z])/i.test(whose)) return g.h ? HEAD : g.b ? BIRTH : END;
    if (g.o || OTHER_RE.test(whose)) return OTHER;
    return g.h ? HEAD : g.b ? BIRTH : END;
  }

  /**
   * A group named by a key: joined with the last groups named as the id's
   * other fields within KEYED_SPAN, whatever lies between and in whichever
   * order they stand (the keys say which is which): a first and a second
   * part whose lengths add up to 18 (`前九位`, `后九位`; `地区码`, `出生日期及顺序码`),
   * or a region, a birth date and a sequence (6, 8, 4).
   */
  #keyed(g: Group): void {
    const r = g.role;
    if (r === 0 || r === OTHER || g.text.charCodeAt(0) === 0x78 || (r !== END && g.text.endsWith('x'))) return;
    this.#roles[r] = g;
    const pick = (k: number): Group | null => {
      const o = this.#roles[k]!;
      return o && g.at - o.at <= KEYED_SPAN ? o : null;
    };
    const h = pick(HEAD);
    const b = pick(BIRTH);
    const e = pick(END);
    if (!h || !e) return;
    if (r !== BIRTH && h.text.length + e.text.length === ID_LEN) this.#emit(h.text + e.text, true);
    if (b && h.text.length === 6 && b.text.length === 8 && e.text.length === 4) this.#emit(h.text + b.text + e.text, true);
  }

  /** A reading written, when its region and birth date are real (once, when keyed: the window may have read it). */
  #emit(v: string, keyed: boolean): void {
    if (!quick(v) || !/^[0-9]{17}[0-9x]$/.test(v) || !residentIdPlausible(v)) return;
    if (keyed && this.#recent.has(v)) return;
    if (this.#recent.size >= 32) this.#recent.clear();
    this.#recent.add(v);
    this.#out += `${v.slice(0, 6)} ${v.slice(6, 14)} ${v.slice(14)}\n${BARRIER}\n`;
  }

  /**
   * Is the group of digits from s[j] (a Latin letter just before it) a field
   * named by a word glued to it (`R110105`, `birth19491231`, `seq002X`)? The
   * word is one of ASCII letters standing alone, lower case, upper case or
   * capitalised (a form's code or a key, not base64's mixed case); a letter
   * or a digit before the word makes it part of a hex number, a hash or a
   * UUID (`a110105b19491231`), as before. (The caller asks for the look of
   * a field and no letter after it: `p2`, `h264`, `0x1f` are no fields.)
   */
  #labelled(s: string, j: number): boolean {
    return labelledAt(s, j, this.#tail);
  }

  /**
   * The group of digits at s[j] (j at its first digit), as push takes it: in GROUP its end k, an X before it
   * (lead), an X check after it, and where it ends with that X. 1: a group; 0: not one (a letter after it, or
   * glued to a word before that no key makes a field); -1: it runs to s's end (the next chunk decides).
   */
  #groupAt(s: string, j: number, n: number): number {
    let k = j;
    while (k < n && VALUE[s.charCodeAt(k)] !== 0) k++;
    if (k >= n) return -1;
    const p1 = s.charCodeAt(j - 1);
    const lead = isX(p1) && KIND[s.charCodeAt(j - 2)] !== 2;
    const glued = !lead && KIND[p1] === 2;
    const xAfter = !lead && isX(s.charCodeAt(k)) && (k + 1 >= n || (KIND[s.charCodeAt(k + 1)] !== 2 && VALUE[s.charCodeAt(k + 1)] === 0));
    const end = xAfter ? k + 1 : k;
    const after = end < n ? s.charCodeAt(end) : 0;
    GROUP.k = k;
    GROUP.lead = lead;
    GROUP.xAfter = xAfter;
    GROUP.end = end;
    return KIND[after] === 2 || (glued && !(fieldLike(s, j, k, xAfter, after) && this.#labelled(s, j))) ? 0 : 1;
  }

  /**
   * The cluster of runs of digits from the digit at s[j] (j >= 2), each run
   * within MAX_GAP characters of the one before: the next digit after it (or
   * s's end), when the groups push would take from it (the same tests: an X
   * before or after, a word glued before, a letter after, fieldLike and
   * labelled) make no window #window would keep (18 characters, not four
   * groups or more with a loose gap: the same walk back over the groups'
   * lengths and gaps, without making them), no key names one (#role), and
   * more than MAX_GAP characters without a digit follow it in s; else -1.
   * Taken with no group before it within MAX_GAP (#far), such a cluster
   * makes no window, no keyed field and no reading, and the reader is back
   * where it started (#far, no groups) at the next digit: it is passed whole.
   * A CSV row's number, amount and `user123456` cell are one such cluster, and
   * so is a JSON log line's numbers.
   */
  #quietCluster(s: string, j: number, n: number): number {
    const lens = CLUSTER_LENS;
    const gaps = CLUSTER_GAPS;
    let taken = 0;
    let prevEnds = -1;
    for (;;) {
      const counted = this.#groupAt(s, j, n);
      if (counted < 0) return -1;
      const { k, lead, xAfter, end: ends } = GROUP;
      if (counted === 1) {
        // (A group a key names may join fields KEYED_SPAN apart: not passed. The same test as push's.)
        if (!lead && k - j >= 3 && (k - j >= 4 || xAfter) && k - j <= 14 && this.#role(s, j) !== 0) return -1;
        const b = taken++;
        lens[b & 31] = (lead ? 1 : 0) + k - j + (xAfter ? 1 : 0);
        gaps[b & 31] = b === 0 ? LOOSE : gapKind(s, prevEnds, lead ? j - 1 : j);
        prevEnds = ends;
        if (makesWindow(lens, gaps, b)) return -1;
      }
      const d = nextDigit(s, ends, n);
      if (d - ends > MAX_GAP) return d;
      if (d >= n) return -1;
      j = d;
    }
  }


  /**
   * A stretch of groups that keep coming within MAX_GAP of each other, from
   * the digit at s[j] (j >= 2; groups before it, none pending, no gap carried
   * from the last chunk; the last group taken ends at s[gapFrom]): a log's
   * lines chain into one such stretch as long as the chunk (a date, a time,
   * an address, a status and a size every few characters). The groups push
   * would take from there, up to the first that makes a window #window would
   * keep (18 characters, with the groups before them), that a key names
   * (#role), that a long gap puts apart (push's reset), or that the chunk's
   * end cuts, are judged with the same tests as #quietCluster's, with no
   * group made. None of them made a reading, and a walk back from any later
   * group stops within their last 18 characters: reading goes on from the
   * end of the group before those (returned), with the groups before it
   * dropped. The same groups are then taken from there, and the same windows
   * are made after. -1 when the stretch is too short to pass any.
   */
  #quietStretch(s: string, j: number, gapFrom: number, n: number): number {
    const lens = CLUSTER_LENS;
    const gaps = CLUSTER_GAPS;
    const ends = STRETCH_ENDS;
    const groups = this.#groups;
    // The groups before, as #window walks them (a walk back stops within 18 of them: 24 are enough).
    const pre = Math.min(groups.length, 24);
    for (let q = 0; q < pre; q++) {
      const g = groups[groups.length - pre + q]!;
      lens[q] = g.text.length;
      gaps[q] = g.tight ? TIGHT_GAP : g.gap.length > TIGHT && !apart(g.gap) ? SPREAD_GAP : LOOSE;
    }
    let taken = pre;
    let prevEnds = gapFrom;
    for (;;) {
      // (push's reset: a gap longer than MAX_GAP since the last group taken.)
      if (j - prevEnds > MAX_GAP || j < 2) break;
      const counted = this.#groupAt(s, j, n);
      if (counted < 0) break;
      const { k, lead, xAfter, end } = GROUP;
      if (counted === 1) {
        if (!lead && k - j >= 3 && (k - j >= 4 || xAfter) && k - j <= 14 && this.#role(s, j) !== 0) break;
        const b = taken;
        lens[b & 31] = (lead ? 1 : 0) + k - j + (xAfter ? 1 : 0);
        gaps[b & 31] = gapKind(s, prevEnds, lead ? j - 1 : j);
        if (makesWindow(lens, gaps, b)) break;
        taken++;
        ends[b & 31] = end;
        prevEnds = end;
      }
      const d = nextDigit(s, end, n);
      if (d >= n) break;
      j = d;
    }
    // The first of the stretch's last groups that hold 18 characters; reading goes on from the end of the one before it.
    let a = taken - 1;
    if (a < pre) return -1;
    let len = lens[a & 31]!;
    while (len < ID_LEN && a > pre) {
      a--;
      len += lens[a & 31]!;
    }
    if (len < ID_LEN || a <= pre) return -1;
    return ends[(a - 1) & 31]!;
  }

  /** Reads s (the next piece of the text); returns the readings found, one a line. */
  push(s: string, final: boolean): string {
    const n = s.length;
    let i = 0;
    if (this.#cur) {
      i = this.#digits(s, 0, this.#cur);
      if (i < n || final) i = this.#end(s, i, this.#cur);
    }
    // From i: the text between numbers, then a number, until the chunk's end.
    let gapFrom = i;
    while (i < n && !this.#cur) {
      const j = nextDigit(s, i, n);
      if (!this.#far && this.#gap.length + j - gapFrom > MAX_GAP) this.#reset();
      if (j >= n) {
        if (!this.#far) this.#gap += s.slice(gapFrom, n);
        break;
      }
      // A stretch of groups that make no reading (a log's lines, chained) is passed up to its last 18 characters.
      // (After one that could not be passed, the next ones are not looked at first: 1, 2, 4… up to 64 of them.)
      if (!this.#far && this.#pending === null && this.#gap === '' && j >= 2 && --this.#stretchWait < 0) {
        const resume = this.#quietStretch(s, j, gapFrom, n);
        if (resume >= 0) {
          this.#stretchBackoff = 0;
          this.#groups.length = 0;
          i = gapFrom = resume;
          continue;
        }
        this.#stretchWait = this.#stretchBackoff;
        this.#stretchBackoff = Math.min(64, 2 * this.#stretchBackoff + 1);
      }
      // A cluster of numbers that can make no reading (a CSV row's number, amount and code) is passed whole.
      // (Where clusters make windows, as a JSON log's lines do, each was read twice: after a cluster that was not
      // quiet, the next ones are not looked at first, 1, 2, 4… up to 64 of them; either way the same is read.)
      if (this.#far && j >= 2 && --this.#quietWait < 0) {
        const past = this.#quietCluster(s, j, n);
        if (past >= 0) {
          this.#quietBackoff = 0;
          i = gapFrom = past;
          continue;
        }
        this.#quietWait = this.#quietBackoff;
        this.#quietBackoff = Math.min(64, 2 * this.#quietBackoff + 1);
      }
      let k = j;
      let c = s.charCodeAt(k);
      while (c >= 0x30 && c <= 0x39) c = s.charCodeAt(++k);
      const ascii = k >= n || VALUE[c] === 0;
      while (k < n && VALUE[s.charCodeAt(k)] !== 0) k++;
      // An X before the digits: the check of a number written backwards, unless it ends a word.
      const p1 = j >= 1 ? s.charCodeAt(j - 1) : this.#p1;
      const p2 = j >= 2 ? s.charCodeAt(j - 2) : j === 1 ? this.#p1 : this.#p2;
      const lead = isX(p1) && KIND[p2] !== 2;
      // A word glued before it: part of the gap, unless it names the group (a label: #labelled, fieldLike).
      const glued = !lead && KIND[p1] === 2;
      if (k >= n && !final) {
        // Cut by the chunk's end: read on in the next.
        const named = glued && this.#labelled(s, j);
        const role = lead || (glued && !named) ? 0 : this.#role(s, j);
        this.#cur = { text: (lead ? 'x' : '') + (ascii ? s.slice(j, k) : digitsOf(s, j, k)), letterBefore: glued && !named, named, gap: this.#far ? '' : this.#gap + s.slice(gapFrom, lead ? j - 1 : j), tight: false, spread: 0, role, at: this.#pos + j };
        this.#gap = '';
        break;
      }
      // An X after the digits is the check, unless a letter or a digit follows it (a word, a hex number).
      const xAfter = !lead && k < n && isX(s.charCodeAt(k)) && (k + 1 >= n || (KIND[s.charCodeAt(k + 1)] !== 2 && VALUE[s.charCodeAt(k + 1)] === 0));
      const ends = xAfter ? k + 1 : k;
      // A group joined to a word (p2, a hash, a UUID) is part of the gap: no group is made of it.
      // (The field's look first: it is cheaper than the word's, and most glued groups fail it.)
      const after = ends < n ? s.charCodeAt(ends) : 0;
      if (KIND[after] === 2 || (glued && !(fieldLike(s, j, k, xAfter, after) && this.#labelled(s, j)))) {
        i = ends;
        continue;
      }
      const gap = this.#far ? '' : this.#gap + s.slice(gapFrom, lead ? j - 1 : j);
      this.#gap = '';
      // (A key is looked for before groups of a field's length: 4 to 14 characters.)
      const role = lead || k - j < 3 || (k - j < 4 && !xAfter) || k - j > 14 ? 0 : this.#role(s, j);
      this.#accept({ text: (lead ? 'x' : '') + (ascii ? s.slice(j, k) : digitsOf(s, j, k)) + (xAfter ? 'x' : ''), letterBefore: false, named: glued, gap, tight: false, spread: 0, role, at: this.#pos + j });
      i = gapFrom = ends;
    }
    this.#tail = n >= KEY_BACK ? s.slice(n - KEY_BACK) : (this.#tail + s).slice(-KEY_BACK);
    this.#pos += n;
    this.#p2 = n >= 2 ? s.charCodeAt(n - 2) : n === 1 ? this.#p1 : this.#p2;
    this.#p1 = n >= 1 ? s.charCodeAt(n - 1) : this.#p1;
    if (final) {
      this.#reset();
      this.#p1 = this.#p2 = 0;
      this.#tail = '';
      this.#pos = 0;
      this.#roles.fill(null);
      this.#recent.clear();
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

  /** Digits of group g from s[i]; returns where they end. */
  #digits(s: string, i: number, g: Group): number {
    const from = i;
    let c = s.charCodeAt(i);
    while (c >= 0x30 && c <= 0x39) c = s.charCodeAt(++i);
    if (i > from) g.text += s.slice(from, i);
    while (i < s.length) {
      c = s.charCodeAt(i);
      const v = VALUE[c]!;
      if (v === 0) break;
      g.text += String.fromCharCode(0x2f + v);
      i++;
    }
    return i;
  }

  /** Group g ends before s[i]: taken, or made part of the gap. Returns where reading goes on. */
  #end(s: string, i: number, g: Group): number {
    this.#cur = null;
    const n = s.length;
    const c = i < n ? s.charCodeAt(i) : 0;
    let ends = i;
    // An X after the digits is the check, unless a letter or a digit follows it (a word, a hex number).
    if (isX(c) && g.text.charCodeAt(0) !== 0x78 && (i + 1 >= n || (KIND[s.charCodeAt(i + 1)] !== 2 && VALUE[s.charCodeAt(i + 1)] === 0))) {
      g.text += 'x';
      ends = i + 1;
    }
    const letterAfter = ends < n && KIND[s.charCodeAt(ends)] === 2;
    // A group joined to a word (p2, a hash, a UUID) is part of the gap.
    const x = g.text.endsWith('x');
    if (letterAfter || g.letterBefore || (g.named && !fieldLike(g.text, 0, g.text.length - (x ? 1 : 0), x, ends < n ? s.charCodeAt(ends) : 0))) {
      if (this.#far) return ends;
      this.#gap = g.gap + g.text;
      if (this.#gap.length > MAX_GAP) this.#reset();
      return ends;
    }
    this.#accept(g);
    return ends;
  }

  /** A group taken: the window it ends, if any. */
  #accept(g: Group): void {
    const gap = this.#far ? '' : g.gap;
    g.gap = gap;
    let tight = gap.length > 0 && gap.length <= TIGHT;
    for (let k = 0; tight && k < gap.length; k++) tight = KIND[gap.charCodeAt(k)] === 1;
    g.tight = tight;
    this.#decide(gap);
    const groups = this.#groups;
    if (this.#far) groups.length = 0;
    this.#far = false;
    groups.push(g);
    if (groups.length > 4 * ID_LEN) groups.splice(0, groups.length - ID_LEN);
    this.#window();
    if (g.role !== 0) this.#keyed(g);
  }

  /** The window of 18 characters that ends with the last group, if any: its readings. */
  #window(): void {
    const groups = this.#groups;
    const b = groups.length - 1;
    let a = b;
    let len = groups[b]!.text.length;
    let loose = false;
    let spread = false;
    while (len < ID_LEN && a > 0) {
      const g = groups[a]!;
      if (!g.tight) {
        if (g.spread === 0) g.spread = g.gap.length > TIGHT && !apart(g.gap) ? 1 : 2;
        if (g.spread === 1) spread = true;
        else loose = true;
      }
      a--;
      len += groups[a]!.text.length;
    }
    if (len !== ID_LEN || (loose && b - a + 1 > 3)) return;
    // Three groups or more across a line's end: only with a key between (pretty-printed JSON, `出生:`), not
    // the end of one row of a table or a log and the start of the next (a time, a number, the next date).
    // (The text before it is known now: a window inside a longer row of the same separators ends here, at once.)
    const before = groups[a]!.gap;
    for (let k = a + 1; k <= b; k++) if (groups[k]!.gap === before) return;
    if (b - a + 1 >= 3) for (let k = a + 1; k <= b; k++) if (groups[k]!.gap.includes('\n') && !KEYED.test(groups[k]!.gap)) return;
    this.#pending = groups.slice(a, b + 1);
    this.#spreadApart = spread && !loose && apart(before);
  }

  /** A window found, waiting for the text after it. */
  #pending: Group[] | null = null;
  /** Its gaps are separators, some more than TIGHT, and it stands apart from other numbers before it (#decide). */
  #spreadApart = false;

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
    for (let k = 1; k < w.length; k++) if (w[k]!.gap === after) return;
    this.#read(w, this.#spreadApart && (after === null || apart(after)));
  }

  /**
   * The readings of a window w (18 characters in all). spreadOk: its runs of
   * separators (#window) are read like tight gaps, the window standing apart
   * from other numbers on its line.
   */
  #read(w: Group[], spreadOk: boolean): void {
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
    // Groups turned round, on one line (`457X 0307 1990 440305`, `457X 19900307 440305`): read when the region
    // and the year stand whole (the last group 6 digits, the one before it 4 or 8) and the birth date ends
    // where a group does. Not pairs or triples turned round: a log's `2023-05-12 20:19 440305` is region 440305,
    // born 1920-12-05, sequence 2023; nor halves swapped (`19900307457X 440305`: a timestamp to the minute and a
    // 6-digit number), unless keys name them (#keyed).
    let turned = '';
    const year = count >= 3 && w[count - 1]!.text.length === 6 ? w[count - 2]!.text.length : 0;
    if (year === 4 || year === 8) {
      let at = 0;
      let ends14 = false;
      for (let k = count - 1; k >= 0; k--) {
        at += w[k]!.text.length;
        if (at === 14) ends14 = true;
        turned += w[k]!.text;
      }
      if (!ends14 || !quick(turned)) turned = '';
    }
    if (!quick(inOrder) && !(back && quick(back)) && !(fields && quick(fields)) && !turned) return;
    // Three groups apart by more than separators are read only as an id's fields (below); four or more not at all.
    const loose = w.some((g, k) => k > 0 && !g.tight && !(g.spread === 1 && spreadOk));
    if (loose && count > 3) return;
    // (Turned round: on one line, no X but the first group's last.)
    if (turned && (loose || !w.every((g, k) => (k === 0 || !g.gap.includes('\n')) && g.text.charCodeAt(0) !== 0x78 && (k === 0 || !g.text.endsWith('x'))))) turned = '';
    const gaps = w.slice(1).map((g) => g.gap);
    const shape = w.map((g) => g.text.length).join(',');
    const oneSep = gaps.every((x) => x === gaps[0] && FORMS_SEP.test(x));
    // Read already: by the token (a run whole, the shapes it joins, two pieces a line break apart), and by
    // digit-forms.ts (one separator throughout: other numerals, digit by digit, 6-8-4).
    const tokenReads = count === 1 || (gaps.every((x) => JOINED.test(x)) && (TOKEN_SHAPES.has(shape) || (count === 2 && gaps[0]!.includes('\n'))));
    const last = w[w.length - 1]!.text;
    const single = w.every((g) => g.text.length === 1 || (g.text === last && last.length === 2 && last[1] === 'x'));
    const formsRead = oneSep && (single || shape === '6,8,4');
    const readings = new Set<string>();
    // A key before a group that names it as something else (`银行卡后四位`, `手机尾号`): no id's field, when
    // text stands between the groups.
    if (loose && w.some((g) => g.role === OTHER)) return;
    if (!tokenReads && !formsRead && !(count === 3 && loose)) readings.add(inOrder);
    // Backwards: a run of 18 written whole (X first). Groups turned round only as above: a line of a log (a
    // date, a time, a number: 4-2-2 2-2 6) read backwards gave a region and a birth date in one file of twelve.
    if (count === 1) readings.add(back);
    // Fields in another order: on one line, or a key between them (pretty-printed JSON); not rows of a table.
    if (fields && gaps.every((x) => !x.includes('\n') || KEYED.test(x)) && (fields !== inOrder || (!formsRead && !tokenReads))) readings.add(fields);
    if (turned) readings.add(turned);
    for (const v of readings) this.#emit(v, false);
  }
}
