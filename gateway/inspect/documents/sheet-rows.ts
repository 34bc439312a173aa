// A SpreadsheetML worksheet's rows read as rows (seventh red team of 1 Dec,
// R3): an application form's digit boxes, one digit a cell (`身份证号码 │4│4│
// 0│3│…`), as numbers `<c r="B3"><v>4</v></c>` or inline strings. The markup
// reading puts each cell on a line of its own, after whatever the cells
// before hold (a label's shared-string index is a digit too: `0` then the
// id's 18 digits were 19), so the id crossed in an xlsx where the same row
// as CSV, HTML, a docx table, .xls or .ods is refused. Here the cells of a row
// are taken in column order, and each run of MIN_RUN or more adjacent cells
// of one digit (or the check character X) is written as a CSV row's cells
// (`4,4,0,3,…`) for a view one level down, where the digit-by-digit reading
// decides as it does for CSV (digit-forms.ts). Nothing else of the sheet is
// written. A shared-string cell's value is an index into another part
// (`xl/sharedStrings.xml`), read as a member of its own: not resolved here.
// The sheet's page headers and footers (`<headerFooter>`, after the rows)
// are written too, as printed, Excel's codes removed (excel-header.ts, R25).

import { headerText } from './excel-header.js';

/** Cells of one digit in a row that make a run worth reading: the digit-by-digit reading takes 15 ASCII digits or more. */
const MIN_RUN = 15;
/** A row longer than this (characters of XML) is not parsed: no form writes one. */
const MAX_ROW = 1 << 20;

/** A value of one digit or X, closing: a row with fewer than MIN_RUN of them is not parsed (ordinary sheets, cheaply). */
const ONE = />[0-9Xx]<\/[vt]>/g;
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

const CELL = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
const REF = /\br="([A-Z]{1,3})\d+"/;
const TYPE = /\bt="(\w+)"/;

function column(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

/** The one character a cell shows when it is a digit or X, else null. */
function digitOf(attrs: string, body: string | undefined): string | null {
  if (!body) return null;
  const t = TYPE.exec(attrs)?.[1];
  let v: string | undefined;
  if (t === 'inlineStr') {
    const m = body.match(/<t\b[^>]*>([^<]*)<\/t>/g);
    if (!m || m.length !== 1) return null;
    v = m[0].replace(/<[^>]*>/g, '');
  } else if (t === undefined || t === 'n' || t === 'str') {
    v = /<v>([^<]*)<\/v>/.exec(body)?.[1];
  } else return null;
  v = v?.trim();
  return v !== undefined && v.length === 1 && /[0-9Xx]/.test(v) ? v : null;
}

export class SheetRows {
  #on = false;
  #carry = '';
  #runs: string[] = [];

  /** Text of the part, in order. */
  /** The text does not start as XML (`<?xml`, `<worksheet`): not a worksheet part, never looked at again. */
  #off = false;
  #started = false;

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
    ONE.lastIndex = start;
    let ones = 0;
    while (ones < MIN_RUN && ONE.exec(xml)) ones++;
    if (ones < MIN_RUN) return;
    let run: string[] = [];
    let last = 0;
    const flush = (): void => {
      if (run.length >= MIN_RUN) this.#runs.push(run.join(','));
      run = [];
    };
    CELL.lastIndex = start;
    for (let m = CELL.exec(xml); m; m = CELL.exec(xml)) {
      const ref = REF.exec(m[1]!)?.[1];
      const col = ref ? column(ref) : last + 1;
      const d = digitOf(m[1]!, m[2]);
      if (d === null || col !== last + 1) flush();
      if (d !== null) run.push(d);
      last = col;
    }
    flush();
  }

  /** The runs and headers found, one a line; null when none. */
  finish(): string | null {
    this.#headers(this.#carry);
    this.#carry = '';
    return this.#runs.length ? this.#runs.join('\n') + '\n' : null;
  }
}
