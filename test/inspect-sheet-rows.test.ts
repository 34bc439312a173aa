import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { numberFormatCleanSamples, numberFormatSamples, sheetRowsCleanSamples, sheetRowsSamples } from './sheet-rows-fixtures.js';

// Seventh red team of 1 Dec, R3: an xlsx row's one-digit cells read in column order, as a CSV row's are. The same
// samples go through a gateway in gateway-evasions.test.ts.
t.test('an id one digit a cell in an xlsx is read', (t) => expectFound(t, sheetRowsSamples()));

t.test('sheets of small numbers stay clean', (t) => expectClean(t, sheetRowsCleanSamples()));

// R14: a number shown through a number format with digits of its own (`"138"00000000`), read through xl/styles.xml.
t.test('a mobile shown through a number format is read', (t) => expectFound(t, numberFormatSamples()));

t.test('amounts, dates, serials and landlines through number formats stay clean', (t) => expectClean(t, numberFormatCleanSamples()));

// review10: a shared string is told by its text, not its XML. Each digit of an id in a rich-text run whose run
// properties pass 4 KiB was passed over unread and the boxes crossed (clean before); a string past the 1 MiB an
// element is held to is an inspection limit, not silence (clean before), and a long rich-text paragraph beside
// small numbers stays clean.
t.test('digit boxes as rich-text shared strings are read whatever their run properties', async (t) => {
  const { workbook } = await import('./sheet-rows-fixtures.js');
  const { inspectBytes, kinds } = await import('./inspect-fixtures.js');
  const id = '440305199003074576';
  // Run properties that do not compress past the ratio limit: colours of a walk through the palette.
  let x = 7;
  const colour = (): string => `<color rgb="FF${((x = (x * 1103515245 + 12345) % 2 ** 31) % 0xffffff).toString(16).padStart(6, '0')}"/>`;
  const rich = (text: string, props: number): string => `</t><r><rPr>${Array.from({ length: props }, colour).join('')}<sz val="11"/></rPr><t>${text}</t></r><t>`;
  const row = `<c r="A1" t="s"><v>0</v></c>${[...id].map((c, i) => `<c r="${String.fromCharCode(66 + i)}1" t="s"><v>${1 + Number(c)}</v></c>`).join('')}`;
  const digits = (props: number): string[] => [...'0123456789'].map((d) => rich(d, props));
  const padded = await inspectBytes(workbook([row], ['身份证号码', ...digits(200)]), {}, { filename: '申请表.xlsx' });
  t.same(kinds(padded.findings), ['personal-data:cn-resident-id'], 'each digit behind 4.6 KB of run properties');
  const huge = await inspectBytes(workbook([row], ['身份证号码', rich('0', 55_000), ...digits(1).slice(1)]), {}, { filename: '申请表.xlsx' });
  t.ok(kinds(huge.findings).includes('inspection-limit:workbook-cells'), `a digit behind 1.2 MB of run properties: ${kinds(huge.findings).join(', ')}`);
  const para = rich(`${'本季度工作总结：各部门按时报送材料，商业秘密与工作秘密按保密协议管理，机密性要求不变。'.repeat(40)}`, 600);
  const clean = await inspectBytes(workbook(['<c r="A1" t="s"><v>0</v></c><c r="B1"><v>3</v></c><c r="C1"><v>7</v></c><c r="D1"><v>12</v></c>'], [para]), {}, { filename: '总结.xlsx' });
  t.same(kinds(clean.findings), [], 'a long rich-text paragraph beside small numbers');
});
