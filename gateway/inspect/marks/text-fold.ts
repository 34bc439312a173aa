// Folding of UTF-16 code units for matching: one table lookup per code unit
// in the hot loop instead of per-character normalize() calls.
//
// fold[c]: NFKC of the character when that is one code unit (full-width →
// ASCII, ㊙ → 秘, compatibility ideographs), then Traditional → Simplified for
// the characters of the table below, then ASCII lower case.
// cls[c]: what the matcher does with it:
//   SKIP  invisible: format characters (Cf: U+200B–200D, U+2060–2064, U+FEFF,
//         U+00AD…), combining marks (U+034F, variation selectors), low
//         surrogates. NFKC keeps these, so they are stripped explicitly.
//   SEP   whitespace, punctuation and symbols (emoji and the rest of plane 1
//         included): may be inserted between the characters of a word
//         without breaking a match.
//   SIG   a character that takes part in matching.
//   OTHER unused here (kept for readability of the loop).
// blank[f]: a SEP that shows as blank space on its line (see BLANK below).
// plane1[cp - 0x10000]: SKIP, SEP or BLANK for the code points of plane 1,
// which cls sees only by their high surrogate (text-scanner.ts looks at the pair).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { fileURLToPath } from 'node:url';

export const OTHER = 0;
export const SKIP = 1;
export const SEP = 2;
export const SIG = 3;
/** Plane 1 only (plane1[]): a code point that shows as blank space, counted like a space. */
export const BLANK = 4;
/** Plane 1 only (plane1[]): a star (🌟), read as ★ (text-scanner.ts). */
export const STAR1 = 5;

export const STAR = 0x2605; // ★
export const OPEN_BRACKET = 0x3010; // 【
export const CLOSE_BRACKET = 0x3011; // 】

// Traditional → Simplified for the marking vocabulary (絕密/機密/秘密, 密級)
// and a few common characters; an operator keyword in either form matches
// text in either form when its characters are here.
const T2S_PAIRS =
  '絕绝機机級级祕秘國国內内資资訊讯號号碼码證证護护軍军報报聯联絡络統统計计劃划規规範范個个體体單单據据員员' +
  '關关們们說说對对會会義义務务實实開开發发點点電电話话網网門门問问題题時时間间長长項项應应該该這这檔档' +
  '經经濟济險险密密擊击標标準准確确認认識识錄录處处傳传輸输鑰钥險险隱隐銀银廳厅黨党幹干區区縣县鄉乡屬属' +
  // Variant forms of the marking characters (red team, 30 Nov): 宻 (U+5BBB) for 密, 絶 (the Japanese form) for 绝, 袐 for 秘.
  '宻密絶绝袐秘' +
  // Look-alikes a reader takes for the marking's characters (red team, 1 Dec b, N17: 机宓★10年 crossed): characters of
  // their own, not variants, that differ from one by a stroke at a glyph's size in a Song face — 宓 (U+5B93, 宀 over 必)
  // for 密 (宀 over 必 over 山); 祕's look-alike 袐 is above. The set is kept to these: a character that merely shares a
  // component (蜜, 谧, 觅) reads as another word. 宓 is a rare surname and a literary word (宓妃); folded to 密, it
  // makes a marking only in a marking's form (宓级机密, 机宓★).
  '宓密';

// Stars that read as the marking's (red team, 30 Nov: ⭐ ✩). One that does not continue a match under way is
// passed over like a separator (text-scanner.ts), so adding one here opens no gap.
// Red team, 1 Dec b (N17: ✦ ✱ ❋ 🌟 crossed): by block, not one by one: every dingbat star and asterisk
// (U+2721–274B: ✡ ✢…✦ ✧ ✨ ✩…✱…✿ ❀…❄…❋), the stars of Miscellaneous Symbols and Arrows (⭐ ⭑ ⭒ ⯪ ⯫), the
// pentagrams (⛤–⛧), ⚝, ⍟, ٭ (the Arabic five-pointed star) and, in plane 1 (PLANE1_STARS), 🌟 🌠 🔯 and
// the stars of Geometric Shapes Extended (🟀–🟘). `*`, `＊` and the mathematical asterisks are not (see the known gaps).
const STARS = [0x2605, 0x2606, 0x22c6, 0x2b50, 0x2b51, 0x2b52, 0x2bea, 0x2beb, 0x26e4, 0x26e5, 0x26e6, 0x26e7, 0x269d, 0x235f, 0x066d];
for (let c = 0x2721; c <= 0x274b; c++) STARS.push(c);
const PLANE1_STARS = [0x1f31f, 0x1f320, 0x1f52f];
for (let c = 0x1f7c0; c <= 0x1f7d8; c++) PLANE1_STARS.push(c);
// (《》 「」 （） are not: prose quotes and titles a level word so, 他说「秘密」, 《秘密》; and an opener that is not
// passed over, since it starts a marking, would split 机（密★, which reads today.)
const OPENERS = [0x3010, 0x3014, 0x3016, 0x5b, 0xff3b]; // 【 〔 〖 [ ［
const CLOSERS = [0x3011, 0x3015, 0x3017, 0x5d, 0xff3d]; // 】 〕 〗 ] ］
/**
 * Characters no Chinese document puts between a marking's characters but to
 * split it (red team, 30 Nov), read as separators: Hangul syllables and jamo,
 * private-use and unassigned code points, and the planes of CJK extensions
 * and private use (by their high surrogates, D840–D8BF and DB80–DBFF). A
 * keyword spelt with them is not matched.
 */
function splitter(c: number, ch: string): boolean {
  return (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f) || (c >= 0xe000 && c <= 0xf8ff) || UNASSIGNED.test(ch) || bopomofo(c);
}
/** Bopomofo (注音, U+3100–312F and its extension U+31A0–31BF) and its tone marks ˇ ˉ ˊ ˋ ˙: a reading written beside a character, or a split (ninth red team, W7: 机ㄅ密★ crossed). */
const TONES = [0x2c7, 0x2c9, 0x2ca, 0x2cb, 0x2d9];
function bopomofo(c: number): boolean {
  return (c >= 0x3100 && c <= 0x312f) || (c >= 0x31a0 && c <= 0x31bf) || TONES.includes(c);
}

/**
 * Digits in forms NFKC leaves alone or writes as two characters (ninth red team, W7: a mobile number in them
 * crossed): the dingbat circled digits ➀–➈ and ➊–➒ (U+2780–2792), the negative circled ❶–❾ (U+2776–277E), the
 * double circled ⓵–⓽ (U+24F5–24FD), ⓿ (U+24FF), and the parenthesized ⑴–⑼ (U+2474–247C) and full-stop ⒈–⒐
 * (U+2488–2490), which NFKC makes `(1)` and `1.`. Ten and above (➉, ⑽) are two digits: not one code unit's fold.
 */
function digitForm(c: number): number {
  if (c >= 0x2780 && c <= 0x2788) return c - 0x2780 + 1;
  if (c >= 0x278a && c <= 0x2792) return c - 0x278a + 1;
  if (c >= 0x2776 && c <= 0x277e) return c - 0x2776 + 1;
  if (c >= 0x24f5 && c <= 0x24fd) return c - 0x24f5 + 1;
  if (c >= 0x2474 && c <= 0x247c) return c - 0x2474 + 1;
  if (c >= 0x2488 && c <= 0x2490) return c - 0x2488 + 1;
  if (c === 0x24ff) return 0;
  return -1;
}
const UNASSIGNED = /\p{Cn}/u;

/**
 * What a reader sees of a code point decides how it separates a marking's
 * characters (red team, 30 Nov: 33 of U+2800, U+1D173 or ESC between 机 and
 * 密★ crossed). From Unicode's properties:
 * - nothing: Default_Ignorable_Code_Point (UAX #44 §5.3: "should be ignored
 *   in rendering" — ZWSP, the Hangul fillers, the musical and shorthand
 *   format controls, tags) and every format character (Cf: also the Egyptian
 *   hieroglyph controls, which only arrange the signs around them), and
 *   combining marks. SKIP, in every plane: passed over as if absent.
 * - blank space on the line: the space separators (Zs) and the tab, the
 *   control characters that are not line breaks (Cc but LF, VT, FF, CR: a
 *   terminal or an editor shows them as nothing, or as a gap; NEL, U+0085,
 *   too: browsers, Notepad and most editors show it as nothing, and 40 of
 *   them between 机 and 密★ crossed as 40 line breaks), and the
 *   symbols whose glyph is empty. No property names those: U+2800 BRAILLE
 *   PATTERN BLANK, U+1D159 MUSICAL SYMBOL NULL NOTEHEAD, and U+FFFC OBJECT
 *   REPLACEMENT CHARACTER (it stands in for an object that is not text).
 *   These are separators counted like spaces: a run of them on a line that a
 *   character ends counts as one (text-scanner.ts MAX_SEP_RUN).
 */
const BLANK_SYMBOLS = [0x2800, 0xfffc, 0x1d159];
const LINE_BREAKS = [0x0a, 0x0b, 0x0c, 0x0d];
const RENDERS_AS_NOTHING = /[\p{Cf}\p{Mn}\p{Me}\p{DI}]/u;
const RENDERS_BLANK = /[\p{Zs}\t\p{Cc}]/u;

function rendersBlank(cp: number): boolean {
  return BLANK_SYMBOLS.includes(cp) || (RENDERS_BLANK.test(String.fromCodePoint(cp)) && !LINE_BREAKS.includes(cp));
}

export interface FoldTables {
  fold: Uint16Array;
  cls: Uint8Array;
  /** 1: a separator that shows as blank space on its line (by folded code unit). */
  blank: Uint8Array;
  /** SKIP, SEP or BLANK for U+10000–1FFFF (index: code point − 0x10000). */
  plane1: Uint8Array;
}

let tables: FoldTables | undefined;

// `npm run build` writes the tables beside this module (tools/build-fold-tables.ts): building them
// took 200-300 ms of CPU in each inspection worker as it started (and as much again in garbage
// collection), four workers a gateway. They are used only if made from this very module and this
// node's Unicode data (FOLD_TABLES_KEY); otherwise they are built here as before.
const BUILT_TABLES = new URL('./fold-tables.bin', import.meta.url);
const KEY_BYTES = 64;
const TABLE_BYTES = 0x20000 + 3 * 0x10000;

/** What built tables are valid for: this module's code, this node's Unicode and ICU, this machine's byte order. */
export function foldTablesKey(): string {
  return createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(`unicode ${process.versions.unicode} icu ${process.versions.icu} ${endianness()}`)
    .digest('hex');
}

/** The tables as `npm run build` writes them: the key, then fold, cls, blank and plane1 as they lie in memory. */
export function foldTablesFile(t: FoldTables, key: string): Buffer {
  const out = Buffer.alloc(KEY_BYTES + TABLE_BYTES);
  out.write(key, 0, 'latin1');
  let at = KEY_BYTES;
  for (const a of [t.fold, t.cls, t.blank, t.plane1]) at += Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, at);
  return out;
}

/** Tables from such a file, or undefined when it is missing, cut or made for other code or Unicode data. */
export function readFoldTablesFile(file: Buffer, key: string): FoldTables | undefined {
  if (file.length !== KEY_BYTES + TABLE_BYTES || file.toString('latin1', 0, KEY_BYTES) !== key) return undefined;
  const copy = (at: number, n: number): ArrayBuffer => file.buffer.slice(file.byteOffset + at, file.byteOffset + at + n) as ArrayBuffer;
  return {
    fold: new Uint16Array(copy(KEY_BYTES, 0x20000)),
    cls: new Uint8Array(copy(KEY_BYTES + 0x20000, 0x10000)),
    blank: new Uint8Array(copy(KEY_BYTES + 0x30000, 0x10000)),
    plane1: new Uint8Array(copy(KEY_BYTES + 0x40000, 0x10000)),
  };
}

function builtTables(): FoldTables | undefined {
  try {
    return readFoldTablesFile(readFileSync(BUILT_TABLES), foldTablesKey());
  } catch {
    return undefined; // not built (a build by tsc alone): made here
  }
}

/** Read once per process from the build, or built (≈ 65,536 normalize() calls, 200-300 ms). */
export function foldTables(): FoldTables {
  tables ??= builtTables() ?? buildFoldTables();
  return tables;
}

/** The tables from Unicode's data and the rules above. */
export function buildFoldTables(): FoldTables {
  const fold = new Uint16Array(0x10000);
  const cls = new Uint8Array(0x10000);
  const t2s = new Map<number, number>();
  for (let i = 0; i + 1 < T2S_PAIRS.length; i += 2) t2s.set(T2S_PAIRS.charCodeAt(i), T2S_PAIRS.charCodeAt(i + 1));
  const invisible = RENDERS_AS_NOTHING;
  const decimal = /\p{Nd}/u;
  // Unicode's decimal digits come in runs of ten, zero first (UAX #44, Numeric_Type=Decimal).
  const digitValue = (c: number): number => {
    let z = c;
    while (z > 0 && c - z < 9 && decimal.test(String.fromCharCode(z - 1))) z--;
    return (c - z) % 10;
  };
  const separator = /[\s\p{P}\p{S}\p{Z}\p{Cc}]/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      fold[c] = c;
      // A low surrogate carries nothing new; the high one decides. U+E0000–E007F
      // (tag characters, invisible) all start with U+DB40.
      // Plane 1 (U+10000–1FFFF: emoji, pictographs, mathematical letters) starts with
      // U+D800–D83F: symbols, read as separators like the BMP's (机😀密★ is 机密★ to a reader).
      // Planes 2–3 (CJK extensions) and 15–16 (private use) are separators too: a split, not a word.
      // U+E0000–E0FFF (DB40–DB43) are all Default_Ignorable: skipped.
      cls[c] = c >= 0xdc00 || (c >= 0xdb40 && c <= 0xdb43) ? SKIP : c <= 0xd83f || (c >= 0xd840 && c <= 0xd8bf) || c >= 0xdb80 ? SEP : SIG;
      continue;
    }
    const ch = String.fromCharCode(c);
    if (invisible.test(ch)) {
      fold[c] = c;
      cls[c] = SKIP;
      continue;
    }
    if (splitter(c, ch)) {
      fold[c] = c;
      cls[c] = SEP;
      continue;
    }
    const n = ch.normalize('NFKC');
    const d = digitForm(c);
    let f = d >= 0 ? 0x30 + d : n.length === 1 ? n.charCodeAt(0) : c;
    // Decimal digits of every script (Arabic-Indic ٣, Devanagari ३…) read as the digit they are: NFKC leaves them.
    if (f >= 0x80 && decimal.test(String.fromCharCode(f))) f = 0x30 + digitValue(f);
    f = t2s.get(f) ?? f;
    if (f >= 0x41 && f <= 0x5a) f += 0x20;
    if (STARS.includes(c) || STARS.includes(f)) {
      fold[c] = STAR;
      cls[c] = SIG;
    } else if (OPENERS.includes(c) || OPENERS.includes(f)) {
      fold[c] = OPEN_BRACKET;
      cls[c] = SIG;
    } else if (CLOSERS.includes(c) || CLOSERS.includes(f)) {
      fold[c] = CLOSE_BRACKET;
      cls[c] = SIG;
    } else {
      fold[c] = f;
      cls[c] = separator.test(String.fromCharCode(f)) ? SEP : SIG;
    }
  }
  const blank = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) if (cls[c] === SEP && rendersBlank(fold[c]!)) blank[fold[c]!] = 1;
  const plane1 = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const ch = String.fromCodePoint(0x10000 + c);
    plane1[c] = RENDERS_AS_NOTHING.test(ch) ? SKIP : rendersBlank(0x10000 + c) ? BLANK : PLANE1_STARS.includes(0x10000 + c) ? STAR1 : SEP;
  }
  return { fold, cls, blank, plane1 };
}

/** The significant folded code units of a pattern, as the matcher sees text. */
export function foldPattern(s: string): number[] {
  const { fold, cls } = foldTables();
  const out: number[] = [];
  for (const ch of s.normalize('NFKC')) {
    for (let i = 0; i < ch.length; i++) {
      const c = ch.charCodeAt(i);
      if (cls[c] === SIG) out.push(fold[c]!);
    }
  }
  return out;
}

/**
 * Does this text hold 密, or a form that folds to it (宻, 宓)? Every level word does, so a reading that only
 * matters to a marking may skip text without one: three native searches (a character class in a regular
 * expression over two-byte text took several times as long).
 */
export function holdsMi(s: string): boolean {
  return s.indexOf('密') >= 0 || s.indexOf('宻') >= 0 || s.indexOf('宓') >= 0;
}
