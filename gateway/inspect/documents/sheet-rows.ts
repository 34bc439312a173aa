// A SpreadsheetML worksheet's rows read as rows (seventh red team of 1 Dec,
// R3): an application form's digit boxes, one digit a cell (`身份证号码 │4│4│
// 0│3│…`), as numbers `<c r="B3"><v>4</v></c>` or inline strings. The markup
// reading puts each cell on a line of its own, after whatever the cells
// before hold (a label's shared-string index is a digit too: `0` then the
// id's 18 digits were 19), so the id crossed in an xlsx where the same row
// as CSV, HTML, a docx table, .xls or .ods is refused. Here the cells of a row
// are taken in column order, and each run of MIN_RUN or more adjacent cells
// (up to MAX_GAP empty columns apart: boxes of two merged columns each)
// of one digit (or the check character X) is written as a CSV row's cells
// (`4,4,0,3,…`) for a view one level down, where the digit-by-digit reading
// decides as it does for CSV (digit-forms.ts). Nothing else of the sheet is
// written. A shared-string cell's value is an index into another part
// (`xl/sharedStrings.xml`), read as a member of its own: the run is kept
// (sheet-book.ts) until the shared strings say which indexes are one digit,
// and the part read last writes it; so is a run of exactly 11 digits where a
// cell before it on the row names a phone (`联系电话 │1│3│8│…`: a form's 11
// boxes; 11 digits apart with no such name stay unread, as in CSV). Number
// cells with a style are kept for the number format that shows them
// (`"138"00000000`, R14; sheet-format.ts). The same reader reads the
// shared strings and the styles (xl/styles.xml: numFmts, cellXfs) when the
// part it is given is one of them.
// The sheet's page headers and footers (`<headerFooter>`, after the rows)
// are written too, as printed, Excel's codes removed (excel-header.ts, R25).

import { headerText } from './excel-header.js';
import { MAX_LABELS, MIN_BOXES, type SheetBook } from './sheet-book.js';

/** Cells in a row that may each be one digit (numbers, inline strings, shared strings) that make a run worth reading. */
const MIN_RUN = MIN_BOXES;
/** Empty cells allowed between two boxes of a run (a CSV separator of up to 4 characters: `,,,,`). */
const MAX_GAP = 3;
/** A row longer than this (characters of XML) is not parsed: no form writes one. */
const MAX_ROW = 1 << 20;

/**
 * A value of one digit or X (or one character reference: `<t>&#52;</t>` shows 4), closing, or a shared string's
 * index: a row with fewer than MIN_RUN of them is not read for runs (ordinary sheets, cheaply).
 */
const ONE = />(?:[0-9Xx]|&#[0-9xX][0-9a-fA-F]{0,7};)<\/[vt]>|\bt="s"/g;
/** Page headers and footers (excel-header.ts), whole in the text. */
const HEADER = /<(odd|even|first)(Header|Footer)\b[^>]*>([^<]*)<\/\1\2>/g;
const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(ENTITY, (_, d: string | undefined, h: string | undefined, n: string | undefined) => {
    if (n) return NAMED[n]!;
    const c = d ? Number(d) : parseInt(h!, 16);
    return c > 0 && c <= 0x10ffff ? String.fromCodePoint(c) : '';
  });
}

/** A cell of a row read for runs: attributes, then a value alone (the common form) or another body. */
const RUN_CELL = /<c\b([^>]*?)(?:\/>|><v>([^<]*)<\/v><\/c>|>([\s\S]*?)<\/c>)/g;
/** A cell with a style other than 0: its attributes, the style, its body (none when the cell is empty: `<c s="3"/>`). */
const STYLED = /<c\b([^>]*?\bs="([1-9]\d*)"[^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
const VALUE = /<v>([^<]*)<\/v>/;
/** Shared strings (<si>, its text in <t>s; phonetic runs are not shown). */
const SI = /<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/g;
const T = /<t\b[^>]*>([^<]*)<\/t>/g;
const PHONETIC = /<rPh\b[\s\S]*?<\/rPh>/g;
/** Style sheet elements: a number format, the cell formats' list and its entries. */
// (A `>` may stand in an attribute's value unescaped: `formatCode="[>0]0"`.)
const STYLE_TAG = /<numFmt\b(?:[^>"]|"[^"]*")*>|<cellXfs\b[^>]*>|<\/cellXfs>|<xf\b[^>]*>/g;
const ATTR = (name: string): RegExp => new RegExp(`\\b${name}="([^"]*)"`);
const NUMFMT_ID = ATTR('numFmtId');
const FORMAT_CODE = ATTR('formatCode');
/** Text held of a shared-strings or styles part for an element cut by a chunk's end. */
const MAX_CARRY = 1 << 20;

/** An attribute's value (`key` is ` t="`), or undefined. */
function attr(attrs: string, key: string): string | undefined {
  const at = attrs.indexOf(key);
  if (at < 0) return undefined;
  const from = at + key.length;
  const end = attrs.indexOf('"', from);
  return end < 0 ? undefined : attrs.slice(from, end);
}

/** A cell reference's column (`AB12`: 28); 0 when it is none. */
function column(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length && i < 3; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n;
}

/** The one character a cell shows when it is a digit or X, else null. */
function digitOf(t: string | undefined, body: string | undefined): string | null {
  if (!body) return null;
  let v: string | undefined;
  if (t === 'inlineStr') {
    const m = body.match(/<t\b[^>]*>([^<]*)<\/t>/g);
    if (!m || m.length !== 1) return null;
    v = m[0].replace(/<[^>]*>/g, '');
  } else if (t === undefined || t === 'n' || t === 'str') {
    v = VALUE.exec(body)?.[1];
  } else return null;
  // As the sheet shows it: a digit written as a character reference (`&#52;`, `&#x34;`) is that digit.
  v = v?.includes('&') ? unescapeXml(v) : v;
  v = v?.trim();
  return v !== undefined && v.length === 1 && /[0-9Xx]/.test(v) ? v : null;
}

type Part = 'sheet' | 'strings' | 'styles';

export class SheetRows {
  #book: SheetBook | null;
  #part: Part | null = null;
  #on = false;
  #carry = '';
  #runs: string[] = [];
  /** The text does not start as XML (`<?xml`, `<worksheet`): not a worksheet part, never looked at again. */
  #off = false;
  #started = false;
  /** Shared strings read so far (the next <si>'s index). */
  #strings = 0;
  #formats = new Map<number, string>();
  #xfs: number[] = [];
  #inXfs = false;

  /** `book`: the workbook the part belongs to (sheet-book.ts), null when the part stands alone. */
  constructor(book: SheetBook | null = null) {
    this.#book = book;
  }

  write(s: string): void {
    if (this.#off) return;
    if (!this.#started) {
      const head = s.trimStart();
      if (!head) return;
      this.#started = true;
      if (head.charCodeAt(0) !== 0x3c && head.charCodeAt(0) !== 0xfeff) {
        this.#off = true;
        return;
      }
    }
    if (!this.#part) {
      // The root element, in the first chunk that reaches it.
      const root = /<(?:\w+:)?(sst|styleSheet|worksheet|sheetData|headerFooter)\b/.exec(s)?.[1];
      if (!root) {
        if (s.length > 4096) this.#part = 'sheet';
        else return;
      } else this.#part = root === 'sst' ? (this.#book ? 'strings' : null) : root === 'styleSheet' ? (this.#book ? 'styles' : null) : 'sheet';
      if (!this.#part) {
        this.#off = true;
        return;
      }
    }
    if (this.#part === 'strings') return this.#sharedStrings(s);
    if (this.#part === 'styles') return this.#styles(s);
    if (!this.#on) {
      let at = s.indexOf('<sheetData');
      if (at < 0) at = s.indexOf('<headerFooter');
      if (at < 0) return;
      this.#on = true;
      s = s.slice(at);
    }
    let buf = this.#carry + s;
    let from = 0;
    for (;;) {
      const end = buf.indexOf('</row>', from);
      if (end < 0) break;
      this.#row(buf.slice(from, end));
      from = end + 6;
    }
    buf = buf.slice(from);
    if (buf.length > MAX_ROW) {
      this.#headers(buf);
      buf = '';
    }
    this.#carry = buf;
  }

  /** xl/sharedStrings.xml: each string's text, given to the book by index. */
  #sharedStrings(s: string): void {
    this.#each(s, SI, '<si', (m) => {
      const i = this.#strings++;
      const body = m[1];
      // Only strings of one character or a phone's name matter, but they are told by their text, not their XML:
      // a digit in a run whose properties run past 4 KiB was passed over unread (review10). (A body is at most
      // MAX_CARRY: #each.)
      if (!body) return;
      let text = '';
      const x = body.includes('<rPh') ? body.replace(PHONETIC, '') : body;
      T.lastIndex = 0;
      for (let t = T.exec(x); t; t = T.exec(x)) text += t[1];
      this.#book!.addString(i, text.includes('&') ? unescapeXml(text) : text);
    });
  }

  /** xl/styles.xml: the number formats and each cell format's numFmtId, in order. */
  #styles(s: string): void {
    this.#each(s, STYLE_TAG, '<', (m) => {
      const tag = m[0];
      if (tag.startsWith('<numFmt')) {
        const id = NUMFMT_ID.exec(tag)?.[1];
        const code = FORMAT_CODE.exec(tag)?.[1];
        if (id !== undefined && code !== undefined) this.#formats.set(Number(id), unescapeXml(code));
      } else if (tag.startsWith('<cellXfs')) this.#inXfs = true;
      else if (tag === '</cellXfs>') this.#inXfs = false;
      else if (this.#inXfs && this.#xfs.length < 1 << 20) this.#xfs.push(Number(NUMFMT_ID.exec(tag)?.[1] ?? 0));
    });
  }

  /** Each match of `re` in what was carried and `s`, in order; from the last `open` after the last match, up to MAX_CARRY, carried. */
  #each(s: string, re: RegExp, open: string, each: (m: RegExpExecArray) => void): void {
    const buf = this.#carry + s;
    let end = 0;
    re.lastIndex = 0;
    for (let m = re.exec(buf); m; m = re.exec(buf)) {
      end = re.lastIndex;
      each(m);
    }
    const rest = buf.slice(end);
    const at = rest.lastIndexOf(open);
    if (at >= 0 && rest.length - at > MAX_CARRY && this.#book) {
      // An element longer than MAX_CARRY is not read: the strings or styles after it keep their places (it is
      // counted), and the workbook is an inspection limit, not read with a digit or a format missing (review10).
      if (this.#part === 'strings') this.#strings++;
      this.#book.limit ??= `an element of the workbook's ${this.#part === 'strings' ? 'shared strings' : 'styles'} runs past ${MAX_CARRY} characters of XML; it was not read, and cells that name it may not be`;
    }
    this.#carry = at < 0 || rest.length - at > MAX_CARRY ? '' : rest.slice(at);
  }

  /** Page headers and footers: printed on every page, Excel's codes removed. */
  #headers(xml: string): void {
    if (!xml.includes('<headerFooter')) return;
    HEADER.lastIndex = 0;
    for (let m = HEADER.exec(xml); m; m = HEADER.exec(xml)) {
      const text = headerText(unescapeXml(m[3]!));
      if (text.trim()) this.#runs.push(text);
    }
  }

  #row(xml: string): void {
    const start = xml.indexOf('<row');
    if (start < 0) return;
    const book = this.#book;
    // Numbers with a style: a number format may show digits of its own (R14).
    const styled = book !== null && xml.indexOf(' s="', start) >= 0;
    ONE.lastIndex = start;
    let ones = 0;
    while (ones < MIN_RUN && ONE.exec(xml)) ones++;
    if (ones < MIN_RUN && !styled) return;
    const runs = ones >= MIN_RUN;
    let run: number[] = [];
    let labels: number[] = [];
    let text = '';
    let last = 0;
    const flush = (): void => {
      if (run.length >= MIN_RUN) {
        const cells = Int32Array.from(run);
        if (book) book.addRun({ cells, labels, text });
        else if (run.length >= 15 && run.every((c) => c < 0)) this.#runs.push(run.map((c) => String.fromCharCode(-c)).join(','));
      }
      for (const c of run) if (c >= 0) labels.push(c);
      if (labels.length > MAX_LABELS) labels = labels.slice(-MAX_LABELS);
      run = [];
    };
    if (styled) {
      // Numbers and text with a style: a number format may show digits of its own (`"138"00000000`), so may a
      // text format before or after the text (`"138"@`).
      STYLED.lastIndex = start;
      for (let m = STYLED.exec(xml); m; m = STYLED.exec(xml)) {
        const body = m[3];
        if (!body) continue;
        const style = Number(m[2]);
        const t = attr(m[1]!, ' t="');
        if (t === undefined || t === 'n') {
          const v = VALUE.exec(body)?.[1]?.trim();
          const n = v ? Number(v) : NaN;
          if (Number.isFinite(n)) book!.addNumber(style, n);
        } else if (t === 's') {
          const v = VALUE.exec(body)?.[1]?.trim();
          if (v && /^\d{1,9}$/.test(v)) book!.addText(style, Number(v));
        } else if (t === 'str' || t === 'inlineStr') {
          let text = '';
          if (t === 'str') text = VALUE.exec(body)?.[1] ?? '';
          else {
            T.lastIndex = 0;
            for (let x = T.exec(body); x; x = T.exec(body)) text += x[1];
          }
          if (text.length > 0 && text.length < 64) book!.addText(style, text.includes('&') ? unescapeXml(text) : text);
        }
      }
    }
    if (!runs) return;
    RUN_CELL.lastIndex = start;
    for (let m = RUN_CELL.exec(xml); m; m = RUN_CELL.exec(xml)) {
      const attrs = m[1]!;
      const t = attr(attrs, ' t="');
      const ref = attr(attrs, ' r="');
      const col = ref ? column(ref) : last + 1;
      let cell: number | null = null;
      if (m[2] !== undefined) {
        // <v> alone: a number, a formula's string, or a shared string's index.
        const v = (m[2].includes('&') ? unescapeXml(m[2]) : m[2]).trim();
        if (t === 's') cell = v.length > 0 && v.length < 10 && /^\d+$/.test(v) ? Number(v) : null;
        else if ((t === undefined || t === 'n' || t === 'str') && v.length === 1 && /[0-9Xx]/.test(v)) cell = -v.charCodeAt(0);
      } else if (m[3] !== undefined) {
        const d = digitOf(t, m[3]);
        const shared = d === null && t === 's' ? VALUE.exec(m[3])?.[1]?.trim() : undefined;
        cell = d !== null ? -d.charCodeAt(0) : shared !== undefined && /^\d{1,9}$/.test(shared) ? Number(shared) : null;
        if (cell === null && (t === 'inlineStr' || t === 'str') && text.length < 256) {
          const shown = m[3].replace(/<[^>]*>/g, '');
          text += (shown.includes('&') ? unescapeXml(shown) : shown) + ' ';
        }
      }
      // Empty columns between boxes (a form's boxes as merged pairs of columns: B, D, F…), as a CSV row's `,,`.
      if (cell === null || col <= last || col - last > MAX_GAP + 1) flush();
      if (cell !== null) run.push(cell);
      last = col;
    }
    flush();
  }

  /** The runs and headers found, one a line; null when none. */
  finish(): string | null {
    if (this.#part === 'strings') this.#book!.stringsDone();
    else if (this.#part === 'styles') this.#book!.stylesDone(this.#formats, this.#xfs);
    else this.#headers(this.#carry);
    this.#carry = '';
    const lines = this.#book ? [...this.#runs, ...this.#book.take()] : this.#runs;
    return lines.length ? lines.join('\n') + '\n' : null;
  }

  /** Why the workbook could not be read in full, once (an inspection limit), or null. */
  limit(): string | null {
    return this.#book?.takeLimit() ?? null;
  }
}
