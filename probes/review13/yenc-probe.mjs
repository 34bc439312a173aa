import { inspectBytes, kinds, residentId } from '../../dist/test/inspect-fixtures.js';
function lines(data, line = 128) { const out = []; let col = 0; for (const b of data) { const e = (b + 42) & 0xff; if (e === 0 || e === 10 || e === 13 || e === 0x3d || (col === 0 && (e === 0x2e || e === 9 || e === 0x20))) { out.push(0x3d, (e + 64) & 0xff); col += 2; } else { out.push(e); col++; } if (col >= line) { out.push(13, 10); col = 0; } } if (col) out.push(13, 10); return Buffer.from(out); }
const MEMO = Buffer.from('关于年度工作的通知\n请各处室按时报送材料。\n' + '各单位要认真组织。\n'.repeat(20) + '文件密级：机密★10年\n' + '各单位要认真组织。\n'.repeat(20));
const at = MEMO.indexOf(Buffer.from('机密')) + 4;
const part = (k, a, b, hdr = (k, a, b) => `=ybegin part=${k} total=2 line=128 size=${MEMO.length} name=memo.txt\r\n=ypart begin=${a + 1} end=${b}\r\n`) => Buffer.concat([Buffer.from(hdr(k, a, b)), lines(MEMO.subarray(a, b)), Buffer.from(`=yend size=${b - a} part=${k}\r\n`)]);
const cases = {
  'parts split in marking': Buffer.concat([part(1, 0, at), part(2, at, MEMO.length)]),
  'parts reversed order': Buffer.concat([part(2, at, MEMO.length), part(1, 0, at)]),
  'no name=': Buffer.concat([Buffer.from(`=ybegin line=128 size=${MEMO.length}\r\n`), lines(MEMO), Buffer.from(`=yend size=${MEMO.length}\r\n`)]),
  'name first': Buffer.concat([Buffer.from(`=ybegin name=memo.txt line=128 size=${MEMO.length}\r\n`), lines(MEMO), Buffer.from(`=yend size=${MEMO.length}\r\n`)]),
  'tab sep': Buffer.concat([Buffer.from(`=ybegin\tline=128 size=${MEMO.length} name=memo.txt\r\n`), lines(MEMO), Buffer.from(`=yend size=${MEMO.length}\r\n`)]),
  'LF only, CR in data': Buffer.concat([Buffer.from(`=ybegin line=128 size=${MEMO.length} name=memo.txt\n`), Buffer.from(lines(MEMO).toString('latin1').replace(/\r\n/g, '\n'), 'latin1'), Buffer.from(`=yend size=${MEMO.length}\n`)]),
  'lines 997': Buffer.concat([Buffer.from(`=ybegin line=997 size=${MEMO.length} name=memo.txt\r\n`), lines(MEMO, 997), Buffer.from(`=yend size=${MEMO.length}\r\n`)]),
  'long line no breaks': Buffer.concat([Buffer.from(`=ybegin line=128 size=${MEMO.length} name=memo.txt\r\n`), lines(MEMO, 1e9), Buffer.from(`=yend size=${MEMO.length}\r\n`)]),
  'CR inserted mid data': Buffer.concat([Buffer.from(`=ybegin line=128 size=${MEMO.length} name=memo.txt\r\n`), Buffer.from(lines(MEMO).toString('latin1').replace(/(.{7})/g, '$1\r'), 'latin1'), Buffer.from(`=yend size=${MEMO.length}\r\n`)]),
  'ybegin2 extra space name': Buffer.concat([Buffer.from(`=ybegin  line=128  size=${MEMO.length}  name=memo.txt\r\n`), lines(MEMO), Buffer.from(`=yend size=${MEMO.length}\r\n`)]),
  'single': Buffer.concat([Buffer.from(`=ybegin line=128 size=${MEMO.length} name=memo.txt\r\n`), lines(MEMO), Buffer.from(`=yend size=${MEMO.length}\r\n`)]),
};
for (const [name, b] of Object.entries(cases)) {
  const r = await inspectBytes(b, {}, { filename: 'post.yenc', declaredType: 'application/octet-stream' });
  console.log(name.padEnd(28), r.sniffedType, JSON.stringify(kinds(r.findings)));
}
process.exit(0);
