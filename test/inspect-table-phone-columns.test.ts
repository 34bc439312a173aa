// review13 (2 Dec, open-probe case 4): a mobile grouped by commas (or in a grouping people seldom write one in)
// in a Markdown table under a column named 手机 crossed: the phone's word was looked for on the number's line only,
// and a Markdown header is no CSV's first line. A CSV's quoted cell `"138,1234,5678"` under its 手机 column
// crossed too. Now a table's header names its columns' cells (marks/pipe-tables.ts): GFM pipe tables (alignment
// colons, escaped pipes, no outer pipes, a title and prose before, rows cut by a chunk's end) and a CSV's or a
// tab-separated table's first line. HTML tables were read already (their cells apart in the markup view).
import t from 'tap';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';

const MOBILE = 'personal-data:cn-mobile';
const md = (rows: string): Buffer => Buffer.from(rows);

t.test('grouped mobiles under a table\'s phone column are found', async (t) => {
  for (const [name, text, filename, declaredType] of [
    ['Markdown, comma groups (probe case 4)', '| 姓名 | 手机 |\n|---|---|\n| 张三 | 138,1234,5678 |\n', 'a.md', 'text/markdown'],
    ['Markdown, alignment colons', '| 姓名 | 手机 |\n|:---|:---:|\n| 张三 | 138,1234,5678 |\n', 'a.md', 'text/markdown'],
    ['Markdown, no outer pipes', '姓名 | 手机\n--- | ---\n张三 | 13,812,345,678\n', 'a.md', 'text/markdown'],
    ['Markdown, an escaped pipe in a cell before', '| 备注 | 姓名 | 手机 |\n| --- | --- | --- |\n| a\\|b | 张三 | 138，1234，5678 |\n', 'a.md', 'text/markdown'],
    ['Markdown, a title and prose before, many rows', `# 通讯录\n\n以下为本组成员。\n\n| 序号 | 姓名 | 联系电话 |\n|---|---|---|\n${Array.from({ length: 40 }, (_, i) => `| ${i + 1} | 成员${i} | 办公室 |\n`).join('')}| 41 | 张三 | 138、1234、5678 |\n`, 'a.md', 'text/markdown'],
    ['Markdown, seldom grouping with slashes', '| name | mobile |\n|---|---|\n| Zhang | 138/1234/5678 |\n', 'a.md', 'text/markdown'],
    ['Markdown, CRLF lines', '| 姓名 | 手机 |\r\n|---|---|\r\n| 张三 | 138, 1234, 5678 |\r\n', 'a.md', 'text/markdown'],
    ['CSV, a quoted comma-grouped cell', '姓名,手机\n张三,"138,1234,5678"\n', 'a.csv', 'text/csv'],
    ['TSV, a comma-grouped cell', '姓名\t手机\n张三\t138,1234,5678\n', 'a.tsv', 'text/tab-separated-values'],
    ['CSV, 4-4-3 with dots', 'name,phone\nzhang,1381.2345.678\n', 'a.csv', 'text/csv'],
    ['HTML table (read before)', '<table><tr><th>姓名</th><th>手机</th></tr><tr><td>张三</td><td>138,1234,5678</td></tr></table>', 'a.html', 'text/html'],
  ] as const) {
    t.ok(kinds((await inspectBytes(md(text), {}, { filename, declaredType })).findings).includes(MOBILE), name);
  }
  // A table cut by chunks' ends (its header in the first chunk, the row in a later one).
  const long = Buffer.from(`| 姓名 | 手机 |\n|---|---|\n${'| 某某 | 无 |\n'.repeat(3000)}| 张三 | 138,1234,5678 |\n`);
  t.ok(kinds((await inspectChunks(chunksOf(long, 4093), {}, { filename: 'a.md', declaredType: 'text/markdown' })).findings).includes(MOBILE), 'a long Markdown table read in chunks');
});

t.test('tables of numbers with no phone column, or a phone\'s sums, stay clean', async (t) => {
  for (const [name, text, filename, declaredType] of [
    ['Markdown amounts', '| 项目 | 金额 |\n|---|---:|\n| 收入 | 13,812,345,678 |\n| 支出 | 15,912,345,678 |\n', 'a.md', 'text/markdown'],
    ['Markdown phone column of extensions and a sum column', '| 部门 | 电话 | 预算 |\n|---|---|---|\n| 办公室 | 8001 | 13,812,345,678 |\n', 'a.md', 'text/markdown'],
    ['Markdown phone sales', '| 品牌 | 手机销量 |\n|---|---|\n| 某牌 | 13,812,345,678 |\n', 'a.md', 'text/markdown'],
    ['Markdown phone fees', '| 月份 | 电话费 |\n|---|---|\n| 1月 | 13,812,345,678 |\n', 'a.md', 'text/markdown'],
    ['a phone column, then prose after the table', '| 姓名 | 手机 |\n|---|---|\n| 张三 | 无 |\n\n全年产量 138,1234,5678 吨。\n', 'a.md', 'text/markdown'],
    ['a phone column, then a second table without one', '| 姓名 | 手机 |\n|---|---|\n| 张三 | 无 |\n\n| 年份 | 产量 |\n|---|---|\n| 2025 | 138,1234,5678 |\n', 'a.md', 'text/markdown'],
    ['pipes in prose, no delimiter row', '手机 | 电话 | 邮箱\n本年产量 | 138,1234,5678 | 吨\n', 'a.txt', 'text/plain'],
    ['CSV of three numbers', 'code,count,total\n138,1234,5678\n', 'a.csv', 'text/csv'],
    ['CSV, a decimal under the phone column', '姓名,手机\n张三,"13,812,345,678.00"\n', 'a.csv', 'text/csv'],
    ['look-alikes 商业秘密 工作秘密 机密性 保密协议 in a table', '| 条款 | 说明 |\n|---|---|\n| 商业秘密 | 工作秘密、机密性、保密协议 |\n', 'a.md', 'text/markdown'],
  ] as const) {
    t.same(kinds((await inspectBytes(md(text), {}, { filename, declaredType })).findings), [], name);
  }
});
