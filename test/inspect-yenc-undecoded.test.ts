// review11: yEnc blocks vouched for their content (no entropy judgement) when they covered it but 4 KiB, and a line
// that only started as a header (`=ybegin `, `=ypart `, `=yend `) was covered and never decoded: cipher text of any
// length crossed in such lines, or in the 4 KiB beside a block. Header lines must now be headers, and what is not
// decoded (lines outside blocks, header lines) must not be cipher text for the blocks to vouch for the content.
import { createCipheriv } from 'node:crypto';
import t from 'tap';
import { expectClean } from './sample-checks.js';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { yenc } from './yenc-fixtures.js';
import { seededRandom } from '../bench/seeded-random.js';
import type { Sample } from './evasion-fixtures.js';

const rnd = seededRandom(20261202);
const key = Buffer.from(Array.from({ length: 32 }, () => Math.floor(rnd() * 256)));
const c = createCipheriv('aes-256-ctr', key, Buffer.alloc(16, 7));
const CIPHER = Buffer.concat([c.update(Buffer.from('关于年度工作的通知\n机密★10年\n请各处室按时报送材料。\n'.repeat(60))), c.final()]);
/** No line break in it (a header line ends at one). */
const oneLine = (b: Buffer): Buffer => Buffer.from(b.map((x) => (x === 0x0a || x === 0x0d ? 0x0b : x)));
const NOTICE = Buffer.from('关于年度工作的通知\n请各处室按时报送材料。\n');

t.test('cipher text in what a yEnc reading does not decode is uninspectable', async (t) => {
  const cases: Array<[string, Buffer]> = [
    ['in =ypart lines', Buffer.concat([Buffer.from('=ybegin part=1 line=128 size=10 name=a.txt\r\n'), ...[0, 1, 2, 3].map((k) => Buffer.concat([Buffer.from('=ypart '), oneLine(CIPHER.subarray(k * 1000, k * 1000 + 1000)), Buffer.from('\r\n')])), Buffer.from('=yend size=0\r\n')])],
    ['in an =yend line', Buffer.concat([yenc(NOTICE, 'a.txt'), Buffer.from('=ybegin line=128 size=1 name=b.txt\r\n=yend '), oneLine(CIPHER.subarray(0, 7000)), Buffer.from('\r\n')])],
    ['in an =ybegin line', Buffer.concat([Buffer.from('=ybegin '), oneLine(CIPHER.subarray(0, 7000)), Buffer.from(' name=a.txt\r\n=yend size=0\r\n')])],
    ['4,000 bytes before a block', Buffer.concat([CIPHER.subarray(0, 4000), Buffer.from('\n'), yenc(NOTICE, 'a.txt')])],
    ['1,000 bytes after a block', Buffer.concat([yenc(NOTICE, 'a.txt'), CIPHER.subarray(0, 1000)])],
  ];
  for (const [name, body] of cases) {
    const r = await inspectBytes(body, {}, { filename: 'post.yenc' });
    t.ok(kinds(r.findings).includes('uninspectable:application/octet-stream'), `${name}: ${JSON.stringify(kinds(r.findings))}`);
  }
});

t.test('ordinary yEnc posts with their headers stay clean', async (t) => {
  const s = (name: string, body: Buffer): Sample => ({ name, filename: 'post.yenc', type: 'application/octet-stream', body, expect: '' });
  const data = Buffer.from(Array.from({ length: 400 }, (_, i) => `${i},办公用品,${(i * 37) % 100}\n`).join('')).subarray(0, 6000);
  const crc = (b: Buffer): string => (Buffer.from(b).readUInt32BE(0) >>> 0).toString(16);
  await expectClean(t, [
    s('an article in Chinese, its headers before the block', Buffer.concat([Buffer.from('From: 张三 <a@example.com>\r\nNewsgroups: alt.binaries.test\r\nSubject: 年度工作通知 (1/1) "notice.txt" yEnc\r\nDate: Wed, 02 Dec 2026 08:00:00 +0800\r\n\r\n'), yenc(NOTICE, '年度工作通知.txt'), Buffer.from('\r\n-- \r\n张三\r\n')])),
    s('two parts with =ypart and crc32 trailers', Buffer.concat([
      Buffer.from(`=ybegin part=1 total=2 line=128 size=${data.length} name=table.csv\r\n=ypart begin=1 end=3000\r\n`), yenc(data.subarray(0, 3000), 'x').subarray(yenc(data.subarray(0, 3000), 'x').indexOf('\n') + 1, -Buffer.byteLength(`=yend size=3000\r\n`)), Buffer.from(`=yend size=3000 part=1 pcrc32=${crc(data)}\r\n`),
      Buffer.from(`=ybegin part=2 total=2 line=128 size=${data.length} name=table.csv\r\n=ypart begin=3001 end=6000\r\n`), yenc(data.subarray(3000), 'x').subarray(yenc(data.subarray(3000), 'x').indexOf('\n') + 1, -Buffer.byteLength(`=yend size=3000\r\n`)), Buffer.from(`=yend size=3000 part=2 pcrc32=${crc(data.subarray(3000))} crc32=${crc(data)}\r\n`),
    ])),
  ]);
});
