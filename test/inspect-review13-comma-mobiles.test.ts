// review13 (2 Dec): comma-grouped mobiles (marks/digit-forms.ts commaMobile, 8a21542) were read only with an ASCII
// comma right after each group and a phone's word in the 12 characters before. A full-width comma (，), the
// enumeration comma (、), a comma and a space, a JSON key `mobile_number` and an XML element with attributes
// (the word 16 and 22 characters before) crossed. The phone's word is now looked for up to 40 characters back
// within the line and the sentence; inspect-comma-mobiles' clean cases (a phone named in an earlier sentence) stay clean.
// probes/review13/comma-probe.mjs.
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';

t.test('comma-grouped mobiles in other commas and further from their name are found', async (t) => {
  for (const [text, filename] of [
    ['请联系手机：138，1234，5678 办理。\n', 'a.txt'],
    ['手机：138、1234、5678\n', 'a.txt'],
    ['请联系手机：138, 1234, 5678 办理。\n', 'a.txt'],
    ['电话 13，812，345，678\n', 'a.txt'],
    ['{"name":"张三","mobile_number":"138,1234,5678"}', 'a.json'],
    ['<contact><phone type="mobile" primary="yes">138,1234,5678</phone></contact>', 'a.xml'],
    ['本人手机号码（紧急联系用，请勿外传）：138,1234,5678\n', 'a.txt'],
  ] as const) {
    t.ok(kinds((await inspectBytes(text, {}, { filename })).findings).includes('personal-data:cn-mobile'), text.trim());
  }
});

t.test('numbers in those commas with no phone of theirs stay clean', async (t) => {
  for (const [name, text] of [
    ['a phone in an earlier sentence, full-width commas', '联系电话见附件。本年度产量分别为 138，1234，5678 吨\n'],
    ['a phone on an earlier line', '联系人：张三\n本年度产量分别为 138, 1234, 5678 吨\n'],
    ['an amount in full-width commas with its unit', '电话费合计 13，812，345，678元\n'],
    ['segments of mobile numbers', '手机号段：134、135、136、137、138\n'],
    ['a list of days', '电话会议于3、5、12、18日召开。\n'],
    ['an amount with cents in full-width commas', '联系 金额 13，812，345，678.50\n'],
  ] as const) {
    t.same(kinds((await inspectBytes(text, {}, { filename: 'a.txt' })).findings), [], name);
  }
});
