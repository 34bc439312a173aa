// An .xlsx number cell shown as money (the closing note of 2 Dec; F9 fixed .ods currency cells, test/inspect-
// currency-cells): `<c s="1"><v>13812345678</v></c>` whose style's number format is `"¥"#,##0.00` or `[$¥-804]`
// shows ¥13,812,345,678.00, and was refused cn-mobile, the format being in xl/styles.xml, which Excel writes after
// the sheets. Such a cell's mobile is now taken back once both parts are read (currency-cells.ts), in either order.
// Still read: a number shown bare or only grouped (a phone book typed in Excel), a format whose condition sends the
// number to a section without money, the same number beside in text (also behind an entity), another mobile, a
// workbook with no styles, a style that is not there, a text cell.
import t from 'tap';
import { kinds, inspectBytes, zip } from './inspect-fixtures.js';

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const XLSX = { filename: '决算.xlsx', declaredType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
const esc = (c: string): string => c.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * A workbook: rows of cell XML, shared strings, and cell formats (style k + 1 shows `fmts[k]`: a code, or a built-in
 * id); `order` says where styles.xml goes (Excel: after the sheet) or that there is none.
 */
function book(rows: string[], strings: string[], fmts: Array<string | number>, order: 'after' | 'before' | 'none' = 'after'): Buffer {
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${NS}"><dimension ref="A1:C${rows.length}"/><sheetData>${rows.map((r, i) => `<row r="${i + 1}">${r}</row>`).join('')}</sheetData></worksheet>`;
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="${NS}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`;
  const codes = fmts.map((f, k) => (typeof f === 'string' ? `<numFmt numFmtId="${164 + k}" formatCode="${esc(f)}"/>` : '')).join('');
  const xfs = fmts.map((f, k) => `<xf numFmtId="${typeof f === 'string' ? 164 + k : f}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`).join('');
  const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="${NS}"><numFmts count="${fmts.length}">${codes}</numFmts><fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts><cellStyleXfs count="1"><xf numFmtId="0" fontId="0"/></cellStyleXfs><cellXfs count="${fmts.length + 1}"><xf numFmtId="0" fontId="0" xfId="0"/>${xfs}</cellXfs></styleSheet>`;
  const parts = [
    { name: 'xl/sharedStrings.xml', data: Buffer.from(sst) },
    ...(order === 'none' ? [] : [{ name: 'xl/styles.xml', data: Buffer.from(styles) }]),
  ];
  const sheetPart = { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet) };
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>') },
    ...(order === 'before' ? [...parts, sheetPart] : [sheetPart, ...parts]),
  ]);
}

const s = (ref: string, i: number): string => `<c r="${ref}" t="s"><v>${i}</v></c>`;
const n = (ref: string, style: number, v: string): string => `<c r="${ref}" s="${style}"><v>${v}</v></c>`;
const inline = (ref: string, text: string): string => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const STRINGS = ['项目', '金额', '营业收入', '净利润', '备注'];
/** A statement: amounts in column B of style 1, the heads as shared strings. */
const statement = (extra: string[] = [], style = 1): string[] => [
  s('A1', 0) + s('B1', 1),
  s('A2', 2) + n('B2', style, '13812345678'),
  s('A3', 3) + n('B3', style, '15012348765'),
  ...extra,
];

const MONEY: Array<string | number> = ['"¥"#,##0.00', '[$¥-804]#,##0.00', '[$$-409]#,##0.00', '"$"#,##0.00_);[Red]\\("$"#,##0.00\\)', '¥#,##0;¥\\-#,##0', '#,##0.00"元"', '[$USD] #,##0.00', 7, 44];

t.test('amounts in number cells shown as money are clean, the styles after the sheet or before it', async (t) => {
  for (const fmt of MONEY) {
    for (const order of ['after', 'before'] as const) {
      t.same(kinds((await inspectBytes(book(statement(), STRINGS, [fmt], order), {}, XLSX)).findings), [], `${JSON.stringify(fmt)}, styles ${order} the sheet`);
    }
  }
  // Many rows, the same amount twice, and two money styles side by side.
  const rows = [s('A1', 0) + s('B1', 1), ...Array.from({ length: 200 }, (_, i) => s(`A${i + 2}`, 2) + n(`B${i + 2}`, 1 + (i % 2), String(13800000000 + i * 7919)) + n(`C${i + 2}`, 1, '13812345678'))];
  t.same(kinds((await inspectBytes(book(rows, STRINGS, ['"¥"#,##0.00', '[$€-407]#,##0.00']), {}, XLSX)).findings), [], '200 rows of amounts in two money styles');
});

t.test('mobiles beside them, and numbers not shown as money, are still found', async (t) => {
  const found = async (name: string, body: Buffer): Promise<void> => {
    t.ok(kinds((await inspectBytes(body, {}, XLSX)).findings).includes('personal-data:cn-mobile'), name);
  };
  await found('the format General (no style)', book([s('A1', 2) + '<c r="B1"><v>13812345678</v></c>'], STRINGS, ['"¥"#,##0.00']));
  await found('a format that shows the digits bare (0)', book(statement(), STRINGS, ['0']));
  await found('a format that only groups them (#,##0.00, as a float cell of an .ods is read)', book(statement(), STRINGS, ['#,##0.00']));
  await found('built-in 3 (#,##0)', book(statement(), STRINGS, [3]));
  await found('a condition sends the number to a section that shows it bare', book(statement(), STRINGS, ['[<13000000000]"¥"#,##0.00;0']));
  await found('a locale with no currency ([$-804]0)', book(statement(), STRINGS, ['[$-804]0']));
  await found('a text format with a currency ("¥"@)', book(statement(), STRINGS, ['"¥"@']));
  await found('the same number in an inline string beside', book(statement([s('A4', 4) + inline('B4', '电话 13812345678')]), STRINGS, ['"¥"#,##0.00']));
  // (Rich text runs: only a view that joins them reads the number, as it reads the money cell's.)
  const runs = `<c r="B4" t="inlineStr"><is><r><t>138</t></r><r><rPr><b/></rPr><t>12345678</t></r></is></c>`;
  await found('the same number in an inline string of two runs', book(statement([s('A4', 4) + runs]), STRINGS, ['"¥"#,##0.00']));
  await found('the same number in an inline string of two runs, the styles first', book(statement([s('A4', 4) + runs]), STRINGS, ['"¥"#,##0.00'], 'before'));
  await found('another mobile in a plain number cell', book(statement([s('A4', 4) + '<c r="B4"><v>13998765432</v></c>']), STRINGS, ['"¥"#,##0.00']));
  await found('a workbook with no styles part', book(statement(), STRINGS, ['"¥"#,##0.00'], 'none'));
  await found('a style that the styles do not have', book(statement([], 7), STRINGS, ['"¥"#,##0.00']));
  await found('a text cell (t="str") of a money style', book([s('A1', 2) + '<c r="B1" s="1" t="str"><v>13812345678</v></c>'], STRINGS, ['"¥"#,##0.00']));
  await found('a formula whose cached value is the number', book([s('A1', 2) + '<c r="B1" s="1"><f>A9</f><v>13812345678</v></c>'], STRINGS, ['"¥"#,##0.00']));
});
