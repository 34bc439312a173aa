// review13: ways through and false refusals left open (each printed with what the inspection gave). Run after
// npm run build: node probes/review13/open-probe.mjs. LaTeX cases: probes/review13/latex-probe.mjs (ways11 owns it).
import zlib from 'node:zlib';
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
import { page, plainResponse, segmented, warcinfo, record } from '../../dist/test/review13-fixtures.js';

const show = async (name, b, filename, declaredType) => console.log(name.padEnd(64), JSON.stringify(kinds((await inspectBytes(b, {}, { filename, declaredType })).findings)));

// 1. WARC: a record between a segmented response's first segment and its continuation (ISO 28500 allows it):
//    each segment read apart, a marking cut between them crosses.
{
  const { http, mid } = plainResponse(page('<p>密级：机密★10年</p>'));
  const w = segmented(http, [mid]);
  const cut = w.indexOf('WARC-Type: continuation') - 'WARC/1.0\r\n'.length;
  await show('WARC segments with a record between (crosses)', Buffer.concat([w.subarray(0, cut), warcinfo, w.subarray(cut)]), 'c.warc', 'application/warc');
}
// 2. (closed in review13: a de-chunked body under Transfer-Encoding: chunked is read as it is.)
// 3. yEnc: parts in the file out of order (part 2 before part 1), a marking cut between them.
{
  const lines = (data) => { const out = []; let col = 0; for (const b of data) { const e = (b + 42) & 0xff; if (e === 0 || e === 10 || e === 13 || e === 0x3d || (col === 0 && (e === 0x2e || e === 9 || e === 0x20))) { out.push(0x3d, (e + 64) & 0xff); col += 2; } else { out.push(e); col++; } if (col >= 128) { out.push(13, 10); col = 0; } } if (col) out.push(13, 10); return Buffer.from(out); };
  const memo = Buffer.from('关于年度工作的通知\n' + '各单位要认真组织，按时报送。\n'.repeat(20) + '文件密级：机密★10年\n' + '各单位要认真组织。\n'.repeat(20));
  const at = memo.indexOf(Buffer.from('机密')) + 4;
  const part = (k, a, b) => Buffer.concat([Buffer.from(`=ybegin part=${k} total=2 line=128 size=${memo.length} name=memo.txt\r\n=ypart begin=${a + 1} end=${b}\r\n`), lines(memo.subarray(a, b)), Buffer.from(`=yend size=${b - a} part=${k}\r\n`)]);
  await show('yEnc parts out of order, cut inside the marking (crosses)', Buffer.concat([part(2, at, memo.length), part(1, 0, at)]), 'post.yenc', 'application/octet-stream');
}
// 4. (closed 2 Dec: a table's header names its columns' cells, marks/pipe-tables.ts; shown refused.)
await show('comma mobile in a Markdown table column (closed: refused)', Buffer.from('| 姓名 | 手机 |\n|---|---|\n| 张三 | 138,1234,5678 |\n'), 'a.md', 'text/markdown');
process.exit(0);
