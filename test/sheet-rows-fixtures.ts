// An id one digit a cell in an xlsx (seventh red team of 1 Dec, R3): an application form's digit boxes as numeric
// cells or inline strings crossed, where the same row as CSV, HTML, a docx table, .xls or .ods is refused. Beside
// them, sheets of small numbers (a score sheet, amounts after a 138 code) must stay clean.
import type { Sample } from './evasion-fixtures.js';
import { residentId, zip } from './inspect-fixtures.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const col = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)));

/** A workbook of one sheet (rows of cell XML) and its shared strings. */
export function workbook(rows: string[], strings: string[]): Buffer {
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${NS}"><sheetData>${rows.map((r, i) => `<row r="${i + 1}">${r}</row>`).join('')}</sheetData></worksheet>`;
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="${NS}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`;
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>') },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet) },
    { name: 'xl/sharedStrings.xml', data: Buffer.from(sst) },
  ]);
}

/** A label cell (shared string 0) then one cell a character. */
const boxes = (row: number, chars: string, cell: (c: string, ref: string) => string): string =>
  `<c r="A${row}" t="s"><v>0</v></c>${[...chars].map((c, i) => cell(c, `${col(i + 1)}${row}`)).join('')}`;
const numeric = (c: string, ref: string): string => (/\d/.test(c) ? `<c r="${ref}"><v>${c}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${c}</t></is></c>`);
const inline = (c: string, ref: string): string => `<c r="${ref}" t="inlineStr"><is><t>${c}</t></is></c>`;

export function sheetRowsSamples(): Sample[] {
  const id = residentId('440305', '19900307', '457');
  const idX = residentId('110105', '19491231', '002');
  return [
    { name: 'R3: xlsx form, 身份证号码 one digit a numeric cell', filename: '申请表.xlsx', type: XLSX, body: workbook(['', '', boxes(3, id, numeric)], ['身份证号码']), expect: 'personal-data' },
    { name: 'R3: xlsx form, the id one digit an inline-string cell', filename: '申请表.xlsx', type: XLSX, body: workbook(['', '', boxes(3, id, inline)], ['身份证号码']), expect: 'personal-data' },
    { name: 'R3: xlsx form, an id ending in X, numeric cells and an inline X, no r attributes', filename: '申请表.xlsx', type: XLSX, body: workbook([boxes(1, idX, numeric).replace(/ r="[A-Z]+1"/g, '')], ['公民身份号码']), expect: 'personal-data' },
  ];
}

export function sheetRowsCleanSamples(): Sample[] {
  // 40 pupils' scores in 20 subjects of one digit each; a ledger whose code column holds 138 beside amounts.
  const scores = Array.from({ length: 40 }, (_, r) => `<c r="A${r + 1}" t="s"><v>0</v></c>` + Array.from({ length: 20 }, (_, j) => `<c r="${col(j + 1)}${r + 1}"><v>${(r * 7 + j * 3 + ((r * j) % 5)) % 10}</v></c>`).join(''));
  const ledger = Array.from({ length: 30 }, (_, r) => `<c r="A${r + 1}"><v>138</v></c><c r="B${r + 1}"><v>${12345678 + r * 1111}.5</v></c><c r="C${r + 1}"><v>${r % 10}</v></c>`);
  return [
    { name: 'R3 clean: a score sheet, 20 columns of one digit', filename: '成绩.xlsx', type: XLSX, body: workbook(scores, ['学生']), expect: '' },
    { name: 'R3 clean: a ledger, code 138 beside amounts', filename: '台账.xlsx', type: XLSX, body: workbook(ledger, []), expect: '' },
  ];
}
