// UTF-8 read as Big5 and saved again in UTF-8 (big5-mojibake-fixtures.ts,
// utf8-as-big5.ts). Each way through is inspected whole and in chunks of 5
// bytes; the look-alikes give no finding; a text made to take the matcher's
// time is cut with an inspection-limit, not left to run.
import t from 'tap';
import { big5MojibakeCleanSamples, big5MojibakeSamples } from './big5-mojibake-fixtures.js';
import { checkSamples, chunked } from './helpers/sample-checks.js';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { readBackBig5 } from '../gateway/inspect/text/utf8-as-big5.js';

await checkSamples(t, big5MojibakeSamples(), big5MojibakeCleanSamples());

t.test('a marking cut by a chunk\'s end at each of its places', async (t) => {
  const asBig5 = (s: string): string => new TextDecoder('big5').decode(Buffer.from(s));
  const filler = Buffer.from(asBig5('本单位的工作总结报告如下，请各部门认真阅读并落实。\n'.repeat(2000)));
  const mark = Buffer.from(asBig5('文件 机密★10年 内容\n'));
  const body = Buffer.concat([filler, mark, filler.subarray(0, 1000)]);
  const cutAt: number[] = [];
  for (let k = 0; k <= mark.length; k++) {
    const cut = filler.length + k;
    const r = await inspectChunks([...chunked(body.subarray(0, cut), 65536), body.subarray(cut)], {}, { filename: 'a.txt', declaredType: 'text/plain' });
    if (!r.findings.some((f) => f.kind === 'classified-marking')) cutAt.push(k);
  }
  t.same(cutAt, [], `${mark.length + 1} places`);
});

t.test('the matcher is bounded: a run made of anchors is cut with a finding', async (t) => {
  const made = '\ufffd撖'.repeat(20000);
  t.equal(readBackBig5(made, true).cut, true, 'cut');
  t.equal(readBackBig5(new TextDecoder('big5').decode(Buffer.from('关于做好年度保密工作的通知。'.repeat(2000))), true).cut, false, 'ordinary mojibake is not');
  const r = await inspectBytes(Buffer.from(made), {}, { filename: 'a.txt', declaredType: 'text/plain' });
  t.ok(kinds(r.findings).some((k) => k.startsWith('inspection-limit')), `inspection-limit (${kinds(r.findings).join(', ')})`);
});
