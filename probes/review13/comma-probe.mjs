import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const cases = {
  'csv quoted cell': ['r.csv', 'text/csv', '姓名,手机,备注\n张三,"138,1234,5678",无\n李四,"139,8765,4321",无\n'],
  'fullwidth comma': ['a.txt', 'text/plain', '请联系手机：138，1234，5678 办理。\n'],
  'comma space': ['a.txt', 'text/plain', '请联系手机：138, 1234, 5678 办理。\n'],
  'html td attrs': ['a.html', 'text/html', '<table><tr><td class="label">手机</td><td class="value">138,1234,5678</td></tr></table>'],
  'md table': ['a.md', 'text/markdown', '| 姓名 | 手机 |\n|---|---|\n| 张三 | 138,1234,5678 |\n'],
  'json key': ['a.json', 'application/json', '{"name":"张三","mobile_number":"138,1234,5678"}'],
  'long label': ['a.txt', 'text/plain', '本人手机号码（紧急联系用）：138,1234,5678\n'],
  'ideographic comma': ['a.txt', 'text/plain', '手机：138、1234、5678\n'],
  'plus86': ['a.txt', 'text/plain', '手机：+86 138,1234,5678\n'],
  'wan grouping 4': ['a.txt', 'text/plain', '手机：1,3812,345,678\n'],
  'five groups': ['a.txt', 'text/plain', '手机：1,38,12,345,678\n'],
  'xml': ['a.xml', 'application/xml', '<contact><phone>138,1234,5678</phone></contact>'],
  'xml2': ['a.xml', 'application/xml', '<contact><phone type="mobile" primary="yes">138,1234,5678</phone></contact>'],
  'vcard': ['a.vcf', 'text/vcard', 'BEGIN:VCARD\nVERSION:3.0\nFN:张三\nTEL;TYPE=CELL:138,1234,5678\nEND:VCARD\n'],
  'clean csv row': ['r.csv', 'text/csv', '年份,收入,支出,结余\n2024,138,1234,5678\n'],
};
for (const [name, [fn, type, s]] of Object.entries(cases)) {
  const r = await inspectBytes(Buffer.from(s), {}, { filename: fn, declaredType: type });
  console.log(name.padEnd(20), JSON.stringify(kinds(r.findings)));
}
process.exit(0);
