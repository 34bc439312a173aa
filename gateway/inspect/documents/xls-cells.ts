// The cells of an Excel 97–2003 workbook (BIFF8) laid out as Excel shows
// them, one sheet after another, a row a line, cells separated by commas as a
// CSV export would write them. A phone column is usually typed as numbers:
// NUMBER records hold IEEE doubles, RK and MULRK records 30-bit integers or
// truncated doubles, FORMULA records their cached result; none of these is
// text in the file, so a raw read never sees 13812345678. Numbers are written
// as Excel's General format shows them (integers without ".0", 15 significant
// digits); text cells are taken from the shared-string table by index so a
// row reads as a person reads it (姓名,手机 / 张三,13812345678).
// [MS-XLS] 2.4.180 (NUMBER), 2.4.220 (RK), 2.4.175 (MULRK), 2.5.218 (RkNumber),
// 2.4.127 (FORMULA), 2.5.133 (FormulaValue), 2.4.268 (STRING), 2.4.149 (LABELSST),
// 2.4.148 (LABEL).

import { headerText } from './excel-header.js';

const BOF = 0x0809;
const EOF = 0x000a;
const NUMBER = 0x0203;
const RK = 0x027e;
const MULRK = 0x00bd;
const FORMULA = 0x0006;
const STRING = 0x0207;
const LABELSST = 0x00fd;
const LABEL = 0x0204;
/** Page header and footer ([MS-XLS] 2.4.136, 2.4.124): an XLUnicodeString with Excel's codes (excel-header.ts). */
const HEADER = 0x0014;
const FOOTER = 0x0015;

/** A number as Excel's General format writes it: at most 15 significant digits, integers without a fraction. */
export function excelNumber(v: number): string {
  // Most cells are whole numbers of 15 digits or fewer, written as they are (toPrecision is ten times slower).
  if (Number.isInteger(v) && v < 1e15 && v > -1e15) return String(v);
  if (!Number.isFinite(v)) return '';
  // The shortest form that reads back as v: when it has 15 significant digits or fewer, it is Excel's.
  const short = String(v);
  if (short.length <= 16 && !short.includes('e')) return short;
  const r = Number(v.toPrecision(15));
  return Number.isInteger(r) && Math.abs(r) < 1e21 ? r.toFixed(0) : String(r);
}

/** RkNumber: 30 bits of an integer or of a double's high word, optionally divided by 100. */
const RK_WORDS = new Uint32Array(2); // little-endian on every platform Node runs on here (x64, arm64)
const RK_DOUBLE = new Float64Array(RK_WORDS.buffer);
export function rkNumber(rk: number): number {
  let v: number;
  if (rk & 0x02) v = rk >> 2;
  else {
    RK_WORDS[0] = 0;
    RK_WORDS[1] = (rk & 0xfffffffc) >>> 0;
    v = RK_DOUBLE[0]!;
  }
  return rk & 0x01 ? v / 100 : v;
}

/** An XLUnicodeString (a STRING or LABEL record's payload): cch, option byte, characters. */
function unicodeString(b: Buffer): string {
  if (b.length < 3) return '';
  const cch = b.readUInt16LE(0);
  const wide = (b[2]! & 0x01) !== 0;
  const body = b.subarray(3, 3 + cch * (wide ? 2 : 1));
  return wide ? body.toString('utf16le') : body.toString('latin1');
}

/**
 * Characters of shared strings named again (a cell naming a string another
 * cell named before) allowed a workbook: 16 Mi, or 8 a byte of the workbook
 * if more. Cells repeat short strings (a department, 男/女) and sometimes a
 * remark; a LABELSST record is 14 bytes, so 70,000 of them naming one string
 * of 32,767 characters made 2.3 Gi characters of a 1 MB workbook (issue 14),
 * past the worker's memory.
 */
const REPEATED_MIN = 16 * 1024 * 1024;
const REPEATED_PER_BYTE = 8;

/**
 * Each sheet's cells as CSV-like text. `strings` is the shared-string table
 * (xls-strings.ts); an index past it is left empty. Records cut short end the walk;
 * so do shared strings named again past the bound above, and `stopped.why` says so.
 */
export function xlsCells(book: Buffer, strings: readonly string[], stopped: { why?: string } = {}): string[] {
  const sheets: string[] = [];
  const named = new Uint8Array(strings.length);
  const repeatedMax = Math.max(REPEATED_MIN, REPEATED_PER_BYTE * book.length);
  let repeated = 0;
  let labels = 0;
  // A sheet's cells in the order of their records: rows ascending, cells ascending within them, as
  // Excel writes them; sorted only when they are not.
  let rowOf: number[] = [];
  let colOf: number[] = [];
  let textOf: string[] = [];
  let ordered = true;
  let formulaAt: [number, number] | null = null;
  const put = (r: number, c: number, text: string) => {
    const n = rowOf.length;
    if (n && (r < rowOf[n - 1]! || (r === rowOf[n - 1]! && c <= colOf[n - 1]!))) ordered = false;
    rowOf.push(r);
    colOf.push(c);
    textOf.push(text);
  };
  const flush = () => {
    if (!rowOf.length) return;
    const order = rowOf.map((_, i) => i);
    if (!ordered) order.sort((a, b) => rowOf[a]! - rowOf[b]! || colOf[a]! - colOf[b]! || a - b);
    const lines: string[] = [];
    let line = '';
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const prev = k ? order[k - 1]! : -1;
      if (prev < 0 || rowOf[prev] !== rowOf[i]) {
        if (prev >= 0) lines.push(line);
        line = textOf[i]!;
      } else {
        // Empty cells between two are empty fields, as a CSV export writes them (a column is under 256).
        line += ','.repeat(Math.min(Math.max(colOf[i]! - colOf[prev]!, 1), 256)) + textOf[i]!;
      }
    }
    lines.push(line);
    sheets.push(lines.join('\n'));
    rowOf = [];
    colOf = [];
    textOf = [];
    ordered = true;
  };
  for (let at = 0; at + 4 <= book.length;) {
    const type = book.readUInt16LE(at);
    const len = book.readUInt16LE(at + 2);
    if (at + 4 + len > book.length) break;
    const p = at + 4; // the record's payload, `len` bytes
    at = p + len;
    if (type === BOF || type === EOF) {
      flush();
      continue;
    }
    if (type === STRING) {
      if (formulaAt) put(formulaAt[0], formulaAt[1], unicodeString(book.subarray(p, p + len)));
      formulaAt = null;
      continue;
    }
    formulaAt = null;
    if ((type === HEADER || type === FOOTER) && len >= 3) {
      // Printed on every page, with the look's codes removed: a sheet's text of its own.
      const text = headerText(unicodeString(book.subarray(p, p + len)));
      if (text.trim()) sheets.push(text);
      continue;
    }
    if (len < 6) continue;
    const r = book.readUInt16LE(p);
    const c = book.readUInt16LE(p + 2);
    switch (type) {
      case NUMBER:
        if (len >= 14) put(r, c, excelNumber(book.readDoubleLE(p + 6)));
        break;
      case RK:
        if (len >= 10) put(r, c, excelNumber(rkNumber(book.readUInt32LE(p + 6))));
        break;
      case MULRK:
        // rw, colFirst, then (ixfe, RkNumber) × n, colLast.
        for (let k = 0, q = 4; q + 6 <= len - 2; k++, q += 6) put(r, c + k, excelNumber(rkNumber(book.readUInt32LE(p + q + 2))));
        break;
      case FORMULA:
        if (len < 14) break;
        if (book.readUInt16LE(p + 12) !== 0xffff) put(r, c, excelNumber(book.readDoubleLE(p + 6)));
        else if (book[p + 6] === 0) formulaAt = [r, c]; // a string result: the STRING record that follows holds it
        break;
      case LABELSST: {
        if (len < 10) break;
        const k = book.readUInt32LE(p + 6);
        const text = strings[k] ?? '';
        labels++;
        if (named[k]) repeated += text.length;
        else if (k < named.length) named[k] = 1;
        if (repeated > repeatedMax) {
          stopped.why = `its cells name shared strings again for more than ${repeatedMax} characters (${labels} text cells, ${named.reduce((a, x) => a + x, 0)} strings)`;
          flush();
          return sheets;
        }
        put(r, c, text);
        break;
      }
      case LABEL:
        put(r, c, unicodeString(book.subarray(p + 6, p + len)));
        break;
    }
  }
  flush();
  return sheets;
}
