import { decodeHTML } from 'entities';
import { CHOICES } from '../marks/level-choices.js';
import { isLabelKey, labelLine, mayHoldKey } from '../marks/label-keys.js';

// A register's 密级 column (red team, 1 Dec b, N22d): a table whose header
// names the field (`文号,标题,密级,保密期限`) and whose rows hold the value
// (`〔2026〕1号,通知,机密,10年`). A reader of the table sees each row's
// 密级 as 机密; the scanner saw `密级,保密期限` and `通知,机密,10年`
// apart. This reading follows the column: each row's cell under the header
// is given as `密级：<cell>` (label-keys.ts), for the scanner to judge as it
// judges the label (level-choices.ts: a list of levels to tick is none; an
// empty cell, 公开, 内部, 非密 are none). The header line itself is not
// given: a 密级 column beside a 机密性要求 column (F5) says nothing.
//
// Tables are delimited text (CSV, TSV, `;`, `|` as Markdown writes them) or
// markup tables (HTML, Word, ODF: a row's start is a line, a cell's a tab).
// Text that holds no key costs one native search a chunk.

/** Characters carried to the next chunk at most while no header is known (a header row cut by a chunk's end). */
const MAX_CARRY = 16 * 1024;
/** A line longer than this is no table's row: the table ends. */
const MAX_LINE = 64 * 1024;
/** Values held before they are given: a short table that lists each level once is a code list, not a register. */
const HELD = 8;
const DELIMS = ['\t', ',', '|', ';', '，'];

const TABLE_TAG = /<(?:td|th|w:tc|table:table-cell)\b/i;
/** Markup as rows: a row's start ends a line, a cell's starts a cell, a table's end ends the table. */
const MARKUP = /<(\/?)([A-Za-z][\w:.-]*)(?:[^<>"']|"[^"]*"|'[^']*')*>|<[!?][^<>]*>/g;
const ROW = new Set(['tr', 'w:tr', 'table:table-row']);
const CELL = new Set(['td', 'th', 'w:tc', 'table:table-cell', 'table:covered-table-cell']);
const TABLE = new Set(['table', 'w:tbl', 'table:table']);
/** A table's end in markup as a line of its own (a blank line there is only white space between tags). */
const TABLE_END = '\n\f\n';

interface Header {
  delim: string;
  col: number;
}

/** The cells of a line split by `delim`, with CSV's double quotes for `,` and `;` (RFC 4180). */
function cells(line: string, delim: string): string[] {
  if ((delim !== ',' && delim !== ';') || line.indexOf('"') < 0) return line.split(delim);
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Markup as lines of tab-separated cells (its own line breaks are blanks within a cell). */
function rowsOf(markup: string): string {
  const out: string[] = [];
  let pos = 0;
  MARKUP.lastIndex = 0;
  for (let m = MARKUP.exec(markup); m; m = MARKUP.exec(markup)) {
    if (m.index > pos) out.push(markup.slice(pos, m.index).replace(/\s+/g, ' '));
    pos = m.index + m[0].length;
    const name = m[2]?.toLowerCase();
    if (name === undefined) continue;
    if (m[1] === '') {
      if (ROW.has(name)) out.push('\n');
      else if (CELL.has(name)) out.push('\t');
    } else if (TABLE.has(name)) out.push(TABLE_END);
  }
  if (pos < markup.length) out.push(markup.slice(pos).replace(/\s+/g, ' '));
  const s = out.join('');
  return s.indexOf('&') >= 0 ? decodeHTML(s) : s;
}

/** A column that lists the three levels once each, and only choices, is a code list (`代码,密级 / 1,绝密 / 2,机密 …`). */
function codeList(values: string[]): boolean {
  const words = values.map((v) => v.replace(/[\s\u3000级]+$/g, '').trim());
  if (!words.every((w) => CHOICES.includes(w))) return false;
  return CHOICES.slice(0, 3).every((l) => words.filter((w) => w === l).length === 1);
}

/** Every level word holds 密 (宻, 宓: text-fold.ts): a cell without one (内部, 公开, a date) can make no marking. */
const LEVEL_PART = /[密宻宓]/;

function give(v: string, out: string[]): void {
  if (LEVEL_PART.test(v)) out.push(labelLine(v));
}

export class LabelColumns {
  #carry = '';
  #header: Header | null = null;
  #held: string[] | null = null;
  #markup = false;

  /** The `密级：<cell>` lines of what is complete of carry + s (all of it when final). */
  /** `hint`: carry + s may hold a key (label-pairs.ts searched it). */
  push(s: string, final: boolean, hint: boolean): string {
    if (!this.#header && !hint) {
      // Only the line under way is kept (a header row cut by the chunk's end); no copy of the rest.
      if (!final) {
        const nl = s.lastIndexOf('\n');
        this.#carry = nl >= 0 ? s.slice(Math.max(nl + 1, s.length - MAX_CARRY)) : (this.#carry + s).slice(-MAX_CARRY);
      }
      return '';
    }
    const all = this.#carry + s;
    this.#carry = '';
    this.#markup ||= TABLE_TAG.test(all);
    let cut = all.length;
    if (!final) {
      // What is complete: whole lines, or in markup whole rows (up to the last row's start).
      cut = this.#markup ? lastRowStart(all) : all.lastIndexOf('\n') + 1;
      if (all.length - cut > MAX_LINE) cut = all.length;
      this.#carry = all.slice(cut);
    }
    const text = this.#markup ? rowsOf(all.slice(0, cut)) : all.slice(0, cut);
    const out: string[] = [];
    const lines = text.split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop(); // (the text ends a line: no empty line follows it)
    for (const line of lines) if (!this.#markup || line.trim() || line === '\f') this.#line(line, out);
    if (final) this.#endTable(out);
    return out.join('');
  }

  #line(line: string, out: string[]): void {
    const h = this.#header;
    if (h) {
      const row = line.length <= MAX_LINE ? cells(line, h.delim) : [];
      if (row.length >= 2) {
        const v = (row[h.col] ?? '').replace(/^[\s\u3000"']+|[\s\u3000"']+$/g, '');
        if (v) this.#value(v, out);
        return;
      }
      this.#endTable(out);
    }
    if (line.length > MAX_LINE || !mayHoldKey(line)) return;
    for (const delim of DELIMS) {
      const row = cells(line, delim);
      if (row.length < 2) continue;
      const col = row.findIndex(isLabelKey);
      if (col < 0) continue;
      this.#header = { delim, col };
      this.#held = [];
      return;
    }
  }

  #value(v: string, out: string[]): void {
    const held = this.#held;
    if (held && held.length < HELD) {
      held.push(v);
      return;
    }
    if (held) for (const x of held) give(x, out);
    this.#held = null;
    give(v, out);
  }

  #endTable(out: string[]): void {
    const held = this.#held;
    if (held && !codeList(held)) for (const x of held) give(x, out);
    this.#header = null;
    this.#held = null;
  }
}

const ROW_START = /<(?:tr|w:tr|table:table-row)\b/gi;

/** Where the last row starts (what is before it is whole rows); 0 when none does. */
function lastRowStart(s: string): number {
  let at = 0;
  ROW_START.lastIndex = 0;
  for (let m = ROW_START.exec(s); m; m = ROW_START.exec(s)) at = m.index;
  return at;
}
