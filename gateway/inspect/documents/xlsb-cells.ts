import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';
import { excelNumber, rkNumber } from './xls-cells.js';
import { MAX_LABELS, MIN_BOXES, type SheetBook } from './sheet-book.js';

// The cells of an Excel Binary Workbook's sheet part (.xlsb: BIFF12 records
// in a zip, xl/worksheets/sheetN.bin) laid out as Excel shows them, a row a
// line, cells apart by commas as a CSV export writes them (seventh red team
// of 1 Dec, R4), as xls-cells.ts does for .xls: a phone column typed as
// numbers is IEEE doubles (BrtCellReal) or RkNumbers (BrtCellRk), never text
// in the file. Text cells written in the cell (BrtCellSt, a formula's string)
// are written as they are; a shared string's cell (BrtCellIsst) is an index
// into xl/sharedStrings.bin, whose strings are read there as UTF-16 text: the
// cell is left empty here. [MS-XLSB] 2.1.4 (record header: a type of one or
// two bytes, a size of one to four, 7 bits a byte), 2.4.718 BrtRowHdr,
// 2.4.303-314 cell records, 2.4.646-649 formula records, 2.5.122 RkNumber;
// the short cell records 12-18 (Excel 2010 and later: no column, the next
// cell) as SheetJS's notes give them.
// A form's digit boxes kept as shared strings (Excel writes every text cell so) are the workbook's to resolve
// (sheet-book.ts, as for an .xlsx, R3): a row's runs of cells that are one digit or a shared string go to the
// book, and xl/sharedStrings.bin's BrtSSTItem records (2.4.726) give it the strings (review10: an id one digit a
// shared string crossed in an .xlsb, as it had in an .xlsx before R3).
// Streamed: records are parsed as the part's bytes come (a record cut by a
// chunk's end is carried; a record over MAX_RECORD is passed over unread), the
// text sent to a view in pieces. Bounded: the text written is at most
// TEXT_PER_BYTE characters a byte of the part (and MIN_TEXT); past it, an
// inspection limit.

const ROW_HDR = 0x00;
const BLANK = 0x01;
const RK = 0x02;
const ERROR = 0x03;
const BOOL = 0x04;
const REAL = 0x05;
const ST = 0x06;
const ISST = 0x07;
const FMLA_STRING = 0x08;
const FMLA_NUM = 0x09;
const FMLA_BOOL = 0x0a;
const FMLA_ERROR = 0x0b;
const SHORT_BLANK = 0x0c;
const SHORT_RK = 0x0d;
const SHORT_ERROR = 0x0e;
const SHORT_BOOL = 0x0f;
const SHORT_REAL = 0x10;
const SHORT_ST = 0x11;
const SHORT_ISST = 0x12;
const END_SHEET_DATA = 0x92;

/** A cell record's longest body read (a string cell of 32,767 characters and its formula). */
const MAX_RECORD = 1 << 20;
const TEXT_PER_BYTE = 4;
const MIN_TEXT = 16 << 20;
/** Empty fields written for a gap between two cells of a row, at most. */
const MAX_GAP = 32;
/** A row's text past this goes on to the view before the row ends, charged like a line (review10: a row of thousands of long shared strings was held whole). */
const ROW_CHUNK = 64 * 1024;
const PIECE = 65536;

/** BrtSSTItem, in xl/sharedStrings.bin. */
const SST_ITEM = 0x13;
/** Empty columns between boxes still one run (boxes of merged pairs of columns), as in sheet-rows.ts. */
const MAX_RUN_GAP = 3;

/** BrtBeginSst (type 0x9F: bytes 9F 01) of size 8: xl/sharedStrings.bin starts so. */
export function isXlsbStrings(head: Buffer): boolean {
  return head.length >= 3 && head[0] === 0x9f && head[1] === 0x01 && head[2] === 0x08;
}

/** BrtBeginSheet (type 0x81: bytes 81 01) of size 0: every sheet part starts so. */
export function isXlsbSheet(head: Buffer): boolean {
  return head.length >= 3 && head[0] === 0x81 && head[1] === 0x01 && head[2] === 0x00;
}

/** An XLWideString at p: a 4-byte count of UTF-16 code units, then the units; '' when cut short. */
function wideString(b: Buffer, p: number, end: number): string {
  if (p + 4 > end) return '';
  const n = b.readUInt32LE(p);
  const stop = p + 4 + n * 2;
  return stop <= end ? b.toString('utf16le', p + 4, stop) : '';
}

export class XlsbCells {
  readonly #ctx: InspectContext;
  readonly #path: string | undefined;
  readonly #open: (name: string, kind: 'view' | 'content') => Member;
  #carry: Buffer | null = null;
  /** Bytes of a record over MAX_RECORD still to pass over. */
  #skip = 0;
  #row = -1;
  #col = -1;
  #line = '';
  #piece = '';
  #view: Member | null = null;
  #written = 0;
  #seen = 0;
  #stopped = false;
  /** The workbook (its shared strings resolve digit boxes); this part is its shared strings, and how many were read. */
  readonly #book: SheetBook | null;
  readonly #strings: boolean;
  #sst = 0;
  /** The row's run of one-digit or shared-string cells (a digit as -its code, a shared string as its index), the shared strings before it, inline text before it, the last cell's column. */
  #run: number[] = [];
  #labels: number[] = [];
  #text = '';
  #last = -1;

  constructor(ctx: InspectContext, path: string | undefined, open: (name: string, kind: 'view' | 'content') => Member, book: SheetBook | null = null, strings = false) {
    this.#ctx = ctx;
    this.#path = path;
    this.#open = open;
    this.#book = book;
    this.#strings = strings;
  }

  async update(chunk: Buffer): Promise<void> {
    this.#seen += chunk.length;
    if (this.#stopped) return;
    let b = chunk;
    if (this.#skip) {
      const n = Math.min(this.#skip, b.length);
      this.#skip -= n;
      b = b.subarray(n);
    }
    if (this.#carry) {
      b = Buffer.concat([this.#carry, b]);
      this.#carry = null;
    }
    let at = 0;
    while (at < b.length) {
      // The record's header: type (1-2 bytes), size (1-4 bytes), 7 bits a byte.
      let p = at;
      let type = b[p++]!;
      if (type & 0x80) {
        if (p >= b.length) break;
        type = (type & 0x7f) | ((b[p++]! & 0x7f) << 7);
      }
      let size = 0;
      let shift = 0;
      let done = false;
      for (let k = 0; k < 4 && p < b.length; k++) {
        const c = b[p++]!;
        size |= (c & 0x7f) << shift;
        shift += 7;
        if (!(c & 0x80)) {
          done = true;
          break;
        }
      }
      if (!done) {
        if (shift >= 28) {
          this.#stopped = true; // no record header (not BIFF12 past here)
          return this.#flushPiece();
        }
        break;
      }
      if (size > MAX_RECORD) {
        const have = b.length - p;
        if (have >= size) {
          at = p + size;
          continue;
        }
        this.#skip = size - have;
        at = b.length;
        break;
      }
      if (p + size > b.length) break;
      this.#record(type, b, p, p + size);
      at = p + size;
    }
    if (at < b.length) this.#carry = Buffer.from(b.subarray(at));
    if (this.#piece.length >= PIECE) await this.#flushPiece();
  }

  #record(type: number, b: Buffer, p: number, end: number): void {
    if (this.#strings) {
      // A shared string: flags (rich text, phonetic), then its text.
      if (type === SST_ITEM && end - p >= 5) this.#book?.addString(this.#sst++, wideString(b, p + 1, end));
      return;
    }
    if (type === ROW_HDR) {
      if (end - p >= 4) this.#newRow(b.readUInt32LE(p));
      return;
    }
    if (type === END_SHEET_DATA) {
      this.#newRow(-1);
      return;
    }
    if (type > SHORT_ISST) return;
    const short = type >= SHORT_BLANK;
    const head = short ? 4 : 8;
    if (end - p < head) return;
    const col = short ? this.#col + 1 : b.readUInt32LE(p);
    const q = p + head;
    let text = '';
    let shared = -1;
    switch (type) {
      case RK:
      case SHORT_RK:
        if (q + 4 <= end) text = excelNumber(rkNumber(b.readUInt32LE(q)));
        break;
      case REAL:
      case SHORT_REAL:
      case FMLA_NUM:
        if (q + 8 <= end) text = excelNumber(b.readDoubleLE(q));
        break;
      case ST:
      case SHORT_ST:
      case FMLA_STRING:
        text = wideString(b, q, end);
        break;
      case ISST:
      case SHORT_ISST:
        if (q + 4 <= end) shared = b.readUInt32LE(q);
        break;
      case BLANK:
      case ERROR:
      case BOOL:
      case FMLA_BOOL:
      case FMLA_ERROR:
      case SHORT_BLANK:
      case SHORT_ERROR:
      case SHORT_BOOL:
        break;
    }
    if (this.#book) this.#runCell(col, shared >= 0 && shared < 2 ** 31 ? shared : /^[0-9Xx]$/.test(text) ? -text.charCodeAt(0) : null, text);
    this.#put(col, text);
  }

  /** A cell for the row's run: one digit or a shared string continues it; anything else, or a gap, ends it. */
  #runCell(col: number, cell: number | null, text: string): void {
    if (cell === null || col <= this.#last || col - this.#last > MAX_RUN_GAP + 1) this.#flushRun();
    if (cell !== null) this.#run.push(cell);
    else if (text && this.#text.length < 256) this.#text += `${text} `;
    this.#last = col;
  }

  /** A run of MIN_BOXES cells or more with a shared string among them, to the book (one of digits alone is this view's). */
  #flushRun(): void {
    const run = this.#run;
    if (run.length >= MIN_BOXES && run.some((c) => c >= 0)) this.#book!.addRun({ cells: Int32Array.from(run), labels: this.#labels, text: this.#text });
    for (const c of run) if (c >= 0) this.#labels.push(c);
    if (this.#labels.length > MAX_LABELS) this.#labels = this.#labels.slice(-MAX_LABELS);
    this.#run = [];
  }

  #newRow(r: number): void {
    if (this.#book) {
      this.#flushRun();
      this.#labels = [];
      this.#text = '';
      this.#last = -1;
    }
    if (this.#line) this.#emit(this.#line);
    this.#line = '';
    this.#row = r;
    this.#col = -1;
  }

  #put(col: number, text: string): void {
    if (this.#row < 0 && this.#col < 0 && !this.#line) this.#row = 0;
    const gap = this.#col < 0 ? 0 : Math.min(Math.max(col - this.#col, 1), MAX_GAP);
    this.#line += ','.repeat(gap) + text.replace(/[\r\n]+/g, ' ');
    this.#col = col;
    if (this.#line.length > ROW_CHUNK) {
      this.#emit(this.#line, false);
      this.#line = '';
    }
  }

  /** Writes a row's text to the view, with its line break unless the row goes on (ended false). */
  #emit(line: string, ended = true): void {
    if (this.#stopped) return;
    if (!/[^,]/.test(line)) return;
    this.#written += line.length + 1;
    if (this.#written > Math.max(MIN_TEXT, TEXT_PER_BYTE * this.#seen)) {
      this.#stopped = true;
      this.#ctx.inspectionLimit('amplification', this.#path, `the workbook's cells make more than ${TEXT_PER_BYTE} characters a byte of its sheet; the rest were not read`);
      return;
    }
    this.#piece += ended ? line + '\n' : line;
  }

  async #flushPiece(): Promise<void> {
    if (!this.#piece) return;
    const piece = this.#piece;
    this.#piece = '';
    this.#view ??= this.#open('(xlsb-cells)', 'view');
    await this.#view.update(Buffer.from(piece));
  }

  async finish(): Promise<void> {
    if (this.#book && !this.#strings) this.#flushRun();
    if (this.#line) this.#emit(this.#line);
    this.#line = '';
    const book = this.#book;
    if (book) {
      // Whichever part is read last writes what the book resolved (the sheet's runs once the strings are known).
      if (this.#strings) book.stringsDone();
      const lines = book.take();
      if (lines.length) this.#piece += `${lines.join('\n')}\n`;
      const limit = book.takeLimit();
      if (limit) this.#ctx.inspectionLimit('workbook-cells', this.#path, limit);
    }
    await this.#flushPiece();
    await this.#view?.finish();
  }
}
