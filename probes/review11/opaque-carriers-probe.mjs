// review11: cipher text carried where a reader vouches for the content and so waives the entropy judgement:
// yEnc header/part/trailer lines (covered, never decoded), the 4 KiB slack beside a yEnc block, and OpenPGP
// packets read as text (signature, user ID) in a message walked whole. Each should be refused uninspectable.
import { randomBytes, createCipheriv } from 'node:crypto';
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
import { yenc } from '../../dist/test/yenc-fixtures.js';
import { packet } from '../../dist/test/openpgp-fixtures.js';
const memo = Buffer.from('关于年度工作的通知\n机密★10年\n请各处室按时报送材料。\n'.repeat(60));
const c = createCipheriv('aes-256-ctr', randomBytes(32), randomBytes(16));
const cipher = Buffer.concat([c.update(memo), c.final()]);
const noNl = (b) => Buffer.from(b.map((x) => (x === 0x0a || x === 0x0d ? 0x0b : x)));
const clean = Buffer.from('关于年度工作的通知\n请各处室按时报送材料。\n');
const cases = {
  'plain cipher text (control)': cipher,
  'yEnc: cipher in =ypart lines': Buffer.concat([Buffer.from('=ybegin part=1 line=128 size=10 name=a.txt\r\n'), ...Array.from({ length: 4 }, (_, k) => Buffer.concat([Buffer.from('=ypart '), noNl(cipher.subarray(k * 1000, k * 1000 + 1000)), Buffer.from('\r\n')])), Buffer.from('=yend size=0\r\n')]),
  'yEnc: cipher in the =yend line': Buffer.concat([yenc(clean, 'a.txt'), Buffer.from('=ybegin line=128 size=1 name=b.txt\r\n=yend '), noNl(cipher.subarray(0, 7000)), Buffer.from('\r\n')]),
  'yEnc: cipher in the =ybegin line': Buffer.concat([Buffer.from('=ybegin '), noNl(cipher.subarray(0, 7000)), Buffer.from(' name=a.txt\r\n'), Buffer.from('=yend size=0\r\n')]),
  'yEnc: 4 KiB cipher before a block': Buffer.concat([cipher.subarray(0, 4000), Buffer.from('\n'), yenc(clean, 'a.txt')]),
  'PGP: cipher as a user ID packet beside a literal': Buffer.concat([packet(11, Buffer.concat([Buffer.from([0x62, 5]), Buffer.from('a.txt'), Buffer.alloc(4), clean])), packet(13, cipher)]),
  'PGP: cipher as a signature packet': Buffer.concat([packet(4, Buffer.from([3, 0, 8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])), packet(11, Buffer.concat([Buffer.from([0x62, 5]), Buffer.from('a.txt'), Buffer.alloc(4), clean])), packet(2, Buffer.concat([Buffer.from([4]), cipher]))]),
  'PGP: cipher as a marker packet': Buffer.concat([packet(10, Buffer.concat([Buffer.from('PGP'), cipher]))]),
};
for (const [name, body] of Object.entries(cases)) {
  const r = await inspectBytes(body, {}, { filename: 'data.bin' });
  console.log(name.padEnd(52), r.sniffedType, JSON.stringify(kinds(r.findings)));
}
