// An id one digit a cell in an xlsx (seventh red team of 1 Dec, R3): an application form's digit boxes as numeric
// cells or inline strings crossed, where the same row as CSV, HTML, a docx table, .xls or .ods is refused. Beside
// them, sheets of small numbers (a score sheet, amounts after a 138 code) must stay clean.
import type { Sample } from './evasion-fixtures.js';
import { residentId, zip } from './inspect-fixtures.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const col = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)));

/**
 * A workbook of one sheet (rows of cell XML) and its shared strings, in Excel's order (the sheet, the styles, the
 * shared strings); `formats`: number format codes, cell style k + 1 showing format k; `first`: the shared strings
 * and the styles before the sheet.
 */
export function workbook(rows: string[], strings: string[], formats: string[] = [], first = false, defaultFormat = 0): Buffer {
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${NS}"><dimension ref="A1"/><sheetData>${rows.map((r, i) => `<row r="${i + 1}">${r}</row>`).join('')}</sheetData></worksheet>`;
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="${NS}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`;
  const esc = (c: string): string => c.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="${NS}"><numFmts count="${formats.length}">${formats.map((c, k) => `<numFmt numFmtId="${164 + k}" formatCode="${esc(c)}"/>`).join('')}</numFmts><fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts><cellStyleXfs count="1"><xf numFmtId="0" fontId="0"/></cellStyleXfs><cellXfs count="${formats.length + 1}"><xf numFmtId="${defaultFormat}" fontId="0" xfId="0"/>${formats.map((_, k) => `<xf numFmtId="${164 + k}" fontId="0" xfId="0" applyNumberFormat="1"/>`).join('')}</cellXfs></styleSheet>`;
  const parts = [
    { name: 'xl/styles.xml', data: Buffer.from(styles) },
    { name: 'xl/sharedStrings.xml', data: Buffer.from(sst) },
  ];
  const sheetPart = { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet) };
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>') },
    ...(first ? [...parts, sheetPart] : [sheetPart, ...parts]),
  ]);
}

/** A label cell (shared string 0) then one cell a character. */
const boxes = (row: number, chars: string, cell: (c: string, ref: string) => string): string =>
  `<c r="A${row}" t="s"><v>0</v></c>${[...chars].map((c, i) => cell(c, `${col(i + 1)}${row}`)).join('')}`;
const numeric = (c: string, ref: string): string => (/\d/.test(c) ? `<c r="${ref}"><v>${c}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${c}</t></is></c>`);
const inline = (c: string, ref: string): string => `<c r="${ref}" t="inlineStr"><is><t>${c}</t></is></c>`;
/** A label cell (shared string 0) then one character every other column (boxes of two merged cells). */
const pairs = (row: number, chars: string, cell: (c: string, ref: string) => string): string =>
  `<c r="A${row}" t="s"><v>0</v></c>${[...chars].map((c, i) => cell(c, `${col(2 * i + 1)}${row}`)).join('')}`;
/** One digit a shared string: strings 1 to 10 are 0 to 9, 11 is X (the label is 0). */
const DIGITS = [...'0123456789X'];
const shared = (c: string, ref: string): string => `<c r="${ref}" t="s"><v>${1 + DIGITS.indexOf(c.toUpperCase())}</v></c>`;
/** A phone book's rows: a name (shared string k + 1) and a number cell of style 1 holding `value(i)`. */
const phoneBook = (n: number, value: (i: number) => number): string[] => [
  '<c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>手机</t></is></c>',
  ...Array.from({ length: n }, (_, i) => `<c r="A${i + 2}" t="s"><v>${i + 1}</v></c><c r="B${i + 2}" s="1"><v>${value(i)}</v></c>`),
];
const NAMES = ['姓名', '张三', '李四', '王五', '赵六', '钱七', '孙八'];
/** A phone book whose number column is text of style 1: shared strings after the names, or inline strings. */
const textBook = (values: string[], inline: boolean): string[] => [
  '<c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>手机</t></is></c>',
  ...values.map((v, i) => `<c r="A${i + 2}" t="s"><v>${i + 1}</v></c>` + (inline ? `<c r="B${i + 2}" s="1" t="inlineStr"><is><t>${v}</t></is></c>` : `<c r="B${i + 2}" s="1" t="s"><v>${NAMES.length + i}</v></c>`)),
];
const MOBILES = [13812345678, 13998765432, 15012348765, 18611112222, 13700001111, 15899990000];

export function sheetRowsSamples(): Sample[] {
  const id = residentId('440305', '19900307', '457');
  const idX = residentId('110105', '19491231', '002');
  return [
    { name: 'R3: xlsx form, 身份证号码 one digit a numeric cell', filename: '申请表.xlsx', type: XLSX, body: workbook(['', '', boxes(3, id, numeric)], ['身份证号码']), expect: 'personal-data' },
    { name: 'R3: xlsx form, the id one digit an inline-string cell', filename: '申请表.xlsx', type: XLSX, body: workbook(['', '', boxes(3, id, inline)], ['身份证号码']), expect: 'personal-data' },
    { name: 'R3: xlsx form, an id ending in X, numeric cells and an inline X, no r attributes', filename: '申请表.xlsx', type: XLSX, body: workbook([boxes(1, idX, numeric).replace(/ r="[A-Z]+1"/g, '')], ['公民身份号码']), expect: 'personal-data' },
    { name: 'R3: xlsx form, the id one digit a shared string (the sheet before the shared strings)', filename: '申请表.xlsx', type: XLSX, body: workbook(['', '', boxes(3, id, shared)], ['身份证号码', ...DIGITS]), expect: 'personal-data' },
    { name: 'R3: xlsx form, an id ending in X one digit a shared string, the shared strings first', filename: '申请表.xlsx', type: XLSX, body: workbook([boxes(1, idX, shared)], ['公民身份号码', ...DIGITS], [], true), expect: 'personal-data' },
    { name: 'R3: xlsx form, a mobile one digit a numeric cell after 联系电话 (a shared string)', filename: '申请表.xlsx', type: XLSX, body: workbook(['', boxes(2, '13812345678', numeric)], ['联系电话']), expect: 'personal-data' },
    { name: 'R3: xlsx form, a mobile one digit a shared string after 手机号码', filename: '申请表.xlsx', type: XLSX, body: workbook([boxes(1, '15012348765', shared)], ['手机号码', ...DIGITS]), expect: 'personal-data' },
    { name: 'R3: xlsx form, the id one digit a numeric cell, each box two merged columns (B, D, F…)', filename: '申请表.xlsx', type: XLSX, body: workbook(['', '', pairs(3, id, numeric)], ['身份证号码']), expect: 'personal-data' },
    { name: 'R3: xlsx form, a mobile one digit a shared string, each box two merged columns, after 联系电话', filename: '申请表.xlsx', type: XLSX, body: workbook([pairs(1, '13998765432', shared)], ['联系电话', ...DIGITS]), expect: 'personal-data' },
    { name: 'R3: xlsx form, a mobile one digit an inline string after an inline 手机', filename: '申请表.xlsx', type: XLSX, body: workbook([`<c r="A1" t="inlineStr"><is><t>手机：</t></is></c>${[...'18611112222'].map((c, i) => inline(c, `${col(i + 1)}1`)).join('')}`], []), expect: 'personal-data' },
  ];
}

/**
 * Mobiles and ids shown through a number format's own digits (seventh red team of 1 Dec, R14): the cell holds
 * 12345678, Excel shows 13812345678.
 */
export function numberFormatSamples(): Sample[] {
  const id = residentId('440305', '19900307', '457'); // 440305199003074576: no X
  return [
    { name: 'R14: xlsx phone book, numbers shown through "138"00000000 (styles after the sheet, as Excel writes)', filename: '通讯录.xlsx', type: XLSX, body: workbook(phoneBook(6, (i) => MOBILES[i]! % 1e8), NAMES, ['"138"00000000']), expect: 'personal-data' },
    { name: 'R14: xlsx phone book, the styles before the sheet', filename: '通讯录.xlsx', type: XLSX, body: workbook(phoneBook(6, (i) => MOBILES[i]! % 1e8), NAMES, ['"138"00000000'], true), expect: 'personal-data' },
    { name: 'R14: xlsx, the prefix escaped and grouped: \\1\\3\\9-0000-0000', filename: '通讯录.xlsx', type: XLSX, body: workbook(phoneBook(1, () => 87654321), NAMES, ['\\1\\3\\9-0000-0000']), expect: 'personal-data' },
    { name: 'R14: xlsx, a mobile as a percentage (138123456.78 shown 0%)', filename: '通讯录.xlsx', type: XLSX, body: workbook(phoneBook(1, () => 138123456.78), NAMES, ['0%']), expect: 'personal-data' },
    { name: 'R14: xlsx, an id: the region and birth date as the format\'s text, the rest the number', filename: '登记表.xlsx', type: XLSX, body: workbook(phoneBook(1, () => Number(id.slice(6))), ['身份证号'], [`"440305"000000000000`]), expect: 'personal-data' },
    { name: 'R14: xlsx, a section for positives with a condition: [>0]"186"00000000', filename: '通讯录.xlsx', type: XLSX, body: workbook(phoneBook(1, () => 11112222), NAMES, ['[>0]"186"00000000;General']), expect: 'personal-data' },
    { name: 'R14: xlsx, a date format\'s own digits: "1381234"mmdd over a serial whose month and day are 05 28', filename: '通讯录.xlsx', type: XLSX, body: workbook(phoneBook(1, () => 45440), NAMES, ['"1381234"mmdd']), expect: 'personal-data' },
    { name: 'R14: xlsx, text cells (shared strings 12345678…) shown through the text format "138"@', filename: '通讯录.xlsx', type: XLSX, body: workbook(textBook(MOBILES.map((m) => String(m).slice(3)), false), [...NAMES, ...MOBILES.map((m) => String(m).slice(3))], ['"138"@']), expect: 'personal-data' },
    { name: 'R14: xlsx, inline text cells through a four-section format 0;-0;0;"186"@', filename: '通讯录.xlsx', type: XLSX, body: workbook(textBook(['11112222'], true), NAMES, ['0;-0;0;"186"@']), expect: 'personal-data' },
    { name: 'R14: xlsx, the default cell format (style 0) given "138"00000000, the numbers unstyled', filename: '通讯录.xlsx', type: XLSX, body: workbook(phoneBook(6, (i) => MOBILES[i]! % 1e8).map((r) => r.replace(/ s="1"/g, '')), NAMES, ['"138"00000000'], false, 164), expect: 'inspection-limit' },
  ];
}

export function numberFormatCleanSamples(): Sample[] {
  const amounts = Array.from({ length: 200 }, (_, i) => `<c r="A${i + 1}" s="1"><v>${(i * 7919.37 + 0.5).toFixed(2)}</v></c><c r="B${i + 1}" s="2"><v>${45000 + i}</v></c><c r="C${i + 1}" s="3"><v>${i + 1}</v></c><c r="D${i + 1}" s="4"><v>${83456789 + i}</v></c><c r="E${i + 1}" s="5"><v>${0.05 + i / 1000}</v></c><c r="F${i + 1}" s="6"><v>${1234567890 + i * 1001}</v></c>`);
  return [
    {
      name: 'R14 clean: amounts #,##0.00, dates, serials "NO.2024"000000, landlines "0755-"00000000, rates 0.00%, large amounts ¥#,##0',
      filename: '台账.xlsx', type: XLSX,
      body: workbook(amounts, [], ['#,##0.00', 'yyyy"年"m"月"d"日"', '"NO.2024"000000', '"0755-"00000000', '0.00%', '"¥"#,##0']),
      expect: '',
    },
    { name: 'R14 clean: landlines as text shown "0755-"@, serials as text shown "NO."@', filename: '通讯录.xlsx', type: XLSX, body: workbook([...textBook(['83456789', '83450001', '86001234'], false), ...textBook(['2024000123'], true).slice(1).map((r) => r.replace(/A2|B2/g, (x) => x[0] + '5').replace(' s="1"', ' s="2"'))], [...NAMES, '83456789', '83450001', '86001234'], ['"0755-"@', '"NO."@']), expect: '' },
    { name: 'R14 clean: empty styled cells (<c s="1"/>) before shared strings whose indexes are small, style 1 "1380000000"0', filename: '台账.xlsx', type: XLSX, body: workbook(Array.from({ length: 6 }, (_, i) => `<c r="A${i + 1}" s="1"/><c r="B${i + 1}" t="s"><v>${i + 1}</v></c>`), NAMES, ['"1380000000"0']), expect: '' },
    { name: 'R14 clean: codes shown "138"00 (a 5-digit code, not a mobile)', filename: '代码.xlsx', type: XLSX, body: workbook(phoneBook(6, (i) => i + 10), NAMES, ['"138"00']), expect: '' },
  ];
}

export function sheetRowsCleanSamples(): Sample[] {
  // 40 pupils' scores in 20 subjects of one digit each; a ledger whose code column holds 138 beside amounts.
  const scores = Array.from({ length: 40 }, (_, r) => `<c r="A${r + 1}" t="s"><v>0</v></c>` + Array.from({ length: 20 }, (_, j) => `<c r="${col(j + 1)}${r + 1}"><v>${(r * 7 + j * 3 + ((r * j) % 5)) % 10}</v></c>`).join(''));
  const ledger = Array.from({ length: 30 }, (_, r) => `<c r="A${r + 1}"><v>138</v></c><c r="B${r + 1}"><v>${12345678 + r * 1111}.5</v></c><c r="C${r + 1}"><v>${r % 10}</v></c>`);
  // 11 answers of one digit a row, as numbers and as shared strings (a survey), under a name: no phone named.
  const survey = (cell: (c: string, ref: string) => string): string[] => Array.from({ length: 30 }, (_, r) => `<c r="A${r + 1}" t="s"><v>0</v></c>` + [...`13${String(512345678 + r * 37).slice(0, 9)}`].map((c, j) => cell(c, `${col(j + 1)}${r + 1}`)).join(''));
  return [
    { name: 'R3 clean: a score sheet, 20 columns of one digit', filename: '成绩.xlsx', type: XLSX, body: workbook(scores, ['学生']), expect: '' },
    { name: 'R3 clean: a survey, 11 answers of one digit a row (numbers), 1 and 3 first', filename: '问卷.xlsx', type: XLSX, body: workbook(survey(numeric), ['答卷人']), expect: '' },
    { name: 'R3 clean: a survey, 11 answers of one digit a row (shared strings), 1 and 3 first', filename: '问卷.xlsx', type: XLSX, body: workbook(survey(shared), ['答卷人', ...DIGITS]), expect: '' },
    { name: 'R3 clean: a survey, 11 answers of one digit in every other column, 1 and 3 first', filename: '问卷.xlsx', type: XLSX, body: workbook(survey(numeric).map((r) => r.replace(/r="([A-Z]+)(\d+)"/g, (_, c: string, n: string) => `r="${c === 'A' ? 'A' : col(2 * (c.charCodeAt(0) - 65) - 1)}${n}"`)), ['答卷人']), expect: '' },
    { name: 'R3 clean: a landline in 11 boxes after 联系电话 (0755 8345 678)', filename: '申请表.xlsx', type: XLSX, body: workbook([boxes(1, '07558345678', shared)], ['联系电话', ...DIGITS]), expect: '' },
    { name: 'R3 clean: a ledger, code 138 beside amounts', filename: '台账.xlsx', type: XLSX, body: workbook(ledger, []), expect: '' },
  ];
}
