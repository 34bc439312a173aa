// review11: the bare level line at a text's top pushed past TOP_REACH by blank lines / spaces, or behind a BOM
// and zero-width characters; and data after a -wal's last whole frame (msgpack mobiles, which the binary-integer
// reading would find in any other binary; it is off for SQLite content).
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
import { walFile } from '../../dist/test/sqlite-wal-fixtures.js';
const PROSE = '关于做好年度工作总结的通知\n各处室：\n请于本月底前报送年度工作总结，并做好材料归档。\n';
const tops = {
  'control: 绝密 first line': `绝密\n${PROSE}`,
  '300 newlines then 绝密': `${'\n'.repeat(300)}绝密\n${PROSE}`,
  '300 spaces then 绝密': `${' '.repeat(300)}绝密\n${PROSE}`,
  '130 CRLF then 绝密': `${'\r\n'.repeat(130)}绝密\r\n${PROSE}`,
  '100 ideographic spaces+nl then 绝密': `${'\u3000\n'.repeat(100)}绝密\n${PROSE}`,
  'zero-width chars x300 then 绝密': `${'\u200b'.repeat(300)}\n绝密\n${PROSE}`,
  'form feed then 绝密': `\f绝密\n${PROSE}`,
  'tab after 绝密': `绝密\t\n${PROSE}`,
};
for (const [n, t] of Object.entries(tops)) {
  const r = await inspectBytes(Buffer.from(t), {}, { filename: 'memo.txt', declaredType: 'text/plain' });
  console.log(n.padEnd(40), JSON.stringify(kinds(r.findings)));
}
const be64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(v)); return b; };
const mp = Buffer.concat([Buffer.from([0x93]), ...[13812345678, 13998765432, 15011112222].map((m) => Buffer.concat([Buffer.from([0xcf]), be64(m)]))]);
const wal = walFile('CREATE TABLE t (a TEXT)', 't', [['hello']]);
for (const [n, b] of Object.entries({ 'control: msgpack alone': mp, 'wal + msgpack after its frames': Buffer.concat([wal, mp]), 'wal header + msgpack': Buffer.concat([wal.subarray(0, 32), mp]) })) {
  const r = await inspectBytes(b, {}, { filename: 'app.db-wal' });
  console.log(n.padEnd(40), JSON.stringify(kinds(r.findings)));
}
// A main database's header (a page of 4096, one page) before the same msgpack: the same class (left open by review11).
const db = Buffer.alloc(4096); db.write('SQLite format 3\0', 0, 'latin1'); db.writeUInt16BE(4096, 16); db[18] = 1; db[19] = 1; db[21] = 64; db[22] = 32; db[23] = 32; db.writeUInt32BE(1, 28); db[100] = 0x0d;
const r = await inspectBytes(Buffer.concat([db, mp]), {}, { filename: 'app.db' });
console.log('sqlite db page + msgpack after it'.padEnd(40), JSON.stringify(kinds(r.findings)));
