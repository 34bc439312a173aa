import { CLOSE_BRACKET, OPEN_BRACKET, SIG, SKIP, STAR, foldTables } from './text-fold.js';

// A label `密级` followed by a level word is a marking (`密级：机密`), but
// not every such text is one (red team, 1 Dec: F4, F5):
// - a blank form lists the levels to tick: `密级：□绝密 □机密 □秘密 □非密`,
//   a header `密级（绝密/机密/秘密/非密）`, `密级（绝密/机密/秘密/内部/公开，请选择）`;
// - a table whose `密级` column is followed by `机密性要求` (GB/T 22239's
//   confidentiality, integrity and availability columns) reads `密级,机密`.
// This reads what follows the label's level word. The level word directly
// followed by 性 is the word 机密性 (秘密性), not a level. Otherwise the
// words after it that are whole choices of a 密级 field (the three levels,
// 非密, 内部, 公开, …), one after another on the line with only separators,
// boxes or ticks between, make a list; a list is a choice offered, and its
// ticked choices are what the form says:
// - a list with boxes or ticks (□ ☐ ○ 口 [ ] ( ) before the choices, or after
//   them): the choices ticked (☑ ☒ ✓ ✔ √ ■ ● ◉ [x] (√) …) are chosen, and so
//   is a choice with neither box nor tick among boxed ones (`密级：机密 □秘密`);
// - a list with no boxes or ticks (`绝密/机密/秘密`) needs two of the three
//   levels or more: none of them is chosen. `密级：机密 公开` is not a list.
// A chosen level is reported as the marking; a chosen 非密 or 公开 is none.
// The list may start with a choice that is no level (`密级：☐非密 ☑机密 ☐秘密`,
// `密级：○公开 ●秘密`; red team, 2 Dec: it crossed): the scanner reads it from
// that word (marking-patterns.ts), alone it is the label's value and no
// marking (`密级：非密`), and so is a list of it and levels with no boxes
// (`密级：公开 机密`: the markup view of HTML radio buttons reads so).
// Anything else (a single level, a level then other text) is the label as
// before.

/** The words a 密级 field offers as choices (folded, Simplified); the first three are the levels. */
export const CHOICES = ['绝密', '机密', '秘密', '非密', '内部', '公开', '普通', '一般', '无', '非涉密', '涉密', '不涉密', '无密级', '核心', '重要', '受控', '商密'];
export const LEVEL_COUNT = 3;
const LEVEL_SUFFIX = 0x7ea7; // 级: 绝密级 □机密级
const NESS = 0x6027; // 性: 机密性
const BOX_CJK = 0x53e3; // 口, typed for □ in many forms

const BOXES = new Set([0x25a1, 0x2610, 0x25a2, 0x25fb, 0x25fd, 0x2b1c, 0x25cb, 0x25ef, 0x274f, 0x2751, 0x2752, 0x274d, 0x25c7, 0x26aa, 0x2b1a, BOX_CJK]); // □ ☐ ▢ ◻ ◽ ⬜ ○ ◯ ❏ ❑ ❒ ❍ ◇ ⚪ ⬚ 口
const TICKS = new Set([
  0x2611, 0x2612, 0x2713, 0x2714, 0x2705, 0x2717, 0x2718, 0x2715, 0x2716, 0x274c, 0x274e, 0x221a, 0x2613, // ☑ ☒ ✓ ✔ ✅ ✗ ✘ ✕ ✖ ❌ ❎ √ ☓
  0x25a0, 0x25a3, 0x25fc, 0x25fe, 0x2b1b, 0x25aa, 0x25cf, 0x25c9, 0x25c6, 0x22a0, 0x2297, 0x2299, 0x29bf, 0x25d9, // ■ ▣ ◼ ◾ ⬛ ▪ ● ◉ ◆ ⊠ ⊗ ⊙ ⦿ ◙
  0xd83d, // 🗷 🗸 🗹 (U+1F5F7–1F5F9) by their high surrogate, with the low one checked
]);
/**
 * Punctuation and white space between choices say nothing; a symbol that is
 * neither a box nor a known tick (a symbol font's private-use code, ✦, a
 * Wingdings glyph read as a letter's code) may be a tick: read as one.
 */
const NEUTRAL = /[\s\p{P}\p{Zs}|+=~^`<>$\u00a6\uffe8\uff5c\u2500-\u257f]/u; // with a table's rules: | ¦ │ ┃ …
/** Inside brackets, a tick: `[x]`, `(√)`, `［×］`, `[*]`, `[v]`. */
const TICK_IN_BRACKETS = /^[\s\u3000]*[xX×✕✖✗✘*vV√✓✔●■☑☒][\s\u3000]*$/;
const BLANK_IN_BRACKETS = /^[\s\u3000_]*$/;
/** What a box's brackets may hold before their end (a chunk's end cut them). */
const BOX_SO_FAR = /^[\s\u3000_xX×✕✖✗✘*vV√✓✔●■☑☒]*$/;
const BRACKETS: Record<number, number> = { 0x5b: 0x5d, 0x28: 0x29, 0xff08: 0xff09, 0xff3b: 0xff3d, 0x3010: 0x3011 };

/** Longest stretch of separators between two choices, or between the last one and its box. */
const MAX_GAP = 8;
/** Characters read after the level word at most; past them the list is taken to end. */
export const CHOICE_WINDOW = 192;

export type LabelReading =
  /** the label as before: a marking of its level */
  | { kind: 'label' }
  /** a list or 机密性: these levels are chosen (none: no marking) */
  | { kind: 'chosen'; levels: { level: string; sample: string }[] }
  /** the text ends before the list does: ask again with more */
  | { kind: 'more' };

const enum Mark {
  None = 0,
  Box = 1,
  Tick = 2,
}

function lineBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0x85 || c === 0x2028 || c === 0x2029;
}

interface Cursor {
  text: string;
  markup: boolean;
}

/** Index after a tag that starts at i (markup), or i. */
function skipTag(cur: Cursor, i: number): number {
  if (!cur.markup || cur.text.charCodeAt(i) !== 0x3c) return i;
  const e = cur.text.indexOf('>', i);
  return e < 0 || e - i > 1024 ? i : e + 1;
}

/** A box or tick written with brackets at i: [ ], [x], (√), （ ）. Returns [mark, end] or null. */
function bracketMark(text: string, i: number): [Mark, number] | null {
  const close = BRACKETS[text.charCodeAt(i)];
  if (close === undefined) return null;
  const e = text.indexOf(String.fromCharCode(close), i + 1);
  if (e < 0 || e - i > 4) return null;
  const inner = text.slice(i + 1, e);
  if (TICK_IN_BRACKETS.test(inner)) return [Mark.Tick, e + 1];
  if (BLANK_IN_BRACKETS.test(inner)) return [Mark.Box, e + 1];
  return null;
}

/** Does the text end inside a choice word begun at i (a chunk's end cut it)? */
function cutChoice(cur: Cursor, i: number): boolean {
  const { fold } = foldTables();
  const rest = cur.text.length - i;
  if (rest <= 0 || rest >= 3) return false;
  for (let q = 0; q < rest; q++) if (!CHOICES.some((w) => w.length > rest && w.charCodeAt(q) === fold[cur.text.charCodeAt(i + q)])) return false;
  return true;
}

/** The choice word at i (its index in CHOICES, and the index after it and an optional 级), or null; it must end there. */
function choiceAt(cur: Cursor, i: number): [number, number] | null {
  const { fold, cls } = foldTables();
  const text = cur.text;
  let best: [number, number] | null = null;
  for (let k = 0; k < CHOICES.length; k++) {
    const w = CHOICES[k]!;
    let j = i;
    let ok = true;
    for (let q = 0; q < w.length; q++) {
      while (j < text.length && cls[text.charCodeAt(j)] === SKIP) j++;
      if (j >= text.length || fold[text.charCodeAt(j)] !== w.charCodeAt(q)) {
        ok = false;
        break;
      }
      j++;
    }
    if (!ok) continue;
    if (j < text.length && fold[text.charCodeAt(j)] === LEVEL_SUFFIX) j++;
    if (!best || j > best[1]) best = [k, j];
  }
  if (!best) return null;
  const j = best[1];
  if (j >= text.length) return best; // the caller asks for more when it matters
  const c = text.charCodeAt(j);
  const f = fold[c]!;
  // A whole choice: what follows is no character of a word (秘密载体, 公开方式 are words).
  if (cls[c] === SIG && f !== STAR && f !== OPEN_BRACKET && f !== CLOSE_BRACKET && c !== BOX_CJK && c !== 0x3c) return null;
  return best;
}

interface Gap {
  /** Where it starts (the end of the choice before it). */
  start: number;
  mark: Mark;
  /** The first and last mark of the gap (for marks before and after choices). */
  first: Mark;
  last: Mark;
  end: number;
  /** Why it ended: a choice follows, other text, a line break, the limit, or the end of the text. */
  stop: 'choice' | 'other' | 'line' | 'long' | 'eot';
  choice?: [number, number];
}

/** Reads separators, boxes and ticks from i up to the next choice or whatever ends the list. */
function gapFrom(cur: Cursor, i: number): Gap {
  const { cls } = foldTables();
  const text = cur.text;
  const g: Gap = { start: i, mark: Mark.None, first: Mark.None, last: Mark.None, end: i, stop: 'eot' };
  const note = (m: Mark): void => {
    if (g.first === Mark.None) g.first = m;
    g.last = m;
    if (m > g.mark) g.mark = m;
  };
  let n = 0;
  while (i < text.length) {
    const t = skipTag(cur, i);
    if (t !== i) {
      i = t;
      continue;
    }
    const c = text.charCodeAt(i);
    if (lineBreak(c)) return { ...g, end: i, stop: 'line' };
    if (cls[c] === SKIP) {
      i++;
      continue;
    }
    const b = bracketMark(text, i);
    // A chunk's end inside a box's brackets or a choice word: more text decides.
    if (!b && BRACKETS[c] !== undefined && text.length - i <= 4 && BOX_SO_FAR.test(text.slice(i + 1))) return { ...g, end: i, stop: 'eot' };
    if (b) {
      note(b[0]);
      i = b[1];
    } else if (TICKS.has(c) && (c !== 0xd83d || (text.charCodeAt(i + 1) >= 0xddf7 && text.charCodeAt(i + 1) <= 0xddf9))) {
      note(Mark.Tick);
      i += c === 0xd83d ? 2 : 1;
    } else if (BOXES.has(c) && (c !== BOX_CJK || i + 1 >= text.length || cls[text.charCodeAt(i + 1)] !== SIG || choiceAt(cur, i + 1))) {
      note(Mark.Box);
      i++;
    } else if (cls[c] === SIG) {
      const ch = choiceAt(cur, i);
      if (!ch && cutChoice(cur, i)) return { ...g, end: i, stop: 'eot' };
      return ch ? { ...g, end: i, stop: 'choice', choice: ch } : { ...g, end: i, stop: 'other' };
    } else {
      if (!NEUTRAL.test(text[i]!)) note(Mark.Tick);
      i += c >= 0xd800 && c < 0xdc00 ? 2 : 1;
    }
    if (++n > MAX_GAP) return { ...g, end: i, stop: 'long' };
  }
  return { ...g, end: i, stop: 'eot' };
}

/** The gap before the choice word of `len` characters that ends at `end`, back to the label's 级. */
function gapBefore(cur: Cursor, end: number, len: number): { marks: Mark[]; afterLevel: boolean; start: number } {
  const { cls, fold } = foldTables();
  const text = cur.text;
  let i = end;
  let sig = 0;
  // Back over the choice word's characters (and what the matcher passed over inside it).
  while (i > 0 && sig < len) {
    i--;
    if (cur.markup && text.charCodeAt(i) === 0x3e) {
      const s = text.lastIndexOf('<', i);
      if (s >= 0 && i - s <= 1024) {
        i = s;
        continue;
      }
    }
    if (cls[text.charCodeAt(i)] === SIG && fold[text.charCodeAt(i)]! >= 0x80) sig++;
  }
  const start = i;
  const marks: Mark[] = [];
  let n = 0;
  while (i > 0 && n++ < 40) {
    i--;
    const c = text.charCodeAt(i);
    if (cur.markup && c === 0x3e) {
      const s = text.lastIndexOf('<', i);
      if (s >= 0 && i - s <= 1024) {
        i = s;
        continue;
      }
    }
    if (fold[c] === LEVEL_SUFFIX) {
      // …and before it 密, and before that 机, 绝 or 秘?
      let k = i - 1;
      while (k > 0 && cls[text.charCodeAt(k)] === SKIP) k--;
      if (k > 0 && fold[text.charCodeAt(k)] === 0x5bc6) {
        k--;
        while (k > 0 && cls[text.charCodeAt(k)] === SKIP) k--;
        const p = fold[text.charCodeAt(k)];
        return { marks, afterLevel: k >= 0 && (p === 0x673a || p === 0x7edd || p === 0x79d8), start };
      }
      break;
    }
    if (c === 0x5d || c === 0x29 || c === 0xff09 || c === 0xff3d || c === 0x3011) {
      const open = Object.keys(BRACKETS).map(Number).find((o) => BRACKETS[o] === c)!;
      const s = text.lastIndexOf(String.fromCharCode(open), i);
      const b = s >= 0 ? bracketMark(text, s) : null;
      if (b && b[1] === i + 1) {
        marks.unshift(b[0]);
        i = s;
        continue;
      }
    }
    if (c >= 0xdc00 && c <= 0xdfff && i > 0 && TICKS.has(text.charCodeAt(i - 1)) && c >= 0xddf7 && c <= 0xddf9) {
      marks.unshift(Mark.Tick);
      i--;
    } else if (BOXES.has(c)) marks.unshift(Mark.Box);
    else if (cls[c] === SIG) break;
    else if (cls[c] !== SKIP && !(c >= 0xdc00 && c <= 0xdfff) && !NEUTRAL.test(text[i]!)) marks.unshift(Mark.Tick);
  }
  return { marks, afterLevel: false, start };
}

/**
 * Reads the text around a label match whose level word ends before `end` in
 * `text` (a window of the text, `markup`: tags are not text). `atEnd`: the
 * text ends there (no more will come).
 */
/**
 * A heading `三、密级` (the label alone on its line, no colon) and the next line's prose starting with a level
 * word, 级 and a word (`机密级文件由专人保管`, `机密级的`): a 保密管理制度's section on levels, no label's
 * value (red team 1 Dec (c) G9). A form's value on the next line (`密级：\n机密`, `密级\n机密★10年`) is read.
 */
function headingThenProse(cur: Cursor, start: number, end: number): boolean {
  const text = cur.text;
  if (text.charCodeAt(end) !== 0x7ea7 || !/[\u4e00-\u9fff]/.test(text.charAt(end + 1))) return false;
  let before = text.slice(Math.max(0, start - 400), start);
  if (cur.markup) before = before.replace(/<(\/?)([A-Za-z:]+)[^<>]*>/g, (_, close: string, name: string) => (close && /^(?:w:p|p|a:p|text:p|text:h|div|li|h[1-6])$/i.test(name)) || /^(?:w:br|br)$/i.test(name) ? '\n' : '');
  return /密级[ \t\u3000]*\r?\n[ \t\u3000\r\n]*$/.test(before);
}

export function readLabel(text: string, end: number, level: string, markup: boolean, atEnd: boolean): LabelReading {
  const { fold, cls } = foldTables();
  const cur: Cursor = { text, markup };
  // 机密性: the level word is the first part of another word.
  let j = end;
  while (j < text.length && (cls[text.charCodeAt(j)] === SKIP || skipTag(cur, j) !== j)) j = Math.max(j + 1, skipTag(cur, j));
  if (j >= text.length && !atEnd) return { kind: 'more' };
  if (j < text.length && fold[text.charCodeAt(j)] === NESS) return { kind: 'chosen', levels: [] };
  const first = CHOICES.indexOf(level);
  // A label whose first choice is no level (密级：☐非密 ☑机密): the list's levels are read as any list's; what
  // would be the label as before is its value, no level (密级：非密, 密级：公开方式).
  const none = first >= LEVEL_COUNT;
  const { marks: before, afterLevel, start } = gapBefore(cur, end, level.length);
  if (headingThenProse(cur, start, end)) return { kind: 'chosen', levels: [] };
  // 机密级 □秘密级: the 密级 of a level word with 级 is no label (the list's own label was read at its start).
  if (afterLevel) return { kind: 'chosen', levels: [] };
  const items: number[] = [first];
  const gaps: Gap[] = [];
  let at = end;
  if (at < text.length && fold[text.charCodeAt(at)] === LEVEL_SUFFIX) at++;
  if (none) {
    // The first choice must be whole, as the others are (密级：公开方式 …, 密级：一般秘密 is no list).
    if (at >= text.length && !atEnd) return { kind: 'more' };
    const c = text.charCodeAt(at);
    const f = fold[c]!;
    if (at < text.length && cls[c] === SIG && f !== STAR && f !== OPEN_BRACKET && f !== CLOSE_BRACKET && c !== BOX_CJK && !(markup && c === 0x3c)) return { kind: 'chosen', levels: [] };
  }
  for (;;) {
    const g = gapFrom(cur, at);
    if (g.stop === 'eot' && !atEnd && text.length - end < CHOICE_WINDOW) return { kind: 'more' };
    gaps.push(g);
    if (g.stop !== 'choice' || items.length >= 12) break;
    items.push(g.choice![0]);
    at = g.choice![1];
    if (at >= text.length && !atEnd && text.length - end < CHOICE_WINDOW) return { kind: 'more' };
  }
  if (items.length < 2) return none ? { kind: 'chosen', levels: [] } : { kind: 'label' };
  // gaps[k] follows items[k]; the marks before items[0] are `before`.
  const markBefore = (k: number): Mark => (k === 0 ? (before.length ? before[before.length - 1]! : Mark.None) : gaps[k - 1]!.last);
  const markAfter = (k: number): Mark => gaps[k]!.first;
  // Word 97-2003 stores a symbol (a Wingdings box or tick) as '(' in the text, its glyph elsewhere
  // (MS-DOC sprmCSymbol): '(' before every choice with no ')' after it is a mark unread, a tick for all we know.
  const starts = [start, ...gaps.slice(0, -1).map((g) => g.end)];
  if (starts.every((p, k) => text.charCodeAt(p - 1) === 0x28 && text.charCodeAt(gaps[k]!.start) !== 0x29)) {
    const levels = [...new Set(items.filter((k) => k < LEVEL_COUNT))].map((k) => ({ level: CHOICES[k]!, sample: `(${CHOICES[k]}` }));
    return { kind: 'chosen', levels };
  }
  const marked = before.length > 0 || gaps.some((g) => g.mark !== Mark.None);
  const levels = new Set(items.filter((k) => k < LEVEL_COUNT));
  if (!marked) {
    // No box or tick after a choice that is no level (密级：公开 机密): the label's value is that choice. So
    // are HTML radio buttons read with their tags skipped (密级：<input checked>非密 <input>秘密).
    if (levels.size < 2) return none ? { kind: 'chosen', levels: [] } : { kind: 'label' };
    return { kind: 'chosen', levels: [] };
  }
  // Boxes before the choices (the first has one) or after them (the last has one).
  const prefix = markBefore(0) !== Mark.None || markAfter(items.length - 1) === Mark.None;
  const chosen = new Map<string, string>();
  items.forEach((k, idx) => {
    const m = prefix ? markBefore(idx) : markAfter(idx);
    const w = CHOICES[k]!;
    if (m !== Mark.Box && k < LEVEL_COUNT && !chosen.has(w)) chosen.set(w, m === Mark.None ? w : prefix ? `☑${w}` : `${w}☑`);
  });
  return { kind: 'chosen', levels: [...chosen].map(([level, sample]) => ({ level, sample })) };
}
