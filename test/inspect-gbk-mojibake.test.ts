// Third red team of 30 November: UTF-8 read as GBK and saved again, in UTF-8
// or in GBK (gbk-mojibake-fixtures.ts, utf8-as-gbk.ts). Each way through is
// inspected whole and in chunks of 5 bytes (the witness and the characters
// it is confirmed by cut across chunks); the look-alikes give no finding.
import iconv from 'iconv-lite';
import t from 'tap';
import { gbkMojibakeCleanSamples, gbkMojibakeSamples } from './gbk-mojibake-fixtures.js';
import { checkSamples, chunked } from './helpers/sample-checks.js';
import { inspectBytes, inspectChunks } from './inspect-fixtures.js';

await checkSamples(t, gbkMojibakeSamples(), gbkMojibakeCleanSamples());

t.test('every marking form, whatever stands around it, and cut across a chunk at every byte', async (t) => {
  const asGbk = (s: string): string => new TextDecoder('gbk').decode(Buffer.from(s));
  // Where the star or the bracket is the last character before ASCII or the end, its last byte is dropped
  // one time in two; ： and ］ share their first two bytes.
  const marks = ['机密★', '绝密★长期', '秘密★1年', '密级：机密', '密级 绝密', '【秘密】', '〔机密〕', '［绝密］'];
  const around: Array<[string, string]> = [['', ''], ['a', '\n'], ['文', ' x'], ['文件：', '10'], ['（一）', '，内容']];
  const missed: string[] = [];
  for (const m of marks) {
    for (const [before, after] of around) {
      const moji = asGbk(before + m + after);
      for (const [how, body] of [['UTF-8', Buffer.from(moji)], ['GBK', iconv.encode(moji, 'gbk')]] as const) {
        const r = await inspectBytes(body, {}, { filename: 'a.txt', declaredType: 'text/plain' });
        if (!r.findings.some((f) => f.kind === 'classified-marking')) missed.push(`${how} ${before}${m}${after}`);
      }
    }
  }
  t.same(missed, [], `${marks.length * around.length * 2} texts read as GBK`);
  const filler = asGbk('本单位的工作总结报告如下，请各部门认真阅读并落实。\n'.repeat(3000));
  const mark = Buffer.from(asGbk('文件 机密★10年 内容\n'));
  const head = Buffer.from(filler);
  const body = Buffer.concat([head, mark, head.subarray(0, 1000)]);
  const cutAt: number[] = [];
  for (let k = 0; k <= mark.length; k++) {
    const cut = head.length + k;
    const pieces = [...chunked(body.subarray(0, cut), 65536), body.subarray(cut)];
    const r = await inspectChunks(pieces, {}, { filename: 'a.txt', declaredType: 'text/plain' });
    if (!r.findings.some((f) => f.kind === 'classified-marking')) cutAt.push(k);
  }
  t.same(cutAt, [], `the marking cut by a chunk's end at each of its ${mark.length + 1} places`);
});
