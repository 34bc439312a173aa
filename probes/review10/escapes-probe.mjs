// review10: twists on the escapes of 1f6d52b (references without ';', lower-case QP, rsyslog #ooo).
import iconv from '../../node_modules/iconv-lite/lib/index.js';
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const MARK = '机密★10年';
const u8 = Buffer.from(MARK);
const gbk = iconv.encode('机密★10年', 'gb18030');
const qp = (b, f = (x) => x.toString(16)) => [...b].map((x) => '=' + f(x).padStart(2, '0')).join('');
const oct = (b) => [...b].map((x) => '#' + x.toString(8)).join('');
const cases = {
  'dec no ;': [...MARK].map((c) => `&#${c.codePointAt(0)}`).join(''),
  'dec no ; leading zeros': [...MARK].map((c) => `&#000${c.codePointAt(0)}`).join(' '),
  'hex no ; upper X': [...MARK].map((c) => `&#X${c.codePointAt(0).toString(16)}`).join(''),
  'hex no ; then digits': '&#x673a&#x5bc6&#x2605' + '10年',
  'qp lower': qp(u8),
  'qp lower soft breaks': qp(u8.subarray(0, 4)) + '=\n' + qp(u8.subarray(4)),
  'qp lower soft CRLF mid': qp(u8.subarray(0, 2)) + '=\r\n' + qp(u8.subarray(2)),
  'qp lower gbk': qp(gbk) ,
  'qp lower 机密 only gbk': qp(iconv.encode('机密', 'gb18030')),
  'qp lower 机 then text 密': qp(Buffer.from('机')) + '密★10年',
  'rsyslog octal': oct(u8),
  'rsyslog octal gbk': oct(gbk),
  'rsyslog octal 3-digit leading 0': [...u8].map((x) => '#' + x.toString(8).padStart(3, '0')).join(''),
  'qp upper-lower mix with spaces': qp(u8).replace(/=/g, ' ='),
  'percent lower': [...u8].map((x) => '%' + x.toString(16)).join(''),
  'backslash x lower': [...u8].map((x) => '\\x' + x.toString(16)).join(''),
  'backslash octal': [...u8].map((x) => '\\' + x.toString(8)).join(''),
};
for (const [name, s] of Object.entries(cases)) {
  const r = await inspectBytes(Buffer.from(`log line: ${s}\n`), {}, { filename: 'app.log' });
  console.log(name.padEnd(32), JSON.stringify(kinds(r.findings)), s.slice(0, 60));
}
