import t from 'tap';
import { addsDigits, shownNumber, showsOtherDigits } from '../gateway/inspect/documents/sheet-format.js';

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
    ['yyyy-mm-dd', 45000, null],
    ['# ?/?', 1.5, null],
    ['0.00E+00', 12345, null],
  ];
  for (const [code, v, shown] of cases) t.equal(shownNumber(code, v), shown, `${code} ${v}`);
});

t.test('only formats that show other digits than the value are read', async (t) => {
  for (const code of ['"138"00000000', '\\1\\3\\8#', '0%', '#,##0.00', '0']) t.ok(showsOtherDigits(code), code);
  for (const code of ['', 'General', 'yyyy"年"m"月"d"日"', '@', '[$-804]aaaa']) t.notOk(showsOtherDigits(code), code);
});

t.test('formats with digits of their own are told from rounding ones (a dropped number is a limit only through them)', async (t) => {
  for (const code of ['"138"00000000', '\\1\\3\\8#', '0%', '"NO.2024"000']) t.ok(addsDigits(code), code);
  for (const code of ['#,##0.00', '0', 'yyyy-mm-dd', '[Red]#,##0', 'General', '']) t.notOk(addsDigits(code), code);
});
