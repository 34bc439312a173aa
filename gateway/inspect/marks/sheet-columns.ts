import { decodeHTML } from 'entities';
import { isLabelKey, labelLine } from './label-keys.js';

// A workbook's 密级 column (red team, 1 Dec b, N22d; label-columns.ts reads
// CSV and markup tables). An .xlsx keeps its text in xl/sharedStrings.xml and
// its cells in xl/worksheets/sheetN.xml as indexes into it, each a member of
// the zip read on its own, in either order (Excel writes the sheets first).
// A reader of the sheet sees 机密 under 密级; each member alone holds one of
// the two. So each member records what it holds — the shared strings that
// are a key or start with a level word, and for each column of each sheet
// the strings' indexes with the first row each is in — and the member read
// last gives the column's cells below a key as `密级：<cell>` lines.
// Bounded: past MAX_CELLS recorded cells in a workbook, no more are recorded.

const MAX_CELLS = 256 * 1024;
/** A level word at the start of a string (folded forms too): only such strings are kept. */
const LEVEL_START = /^[\s\u3000]*(?:[绝絕絶][\s\u3000]*密|[机機][\s\u3000]*[密宻]|[秘祕袐][\s\u3000]*密)/;
const SHEET = /(?:^|!\/)xl\/worksheets\/sheet\d*\.xml$/;
const STRINGS = /(?:^|!\/)xl\/sharedStrings\.xml$/;
const CELL = /<c\b([^>]*?)(?:\/>|>([^]*?)<\/c>)/g;
const SI = /<si\b[^>]*>([^]*?)<\/si>/g;
const T = /<t\b[^>]*>([^<]*)<\/t>/g;
const PHONETIC = /<rPh\b[^]*?<\/rPh>/g;

interface Book {
  keys: Set<number>;
  levels: Map<number, string>;
  stringsRead: boolean;
  /** Per sheet, per column: shared string index → first row. */
  sheets: Array<Map<string, Map<number, number>>>;
  cells: number;
}

function textOf(xml: string): string {
  let s = '';
  const x = xml.replace(PHONETIC, '');
  T.lastIndex = 0;
  for (let m = T.exec(x); m; m = T.exec(x)) s += m[1];
  return s.indexOf('&') >= 0 ? decodeHTML(s) : s;
}

/** One member's reading: push its text, then finish for the lines it can give. */
export interface SheetMember {
  push(s: string, final: boolean): void;
  finish(): string;
}

export class Workbooks {
  #books = new Map<string, Book>();

  /** The reader for a member at `path`, or null when it is neither a sheet nor the shared strings. */
  member(path: string | undefined): SheetMember | null {
    if (!path) return null;
    const sheet = SHEET.test(path);
    if (!sheet && !STRINGS.test(path)) return null;
    const at = path.lastIndexOf('xl/');
    const key = path.slice(0, at);
    let book = this.#books.get(key);
    if (!book) this.#books.set(key, (book = { keys: new Set(), levels: new Map(), stringsRead: false, sheets: [], cells: 0 }));
    return sheet ? new SheetReader(book) : new StringsReader(book);
  }
}

/** Cells below a key in its column, as lines, for the sheets read so far (once the strings are known). */
function resolve(book: Book, sheets: Array<Map<string, Map<number, number>>>): string {
  if (!book.stringsRead || !book.keys.size || !book.levels.size) return '';
  const out: string[] = [];
  for (const cols of sheets) {
    for (const idx of cols.values()) {
      let keyRow = Infinity;
      for (const [i, row] of idx) if (book.keys.has(i)) keyRow = Math.min(keyRow, row);
      if (keyRow === Infinity) continue;
      for (const [i, row] of idx) if (row > keyRow && book.levels.has(i)) out.push(labelLine(book.levels.get(i)!));
    }
  }
  return out.join('');
}

class StringsReader implements SheetMember {
  #book: Book;
  #carry = '';
  #n = 0;
  constructor(book: Book) {
    this.#book = book;
  }
  push(s: string, final: boolean): void {
    const all = this.#carry + s;
    let end = 0;
    SI.lastIndex = 0;
    for (let m = SI.exec(all); m; m = SI.exec(all)) {
      const text = textOf(m[1]!);
      if (isLabelKey(text)) this.#book.keys.add(this.#n);
      else if (LEVEL_START.test(text) && text.length <= 64 && this.#book.levels.size < MAX_CELLS) this.#book.levels.set(this.#n, text.trim());
      this.#n++;
      end = SI.lastIndex;
    }
    const rest = all.slice(end);
    this.#carry = final || rest.length > 1024 * 1024 ? '' : rest;
  }
  finish(): string {
    this.#book.stringsRead = true;
    return resolve(this.#book, this.#book.sheets);
  }
}

class SheetReader implements SheetMember {
  #book: Book;
  #carry = '';
  #cols = new Map<string, Map<number, number>>();
  constructor(book: Book) {
    this.#book = book;
    book.sheets.push(this.#cols);
  }
  push(s: string, final: boolean): void {
    const all = this.#carry + s;
    const book = this.#book;
    let end = 0;
    CELL.lastIndex = 0;
    for (let m = CELL.exec(all); m; m = CELL.exec(all)) {
      end = CELL.lastIndex;
      const a = m[1]!;
      if (!/\bt="s"/.test(a) || book.cells >= MAX_CELLS) continue;
      const r = /\br="([A-Z]{1,3})(\d+)"/.exec(a);
      const v = /<v>(\d+)<\/v>/.exec(m[2] ?? '');
      if (!r || !v) continue;
      let col = this.#cols.get(r[1]!);
      if (!col) this.#cols.set(r[1]!, (col = new Map()));
      const i = Number(v[1]);
      if (!col.has(i)) {
        col.set(i, Number(r[2]));
        book.cells++;
      }
    }
    const rest = all.slice(end);
    const lt = rest.lastIndexOf('<c');
    this.#carry = final || lt < 0 || rest.length - lt > 64 * 1024 ? '' : rest.slice(lt);
  }
  finish(): string {
    return resolve(this.#book, [this.#cols]);
  }
}
