import t from 'tap';
import { addsDigits, shownNumber, shownText } from '../gateway/inspect/documents/sheet-format.js';

// A number as an Excel number format shows it (sheet-format.ts; seventh red team of 1 Dec, R14).
t.test('number formats show what Excel shows', async (t) => {
  const cases: Array<[string, number, string | null]> = [
    ['"138"00000000', 12345678, '13812345678'],
    ['"138"00000000', 1234, '13800001234'],
    ['\\1\\3\\9-0000-0000', 87654321, '139-8765-4321'],
    ['000-0000-0000', 13812345678, '138-1234-5678'],
    ['#,##0.00', 1234.5, '1,234.50'],
    ['#,##0', 1234567890, '1,234,567,890'],
    ['#,##0.00;[Red]-#,##0.00', -1234.5, '-1,234.50'],
    ['#,##0.00', -1234.5, '-1,234.50'],
    ['0%', 0.5, '50%'],
    ['0.00%', 0.0525, '5.25%'],
    ['0.0#', 2.5, '2.5'],
    ['0,', 1234567, '1235'],
    ['"¥"#,##0;"-¥"#,##0', -5, '-¥5'],
    ['[>0]"186"00000000;General', 11112222, '18611112222'],
    ['"NO."000000', 42, 'NO.000042'],
    ['0', 13812345678.4, '13812345678'],
    ['yyyy-mm-dd', 45000, '2023-03-15'],
    ['yyyy-mm-dd', 60, '1900-02-29'],
    ['yyyy-mm-dd', 61, '1900-03-01'],
    ['yyyy-mm-dd', 1, '1900-01-01'],
    ['yyyy"年"m"月"d"日"', 45440, '2024年5月28日'],
    ['"1381234"mmdd', 45440, '13812340528'],
    ['h:mm AM/PM', 0.75, '6:00 PM'],
    ['hh:mm:ss', 45440.5, '12:00:00'],
    ['ddd, mmm d', 45440, 'Tue, May 28'],
    ['[h]:mm', 1.5, null],
    ['# ?/?', 1.5, null],
    ['0.00E+00', 12345, null],
  ];
  for (const [code, v, shown] of cases) t.equal(shownNumber(code, v), shown, `${code} ${v}`);
});

t.test('formats with digits of their own are told from rounding ones (a dropped number is a limit only through them)', async (t) => {
  for (const code of ['"138"00000000', '\\1\\3\\8#', '0%', '"NO.2024"000']) t.ok(addsDigits(code), code);
  for (const code of ['#,##0.00', '0', 'yyyy-mm-dd', 'yyyy"年"m"月"d"日"', '[Red]#,##0', 'General', '@', '[$-804]aaaa', '']) t.notOk(addsDigits(code), code);
});

t.test('text formats show the text where @ stands', async (t) => {
  t.equal(shownText('"138"@', '12345678'), '13812345678');
  t.equal(shownText('0;-0;0;"186"@', '11112222'), '18611112222');
  t.equal(shownText('\\1\\3\\9@', '87654321'), '13987654321');
  t.equal(shownText('"NO."@', '42'), 'NO.42');
  t.equal(shownText('"138"00000000', '12345678'), null, 'a number format: the text is shown as it is');
  t.equal(shownText('0;-0', '5'), null);
});
