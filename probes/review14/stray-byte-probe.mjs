// review14: a short token whose decoding is text but for one stray byte (a lead byte at its end, a 0xFF in it): a
// decoder shows the text with one replacement character; the token reading wants all of it to be text.
// Run after npm run build: node probes/review14/stray-byte-probe.mjs
import iconv from '../../node_modules/iconv-lite/lib/index.js';
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const show = async (name, s) => { const r = await inspectBytes(Buffer.from(s), {}, { filename: 'a.txt', declaredType: 'text/plain' }); console.log(name.padEnd(56), JSON.stringify(kinds(r.findings))); };
const u8 = Buffer.from('文件密级：机密★10年');
const gb = iconv.encode('文件密级：机密★10年', 'gb18030');
for (const [n, b] of [['utf8', u8], ['gbk', gb]]) {
  for (const [what, x] of [['control', b], ['+ 0xFF at the end', Buffer.concat([b, Buffer.from([0xff])])], ['+ a lead byte at the end', Buffer.concat([b, Buffer.from([n === 'utf8' ? 0xe6 : 0x81])])], ['0xFF first', Buffer.concat([Buffer.from([0xff]), b])], ['+ NUL at the end', Buffer.concat([b, Buffer.from([0])])], ['+ BEL at the end', Buffer.concat([b, Buffer.from([7])])]]) {
    await show(`${n} base64 ${what}`, `id: ${x.toString('base64')}\n`);
    await show(`${n} hex ${what}`, `id: ${x.toString('hex')}\n`);
  }
}
process.exit(0);
