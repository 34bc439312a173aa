// UTF-8 read as GBK and saved again (third red team, 30 November): 机密★10年
// arrives as "鏈哄瘑鈽�10骞�", in UTF-8 or, saved back in GBK, as the UTF-8
// bytes themselves but the ones the GBK reading dropped (a file the encoding
// sniffer then reads as GB18030, since it is no longer valid UTF-8). The
// reading turns such text back into its GBK bytes and reads them as UTF-8.
// (mojibake.ts does the other direction: GBK, Big5 or UTF-8 bytes read as
// cp1252 or Latin-1.)
//
// The witness, cheap enough for every Chinese text: every CJK character or
// punctuation mark of UTF-8 starts with a byte E2–E9 or EF, and every second
// one puts that byte and the continuation byte after it (80–BF) into one GBK
// character, so one character in two or three of such text is of GBK's rows
// E2–E9 or EF with a trail byte under C0 (GB2312's level 2 and GBK's fourth
// part: 576 characters). Chinese text holds almost none of them (none in
// 9,500 CJK characters of Simplified prose; 1 in 30-540 of Traditional). The
// text scanner hands them to its detailed loop (scan-tables.ts) and, where
// two fall within 12 characters, the bytes around are checked to hold three
// characters of valid UTF-8 in a row (`confirmed`); only then is the chunk
// read back (`readBack`), a run cut by its end with the next chunk.
//
// What GBK's reading dropped: a lead byte before a byte that is no trail (an
// ASCII character: the last byte of the character before it, one time in
// two), shown as U+FFFD (or '?' saved back in GBK). It is read as the byte
// that completes a marking's character (★, 密, 级, ： or ］, 】) when the bytes
// before it are that character's, else as some character of their block. Not
// read: UTF-8 read as Big5, whose trail bytes exclude 80–A0, so that about
// half the bytes are lost.

const GBK = new TextDecoder('gbk');

interface Tables {
  /** GBK's two bytes of each double-byte character (lead << 8 | trail), 0 for the others. */
  codes: Uint16Array;
  /** 1: a character of GBK's rows E2–E9 and EF with a trail byte 80–BF (the witness). */
  leads: Uint8Array;
}
let tables: Tables | undefined;

export function utf8AsGbkTables(): Tables {
  if (tables) return tables;
  const codes = new Uint16Array(0x10000);
  const leads = new Uint8Array(0x10000);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const s = GBK.decode(Buffer.from([lead, trail]));
      if (s.length !== 1 || s === '\ufffd') continue;
      const c = s.charCodeAt(0);
      codes[c] = (lead << 8) | trail;
      if (((lead >= 0xe2 && lead <= 0xe9) || lead === 0xef) && trail >= 0x80 && trail <= 0xbf) leads[c] = 1;
    }
  }
  tables = { codes, leads };
  return tables;
}

/** Witness characters within this many characters of each other… */
export const WITNESS_SPAN = 12;

/**
 * The last byte of each 3-byte character of a marking, by its first two (a
 * byte GBK dropped); and U+FFFD's, so that a byte dropped by an earlier
 * reading stays one for the next (UTF-8 read as GBK twice).
 */
const COMPLETE = new Map<number, number[]>();
for (const ch of '★密级：】］\ufffd') {
  const b = Buffer.from(ch);
  const key = (b[0]! << 8) | b[1]!;
  COMPLETE.set(key, [...(COMPLETE.get(key) ?? []), b[2]!]);
}

/** Does out end in the first two bytes of a 3-byte UTF-8 character? */
function wantsOne(out: number[]): boolean {
  const n = out.length;
  return n >= 2 && out[n - 2]! >= 0xe0 && out[n - 2]! <= 0xef && out[n - 1]! >= 0x80 && out[n - 1]! <= 0xbf;
}

/** Set by gbkBytes when a dropped byte could be one of two marking characters' (： and ］ share EF BC). */
let twoWays = false;

/**
 * Appends the bytes of s[from, to) as GBK wrote them; false at a character
 * GBK has no bytes for. A dropped byte (U+FFFD, or '?' where the text was
 * saved back in GBK) that a 3-byte character wants is that of a marking's
 * character when its first two bytes are that character's (the second such
 * character with way 1), else 80: some character of the same block, which is
 * no marking's.
 */
function gbkBytes(s: string, from: number, to: number, out: number[], way = 0): boolean {
  const { codes } = utf8AsGbkTables();
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if ((c === 0xfffd || c === 0x3f) && wantsOne(out)) {
      const k = COMPLETE.get((out[out.length - 2]! << 8) | out[out.length - 1]!);
      if (k && k.length > 1) twoWays = true;
      out.push(k ? k[Math.min(way, k.length - 1)]! : 0x80);
    } else if (c < 0x80) out.push(c);
    else if (codes[c] !== 0) out.push(codes[c]! >> 8, codes[c]! & 0xff);
    else if (c === 0x20ac) out.push(0x80); // GBK's one-byte €
    else if (c !== 0xfffd) return false;
  }
  return true;
}

/** Length of the UTF-8 sequence at b[i] when it is whole and valid, else 0 (also at a gap, -1: utf8-as-big5.ts). */
function sequenceAt(b: ArrayLike<number>, i: number): number {
  const x = b[i]!;
  const len = x < 0 ? 0 : x < 0x80 ? 1 : x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0;
  if (len === 0 || i + len > b.length) return 0;
  for (let k = 1; k < len; k++) if (b[i + k]! < 0x80 || b[i + k]! > 0xbf) return 0;
  return len;
}

/** The most characters of two bytes or more in one stretch of valid UTF-8 in b. */
function longestStretch(b: number[]): number {
  let best = 0;
  let multi = 0;
  for (let i = 0; i < b.length; ) {
    const len = sequenceAt(b, i);
    if (len === 0) {
      multi = 0;
      i++;
      continue;
    }
    if (len > 1 && ++multi > best) best = multi;
    i += len;
  }
  return best;
}

/** The stretches of b (gaps, -1, break them) that are valid UTF-8 holding two characters of two bytes or more, as text. */
export function utf8Stretches(b: ArrayLike<number>, into: string[]): void {
  let from = 0;
  let multi = 0;
  const close = (to: number): void => {
    if (multi >= 2) into.push(Buffer.from(Uint8Array.from({ length: to - from }, (_, k) => b[from + k]!)).toString('utf8'));
    multi = 0;
  };
  for (let i = 0; i < b.length; ) {
    const len = sequenceAt(b, i);
    if (len === 0) {
      close(i);
      from = ++i;
      continue;
    }
    if (len > 1) multi++;
    i += len;
  }
  close(b.length);
}

/** Are the characters around s[at] UTF-8 as GBK reads it? (three characters of two bytes or more in a row, valid UTF-8) */
export function confirmed(s: string, at: number): boolean {
  const out: number[] = [];
  const from = Math.max(0, at - WITNESS_SPAN);
  const to = Math.min(s.length, at + WITNESS_SPAN);
  let a = from;
  // Only the stretch of characters GBK has bytes for, around at.
  for (let i = at; i >= from; i--) {
    if (!gbkBytes(s, i, i + 1, [])) {
      a = i + 1;
      break;
    }
  }
  for (let i = a; i < to; i++) if (!gbkBytes(s, i, i + 1, out)) break;
  return longestStretch(out) >= 3;
}

/** Does `s` (text as GBK read it) show UTF-8 read as GBK: two witnesses within WITNESS_SPAN, confirmed? */
export function showsUtf8AsGbk(s: string): boolean {
  const { leads } = utf8AsGbkTables();
  let last = -Infinity;
  for (let i = 0; i < s.length; i++) {
    if (leads[s.charCodeAt(i)] !== 1) continue;
    if (i - last <= WITNESS_SPAN && confirmed(s, i)) return true;
    last = i;
  }
  return false;
}

/** Longest stretch of ASCII inside a run (digits and words between the CJK of a line). */
const MAX_ASCII_GAP = 16;

/** Longest run kept for the next chunk when it reaches the end of this one (a character cut there, or a dropped byte still to come). */
const MAX_CARRY = 256;

/**
 * The runs of s that GBK has bytes for, turned back into those bytes, and
 * their stretches that are UTF-8 (two characters of two bytes or more), one
 * a line (`text`, null when none): the text before it was read as GBK.
 * Chinese text in its own right makes no such stretch but by chance, of a
 * few characters. Unless final, a run of up to MAX_CARRY characters that
 * reaches the end of s is not read: s.slice(keep) goes before the next chunk.
 */
export function readBack(s: string, final: boolean): { text: string | null; keep: number } {
  const { codes } = utf8AsGbkTables();
  const readings: string[] = [];
  const n = s.length;
  // ('?': a dropped byte where the text was saved back in GBK.)
  const inRun = (c: number): boolean => codes[c] !== 0 || c === 0xfffd || c === 0x20ac || c === 0x3f;
  let i = 0;
  let keep = n;
  while (i < n) {
    while (i < n && !inRun(s.charCodeAt(i))) i++;
    const start = i;
    let end = i;
    let ascii = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (inRun(c)) {
        ascii = 0;
        end = i + 1;
      } else if (c >= 0x20 && c < 0x7f && ++ascii <= MAX_ASCII_GAP) continue;
      else break;
    }
    if (i >= n && !final && n - start <= MAX_CARRY) {
      keep = start;
      break;
    }
    if (end - start < 2) continue;
    const out: number[] = [];
    twoWays = false;
    gbkBytes(s, start, end, out);
    utf8Stretches(out, readings);
    if (twoWays) {
      const other: number[] = [];
      gbkBytes(s, start, end, other, 1);
      utf8Stretches(other, readings);
    }
  }
  return { text: readings.length ? readings.join('\n') : null, keep };
}
