// A mobile number grouped by commas as an amount is, under a phone's word (review11/review12, 2 Dec): the dash,
// dot and space forms were read, `电话 138,1234,5678` and `手机：13,812,345,678` crossed. A CSV row of three
// numbers has the same shape, and an amount its thousands: read only where a phone is named just before, and
// not with a decimal part or a sum's unit after (marks/digit-forms.ts commaMobile).
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';

t.test('comma-grouped mobiles under a phone\'s word are found', async (t) => {
  for (const text of [
    '联系电话 138,1234,5678\n',
    '手机：138,1234,5678\n',
    '电话 13,812,345,678\n',
    '电话：1,381,234,5678\n',
    'Tel: 139,9876,5432\n',
    'mobile 150,1111,2222 (office)\n',
    '姓名：张三，手机 186,1111,2222，住址：某市\n',
  ]) {
    t.ok(kinds((await inspectBytes(text, {}, { filename: 'a.txt' })).findings).includes('personal-data:cn-mobile'), text.trim());
  }
  // In a document's paragraph too (one view down from the text the parser reads).
  const csv = '序号,内容\n1,"请联系电话 138,1234,5678 办理"\n';
  t.ok(kinds((await inspectBytes(csv, {}, { filename: 'a.csv', declaredType: 'text/csv' })).findings).includes('personal-data:cn-mobile'), 'in a quoted CSV cell');
});

t.test('rows of numbers and amounts stay clean', async (t) => {
  for (const [name, text, filename] of [
    ['a CSV row of three numbers', 'code,count,total\n138,1234,5678\n139,9876,5432\n', 'a.csv'],
    ['an amount with cents', '金额 13,812,345,678.00\n', 'a.txt'],
    ['dollars', 'Revenue: $13,812,345,678.00 in 2026\n', 'a.txt'],
    ['a sum of phone fees', '电话费合计 13,812,345,678元\n', 'a.txt'],
    ['no phone named', '数量 138,1234,5678\n', 'a.txt'],
    ['a phone named far before', '联系电话见附件。本年度产量分别为 138,1234,5678 吨\n', 'a.txt'],
  ] as const) {
    t.same(kinds((await inspectBytes(text, {}, { filename })).findings), [], name);
  }
});
