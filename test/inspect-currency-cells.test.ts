// Ninth red team F9: US dollar amounts read as mobiles. A LibreOffice sheet's currency cell writes its number in
// `office:value` beside `office:value-type="currency"` and shows `$13,812,345,678.00`: it was refused
// personal-data:cn-mobile (the value in the content, and in the tag's line and the joined attribute values of the
// side view, `currencyUSD13812345678`). A currency cell's value and a number after an ISO currency code are
// amounts (amount-context.ts); a phone book's number cells, a currency cell showing bare digits, and a phone's
// word before a currency are still read.
import t from 'tap';
import { inspectBytes, kinds, zip } from './inspect-fixtures.js';

const ODS = 'application/vnd.oasis.opendocument.spreadsheet';
const sheet = (cells: string[][]): Buffer =>
  zip([
    { name: 'mimetype', data: Buffer.from(ODS), method: 0 },
    {
      name: 'content.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"><office:body><office:spreadsheet><table:table table:name="决算">${cells.map((r) => `<table:table-row>${r.join('')}</table:table-row>`).join('')}</table:table></office:spreadsheet></office:body></office:document-content>`,
      ),
    },
  ]);
const text = (s: string): string => `<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>${s}</text:p></table:table-cell>`;
const currency = (code: string, value: string, shown: string): string =>
  `<table:table-cell table:style-name="ce1" office:value-type="currency" office:currency="${code}" office:value="${value}" calcext:value-type="currency"><text:p>${shown}</text:p></table:table-cell>`;
const float = (value: string, shown: string): string => `<table:table-cell office:value-type="float" office:value="${value}" calcext:value-type="float"><text:p>${shown}</text:p></table:table-cell>`;
const OPTS = { filename: '决算.ods', declaredType: ODS };

t.test('currency cells and amounts after a currency code are clean', async (t) => {
  const rows = [
    [text('项目'), text('金额')],
    [text('Revenue'), currency('USD', '13812345678', '$13,812,345,678.00')],
    [text('Net'), currency('USD', '13998765432.5', '$13,998,765,432.50')],
    [text('收入'), currency('CNY', '15012348765', '¥15,012,348,765.00')],
    [text('Export'), currency('EUR', '18611112222', '18.611.112.222,00 €')],
  ];
  t.same(kinds((await inspectBytes(sheet(rows), {}, OPTS)).findings), [], 'an .ods of currency cells in USD, CNY and EUR');
  for (const line of ['Revenue: USD 13812345678\n', 'Total EUR 13998765432.10\n', 'HKD13812345678\n']) {
    t.same(kinds((await inspectBytes(line, {}, { filename: 'r.txt', declaredType: 'text/plain' })).findings), [], JSON.stringify(line));
  }
});

t.test('phone numbers beside them are still read', async (t) => {
  const evasions: Array<[string, Buffer]> = [
    ['a float cell (a phone book typed in Calc)', sheet([[text('姓名'), text('手机')], [text('张三'), float('13812345678', '13812345678')]])],
    ['a currency cell that shows the bare digits', sheet([[text('张三'), currency('USD', '13812345678', '13812345678')]])],
    ['a currency cell beside a text cell of a mobile', sheet([[text('电话 13998765432'), currency('USD', '13812345678', '$13,812,345,678.00')]])],
  ];
  for (const [name, body] of evasions) t.ok(kinds((await inspectBytes(body, {}, OPTS)).findings).includes('personal-data:cn-mobile'), name);
  for (const line of ['电话 13812345678\n', '电话 USD 13812345678\n', 'amateur 13812345678\n', 'usd13812345678\n']) {
    t.ok(kinds((await inspectBytes(line, {}, { filename: 'r.txt', declaredType: 'text/plain' })).findings).includes('personal-data:cn-mobile'), JSON.stringify(line));
  }
});
