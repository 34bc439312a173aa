import { namesPhone } from '../marks/amount-context.js';
import type { FindingTally } from '../context/finding-tally.js';
import { moneyStyles, SheetAmounts } from './currency-cells.js';
import { addsDigits, builtinFormat, shownNumber, shownText } from './sheet-format.js';

// What an .xlsx shows that no one member holds (seventh red team of 1 Dec, R3
// and R14). A worksheet names its text by index into xl/sharedStrings.xml and
// its look by index into xl/styles.xml's cellXfs; Excel writes the sheets
// first, the styles and the shared strings after them, and the zip walker
// reads each member once, in the zip's order. So a sheet records here what
// only the other parts can resolve, and whichever part is read last writes
// what a person sees:
// - a row's runs of adjacent cells that may each be one digit (a number or an
//   inline string of one digit, or a shared string whose text is not known
//   yet): an application form's 18 (or 11) digit boxes, kept as shared
//   strings `0`…`9`; with the shared strings of the row before the run, which
//   may name a phone (`联系电话`);
// - each number cell with its style index, for the number format that shows
//   it (`"138"00000000` shows 12345678 as 13812345678; sheet-format.ts).
// Bounded: MAX_PENDING cells of runs, MAX_NUMBERS numbers a workbook, in
// typed arrays. Past it, what is not recorded is remembered coarsely (the
// shared strings a dropped run names, the styles of dropped numbers), and if
// the other part then shows that a dropped cell could have been a digit box
// or shown through a format with digits of its own, the workbook is an
// inspection limit, not waved through.

/** Cells of runs recorded a workbook (digit-or-shared cells, labels): 32 MiB at most. */
const MAX_PENDING = 8 << 20;
/** Numbers with a style recorded a workbook: 48 MiB at most. */
const MAX_NUMBERS = 4 << 20;
/** Shared strings of digits only (a text cell's value that a text format such as `"138"@` may complete) kept a workbook. */
const MAX_DIGIT_STRINGS = 256 * 1024;
/** A pending run's head in the flat record: HEAD | cells << 6 | labels << 1 | (a phone named inline), negated. */
const HEAD = 0x40000000;
/** Shared-string indexes remembered for dropped runs (a bit each); an index past it makes any digit string suspect. */
const MAX_DROPPED_INDEX = 1 << 24;
/** The shortest run of one-digit cells read: a mobile number's 11 boxes (an id's 18 read as a CSV row from 15). */
export const MIN_BOXES = 11;
/** Shared strings of a row before a run looked at for a phone's name. */
export const MAX_LABELS = 4;

/** A cell of a run: a digit's char code (negative: -code) or a shared-string index (0 or more). */
export interface Run {
  cells: Int32Array;
  /** Shared-string indexes of the row's text cells before the run, nearest last. */
  labels: number[];
  /** Inline text before the run on its row. */
  text: string;
}

export class SheetBook {
  /** Shared strings of one character that is a digit or X, by index; phone names' indexes. */
  #digits = new Map<number, string>();
  #phones = new Set<number>();
  stringsRead = false;
  /** cellXfs index → the format code of its numFmtId when it writes digits of its own (else ''): the rest show the value's own digits, read raw. */
  #formats: string[] | null = null;
  /** Runs waiting for the shared strings, one after another: a head, the labels, the cells. */
  #pend = new Int32Array(0);
  #pendLen = 0;
  #droppedIndex: Uint8Array | null = null;
  #droppedFar = false;
  #numStyle = new Int32Array(0);
  #numValue = new Float64Array(0);
  #numLen = 0;
  #droppedStyles = new Set<number>();
  /** Text cells with a style: the style, and the text (inline) or the shared string's index. */
  #textStyle: number[] = [];
  #textValue: Array<string | number> = [];
  /** Shared strings of 1 to 17 digits, by index (for text formats); past the bound, dropped. */
  #digitStrings = new Map<number, string>();
  #digitStringsDropped = false;
  /** Lines written already (a member's finish writes what it resolved). */
  #out: string[] = [];
  /** cellXfs index → does its number format show money (currency-cells.ts); null until the styles are read. */
  #money: boolean[] | null = null;
  /** Each worksheet's mobiles in styled number cells, by the sheet's path, until the styles say which were money. */
  #amounts = new Map<string, SheetAmounts>();
  /** Why the workbook was not read in full. */
  limit: string | null = null;
  #limitTaken = false;

  // ---- the shared strings (sheet-rows.ts feeds each <si>'s text in order)
  addString(i: number, text: string): void {
    const t = text.trim();
    if (t.length > 1 && t.length < 18 && /^\d+$/.test(t)) {
      if (this.#digitStrings.size < MAX_DIGIT_STRINGS) this.#digitStrings.set(i, t);
      else this.#digitStringsDropped = true;
    }
    if (t.length === 1 && /[0-9Xx]/.test(t)) this.#digits.set(i, t);
    else if (t.length <= 32 && namesPhone(t)) this.#phones.add(i);
  }

  stringsDone(): void {
    this.stringsRead = true;
    const pend = this.#pend;
    for (let at = 0; at < this.#pendLen;) {
      const head = -pend[at]! - HEAD;
      const cells = head >>> 6;
      const labels = (head >>> 1) & 31;
      const from = at + 1 + labels;
      this.#resolveRun({ cells: pend.subarray(from, from + cells), labels: Array.from(pend.subarray(at + 1, from)), text: head & 1 ? '电话' : '' });
      at = from + cells;
    }
    this.#pend = new Int32Array(0);
    this.#pendLen = 0;
    if (this.#droppedIndex || this.#droppedFar) {
      for (const i of this.#digits.keys()) {
        if (this.#droppedFar || (i < MAX_DROPPED_INDEX && this.#droppedIndex![i >> 3]! & (1 << (i & 7)))) {
          this.limit ??= `a worksheet's rows of text cells past ${MAX_PENDING} were not held for its shared strings, and some name a one-digit string: digit boxes among them were not read`;
          break;
        }
      }
    }
    if (this.#formats) this.#showTexts();
  }

  // ---- the styles (sheet-rows.ts feeds the numFmts and the cellXfs' numFmtIds)
  stylesDone(custom: Map<number, string>, xfs: number[]): void {
    this.#money = moneyStyles(custom, xfs);
    for (const [path, a] of this.#amounts) {
      if (!a.done) continue;
      a.resolve(this.#money);
      this.#amounts.delete(path);
    }
    this.#formats = xfs.map((id) => {
      const code = custom.get(id) ?? builtinFormat(id);
      return addsDigits(code) ? code : '';
    });
    for (let k = 0; k < this.#numLen; k++) this.#show(this.#numStyle[k]!, this.#numValue[k]!);
    this.#numStyle = new Int32Array(0);
    this.#numValue = new Float64Array(0);
    this.#numLen = 0;
    for (const s of this.#droppedStyles) {
      if (this.#formats[s]) {
        this.limit ??= `a worksheet's numbers past ${MAX_NUMBERS} were not held for its styles, and their style ${s} has a number format with digits of its own (${this.#formats[s]})`;
        break;
      }
    }
    this.#droppedStyles.clear();
    this.#showTexts();
    // Numbers of the default format (no style, or style 0) are not held: only a crafted workbook gives it digits of its own.
    if (this.#formats[0]) this.limit ??= `the workbook's default cell format has digits of its own (${this.#formats[0]}); its unstyled numbers were not read through it`;
  }

  // ---- a worksheet's mobiles in money cells (currency-cells.ts)
  /** The sheet at `path`'s record of them (its own XML and its views share one). */
  amounts(tally: FindingTally, path: string): SheetAmounts {
    let a = this.#amounts.get(path);
    if (!a) this.#amounts.set(path, (a = new SheetAmounts(tally, path)));
    return a;
  }

  /** The sheet at `path` and its views were read: resolved now if the styles were read before it. */
  sheetDone(path: string): void {
    const a = this.#amounts.get(path);
    if (!a) return;
    a.sheetDone(this.#money);
    if (this.#money) this.#amounts.delete(path);
  }

  // ---- a worksheet's cells
  addRun(r: Run): void {
    if (this.stringsRead) {
      this.#resolveRun(r);
      return;
    }
    // What the run's own digits show now (a workbook may have no shared strings at all); the whole once they are read.
    this.#resolveRun(r);
    const shared = r.cells.some((c) => c >= 0) || (r.labels.length > 0 && !namesPhone(r.text));
    if (!shared) return;
    const labels = r.labels.slice(-MAX_LABELS);
    const need = 1 + labels.length + r.cells.length;
    if (this.#pendLen + need <= MAX_PENDING && r.cells.length < 1 << 20) {
      if (this.#pendLen + need > this.#pend.length) this.#pend = grow(this.#pend, this.#pendLen + need);
      this.#pend[this.#pendLen] = -(HEAD + ((r.cells.length << 6) | (labels.length << 1) | (namesPhone(r.text) ? 1 : 0)));
      this.#pend.set(labels, this.#pendLen + 1);
      this.#pend.set(r.cells, this.#pendLen + 1 + labels.length);
      this.#pendLen += need;
      return;
    }
    for (const c of r.cells) {
      if (c < 0) continue;
      if (c >= MAX_DROPPED_INDEX) this.#droppedFar = true;
      else (this.#droppedIndex ??= new Uint8Array(MAX_DROPPED_INDEX >> 3))[c >> 3]! |= 1 << (c & 7);
    }
  }

  addNumber(style: number, value: number): void {
    if (this.#formats) {
      this.#show(style, value);
      return;
    }
    if (this.#numLen < MAX_NUMBERS) {
      if (this.#numLen === this.#numStyle.length) {
        this.#numStyle = grow(this.#numStyle, this.#numLen + 1);
        this.#numValue = grow(this.#numValue, this.#numLen + 1);
      }
      this.#numStyle[this.#numLen] = style;
      this.#numValue[this.#numLen++] = value;
    } else this.#droppedStyles.add(style);
  }

  /** A text cell with a style (`value`: its text, or a shared string's index), for a text format with digits of its own. */
  addText(style: number, value: string | number): void {
    if (this.#formats) {
      if (!this.#formats[style]) return;
      if (typeof value === 'string' || this.stringsRead) return this.#showText(style, value);
    }
    if (this.#textStyle.length >= MAX_NUMBERS) {
      if (this.#formats) this.limit ??= `a worksheet's text cells past ${MAX_NUMBERS} were not held for its shared strings, and their style ${style} has a format with digits of its own (${this.#formats[style]})`;
      else this.#droppedStyles.add(style);
      return;
    }
    this.#textStyle.push(style);
    this.#textValue.push(value);
  }

  /** Text cells whose format and text are known, shown; a shared one waits for the shared strings. */
  #showTexts(): void {
    const styles: number[] = [];
    const values: Array<string | number> = [];
    for (let k = 0; k < this.#textStyle.length; k++) {
      const style = this.#textStyle[k]!;
      const v = this.#textValue[k]!;
      if (!this.#formats![style]) continue;
      if (typeof v === 'number' && !this.stringsRead) {
        styles.push(style);
        values.push(v);
      } else this.#showText(style, v);
    }
    this.#textStyle = styles;
    this.#textValue = values;
  }

  #showText(style: number, v: string | number): void {
    const code = this.#formats![style]!;
    const text = typeof v === 'string' ? v : this.#digitStrings.get(v);
    if (text === undefined) {
      if (this.#digitStringsDropped) this.limit ??= `the workbook's shared strings of digits past ${MAX_DIGIT_STRINGS} were not held, and a text cell shows one through a format with digits of its own (${code})`;
      return;
    }
    const shown = shownText(code, text);
    if (shown !== null && digitCount(shown) >= MIN_BOXES) this.#out.push(shown);
  }

  /** Why the workbook was not read in full, the first time it is asked. */
  takeLimit(): string | null {
    if (!this.limit || this.#limitTaken) return null;
    this.#limitTaken = true;
    return this.limit;
  }

  /** Lines resolved since the last call. */
  take(): string[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #show(style: number, value: number): void {
    const code = this.#formats![style];
    if (!code) return;
    const shown = shownNumber(code, value);
    // Only what a format adds digits to (a mobile or an id of 11 digits or more) is worth a line.
    if (shown !== null && digitCount(shown) >= MIN_BOXES) this.#out.push(shown);
  }

  /** A run's cells as digits where they are known; each stretch of MIN_BOXES or more written. */
  #resolveRun(r: Run): void {
    let run = '';
    const labels = [...r.labels];
    const flush = (): void => {
      if (run.length >= 15) this.#out.push([...run].join(','));
      else if (run.length === MIN_BOXES && (namesPhone(r.text) || labels.some((i) => this.#phones.has(i)))) this.#out.push(`电话 ${run}`);
      run = '';
    };
    for (const c of r.cells) {
      const d = c < 0 ? String.fromCharCode(-c) : this.#digits.get(c);
      if (d !== undefined) {
        run += d;
        continue;
      }
      flush();
      // A shared string that is no digit: a label for the stretch after it (`联系电话 │1│3│8│…`).
      labels.push(c);
    }
    flush();
  }
}

/** A typed array twice as long (or `need`), its contents kept. */
function grow<T extends Int32Array | Float64Array>(a: T, need: number): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2, 1024));
  b.set(a);
  return b;
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) n++;
  return n;
}

const BOOKS = new WeakMap<object, Map<string, SheetBook>>();

/** The workbook that the member at `path` belongs to (the archive holding it), for this inspection. */
export function sheetBook(ctx: object, path: string | undefined): SheetBook {
  let books = BOOKS.get(ctx);
  if (!books) BOOKS.set(ctx, (books = new Map()));
  const p = path ?? '';
  const at = p.lastIndexOf('!/');
  const key = at < 0 ? '' : p.slice(0, at);
  let book = books.get(key);
  if (!book) books.set(key, (book = new SheetBook()));
  return book;
}
