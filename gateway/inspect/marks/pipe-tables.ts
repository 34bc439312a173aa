import { headerLine, namesPhone } from './amount-context.js';
import { isMobile } from './pii-checks.js';

// Mobile numbers in a Markdown (GFM) pipe table's cells under a column its header names a phone (`| 姓名 | 手机 |`,
// `|---|:---:|`, `| 张三 | 138,1234,5678 |`). A comma-grouped number, or one in the groupings people seldom
// write a mobile in (`1381 234 5678`, `138/1234/5678`), is read only where a phone is named, as a CSV column's
// name does for the text scanner (amount-context.ts headerLine); a Markdown table's header is no CSV's first
// line and its name was looked for on the number's line only (review13, 2 Dec: `| 138,1234,5678 |` two lines
// under `手机` crossed). Read line by line as the text streams: a header row, its delimiter row, then the body
// rows to the first line that is no row; each phone column's cell, 11 digits in groups apart by one separator
// throughout and no decimal part or unit, is written as its digits a line each for the view one level down.
// The same for a CSV's or a tab-separated table's cells under its first line's phone column (headerLine): a
// quoted cell `"138,1234,5678"` crossed there too, its comma-grouped form read beside a phone's word only.

/** A line longer than this is no table row (a line cut there is dropped whole: bounded memory). */
const LINE_MAX = 4096;
/** Groups of 1 to 4 digits apart by one separator (a comma with a space after it too), nothing else in the cell. */
const GROUPED = /^(\d{1,4})(?:(, |[,，、.\-/_· ])\d{1,4}){1,4}$/;
/** A column named a phone and a sum or a count too (`电话费`, `手机销量`, `phone_fee`): its thousands are no phone's grouping. */
const SUM_NAME = /费|销量|数量|金额|价|额|量|率|(?:^|[^a-z])(?:amount|price|fees?|cost|sales|count|qty|total|sum)(?:$|[^a-z])/i;
const phoneColumn = (name: string): boolean => namesPhone(name) && !SUM_NAME.test(name);
/** A line that may hold a grouped number (a digit, a separator, a digit): the only lines split into cells. */
const MAY_GROUP = /\d(?:, |[,，、.\-/_· ])\d/;
/** A delimiter row: cells of hyphens, a colon at either end (alignment), apart by pipes. */
const DELIMITER = /^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?$/;

/** A row's cells: split on pipes not escaped (`\|` is a pipe inside a cell), the outer pipes dropped. */
export function pipeCells(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && s[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * The digits of a cell that is a mobile number in groups (one separator throughout), else null. `csv`: groups apart
 * by a space or a hyphen are left to the text scanner, which joins them and keys them by the CSV's header itself.
 */
function groupedMobile(cell: string, csv = false): string | null {
  // (11 digits and 1 to 4 separators of 1 or 2 characters.)
  if (cell.length < 12 || cell.length > 19) return null;
  const m = GROUPED.exec(cell);
  if (!m) return null;
  const sep = m[2]!;
  if (csv && (sep === ' ' || sep === '-')) return null;
  // (One separator throughout: `1.381.234` beside `5678` is no phone's grouping.)
  if (cell.split(sep).length - 1 !== cell.replace(/\d/g, '').length / sep.length) return null;
  const digits = cell.replace(/\D/g, '');
  return digits.length === 11 && isMobile(digits) ? digits : null;
}

export class PipeTables {
  /** The last line seen (a header row, when a delimiter row follows it). */
  #prev = '';
  /** The line cut by the last chunk's end (null: it grew past LINE_MAX, and is read as no row). */
  #part: string | null = '';
  /** In a table's body: the columns its header names a phone (by index); null outside a table or with none. */
  #phones: number[] | null = null;
  #inTable = false;
  /** The content's header (a CSV's first line, headerLine): its separator and phone columns; null when none names a phone. */
  #csv: { sep: string; phones: number[] } | null | undefined;

  /** Reads s (the text after the last call's); returns the mobile numbers found, a line each. */
  push(s: string, final: boolean): string {
    if (this.#csv === undefined) this.#csv = csvHeader(s);
    let out = '';
    let at = 0;
    // (No pipe in this chunk nor in the line it ends, and no table open: its lines are none of a table's.)
    if (!this.#csv && !this.#inTable && !s.includes('|') && !this.#part?.includes('|')) {
      const nl = s.lastIndexOf('\n');
      if (nl >= 0) {
        this.#prev = '';
        this.#part = '';
        at = nl + 1;
      }
    }
    for (;;) {
      const nl = s.indexOf('\n', at);
      if (nl < 0) break;
      out += this.#line(this.#part === null ? '' : this.#part + s.slice(at, nl));
      this.#part = '';
      at = nl + 1;
    }
    if (this.#part !== null) this.#part += s.slice(at);
    if (this.#part !== null && this.#part.length > LINE_MAX) this.#part = null;
    if (final) {
      if (this.#part) out += this.#line(this.#part);
      this.#part = '';
    }
    return out;
  }

  #line(raw: string): string {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const prev = this.#prev;
    this.#prev = line;
    const csv = this.#csv ? this.#csvCells(line, this.#csv.sep, this.#csv.phones) : '';
    if (this.#inTable) {
      if (line.includes('|') && line.trim() !== '') return csv + this.#row(line);
      this.#inTable = false;
      this.#phones = null;
    }
    if (!line.includes('|') || !line.includes('-') || !DELIMITER.test(line.trim()) || !prev.includes('|')) return csv;
    // A header row and its delimiter row with as many cells (GFM): a table starts.
    const names = pipeCells(prev);
    if (names.length !== pipeCells(line).length) return csv;
    this.#inTable = true;
    const phones = names.flatMap((n, i) => (phoneColumn(n) ? [i] : []));
    this.#phones = phones.length ? phones : null;
    return csv;
  }

  #row(line: string): string {
    if (!this.#phones) return '';
    return MAY_GROUP.test(line) ? this.#cells(pipeCells(line), this.#phones) : '';
  }

  /** A CSV row's phone cells (a row without quotes: its cells found by searching for the separator, not split whole). */
  #csvCells(line: string, sep: string, phones: number[]): string {
    if (line.includes('"')) return MAY_GROUP.test(line) ? this.#cells(splitRow(line, sep), phones, true) : '';
    let out = '';
    for (const i of phones) {
      let a = 0;
      for (let k = 0; k < i && a >= 0; k++) a = line.indexOf(sep, a) + 1 || -1;
      if (a < 0) continue;
      const e = line.indexOf(sep, a);
      const d = groupedMobile(line.slice(a, e < 0 ? line.length : e).trim(), true);
      if (d) out += `${d}\n`;
    }
    return out;
  }

  #cells(cells: string[], phones: number[], csv = false): string {
    let out = '';
    for (const i of phones) {
      const d = cells[i] === undefined ? null : groupedMobile(cells[i]!, csv);
      if (d) out += `${d}\n`;
    }
    return out;
  }
}

/** The content's first line as a CSV's or a tab-separated table's header (amount-context.ts headerLine), when it names a phone column. */
function csvHeader(s: string): { sep: string; phones: number[] } | null {
  const h = headerLine(s);
  const sep = [',', '\t', ';'].find((c) => h.includes(c));
  if (!sep) return null;
  const phones = splitRow(h, sep).flatMap((n, i) => (phoneColumn(n) ? [i] : []));
  return phones.length ? { sep, phones } : null;
}

/** A CSV row's cells: split on sep outside double quotes, a quoted cell's quotes dropped (`""` is a quote). By native searches, not a loop over every character (a 20 MB phone book of quoted cells took 1.6 s so). */
function splitRow(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep).map((c) => c.trim());
  const cells: string[] = [];
  for (let i = 0; ; ) {
    let k = i;
    while (line.charCodeAt(k) === 0x20) k++;
    let v = '';
    if (line[k] === '"') {
      // A quoted cell: to its closing quote, a doubled quote kept as one.
      for (k++; ; ) {
        const q = line.indexOf('"', k);
        if (q < 0) {
          v += line.slice(k);
          k = line.length;
          break;
        }
        v += line.slice(k, q);
        k = q + 1;
        if (line[k] !== '"') break;
        v += '"';
        k++;
      }
    }
    const e = line.indexOf(sep, k);
    cells.push((v + line.slice(k, e < 0 ? line.length : e)).trim());
    if (e < 0) return cells;
    i = e + 1;
  }
}
