// review14: mail (.eml) and MHTML as a bureau's clients write and read them: RFC 2231 parameter continuations,
// charsets, transfer encodings decoders are lenient about. Run after npm run build: node probes/review14/mail-probe.mjs
import iconv from '../../node_modules/iconv-lite/lib/index.js';
import { inspectBytes, kinds, residentId } from '../../dist/test/inspect-fixtures.js';
const show = async (name, b, filename = 'm.eml', declaredType = 'message/rfc822') => { const r = await inspectBytes(Buffer.isBuffer(b) ? b : Buffer.from(b), {}, { filename, declaredType }); console.log(name.padEnd(64), (r.sniffedType ?? '-').padEnd(20), JSON.stringify(kinds(r.findings))); return r; };
const pct = (b) => [...b].map((x) => '%' + x.toString(16).toUpperCase().padStart(2, '0')).join('');
const gbk = (s) => iconv.encode(s, 'gb18030');
const mail = (headers, body) => `From: a@example.gov.cn\r\nTo: b@example.gov.cn\r\nSubject: =?GB2312?B?${gbk('年度总结').toString('base64')}?=\r\nDate: Wed, 2 Dec 2026 10:00:00 +0800\r\nMIME-Version: 1.0\r\n${headers}\r\n${body}`;
const multipart = (attHead) => mail('Content-Type: multipart/mixed; boundary="b1"\r\n', `--b1\r\nContent-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: base64\r\n\r\n${gbk('各处室：请查收附件。').toString('base64')}\r\n--b1\r\n${attHead}\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from('hello world '.repeat(8)).toString('base64')}\r\n--b1--\r\n`);
const name = gbk('机密★10年总结.doc');
await show('control: attachment name as one encoded word', multipart(`Content-Type: application/msword; name="=?GB2312?B?${name.toString('base64')}?="\r\nContent-Disposition: attachment\r\n`));
await show('RFC 2231 filename*0*/*1* GBK cut between 机|密', multipart(`Content-Type: application/msword\r\nContent-Disposition: attachment;\r\n filename*0*=GB2312''${pct(name.subarray(0, 2))};\r\n filename*1*=${pct(name.subarray(2))}\r\n`));
const u8 = Buffer.from('机密★10年总结.doc');
await show('RFC 2231 filename*0*/*1* UTF-8 cut inside 密', multipart(`Content-Type: application/msword\r\nContent-Disposition: attachment;\r\n filename*0*=UTF-8''${pct(u8.subarray(0, 4))};\r\n filename*1*=${pct(u8.subarray(4))}\r\n`));
await show('RFC 2231 one piece a character (*0*..*5*)', multipart(`Content-Type: application/msword\r\nContent-Disposition: attachment;\r\n${[...'机密★10年'].map((c, i) => ` filename*${i}*=${i ? '' : "UTF-8''"}${pct(Buffer.from(c))}`).join(';\r\n')}\r\n`));
await show('RFC 2231 plain continuations filename*0="机" filename*1="密★10年"', multipart(`Content-Type: application/msword\r\nContent-Disposition: attachment;\r\n filename*0="机";\r\n filename*1="密★10年.doc"\r\n`));
await show('RFC 2231 in reverse order *1 before *0', multipart(`Content-Type: application/msword\r\nContent-Disposition: attachment;\r\n filename*1*=${pct(name.subarray(2))};\r\n filename*0*=GB2312''${pct(name.subarray(0, 2))}\r\n`));
// Lenient base64 bodies: characters outside the alphabet are skipped by decoders (RFC 2045 6.8).
const memo = gbk('各处室：\r\n文件密级：机密★10年\r\n请按时报送。\r\n');
const b64 = memo.toString('base64');
await show('control: GBK body in base64', mail('Content-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: base64\r\n', b64 + '\r\n'));
await show('base64 body, a "." every 3 characters', mail('Content-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: base64\r\n', b64.replace(/(.{3})/g, '$1.') + '\r\n'));
await show('base64 body, a space every 4 characters', mail('Content-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: base64\r\n', b64.replace(/(.{4})/g, '$1 ') + '\r\n'));
await show('base64 body, a line a 4 characters', mail('Content-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: base64\r\n', b64.replace(/(.{4})/g, '$1\r\n')));
await show('base64 body of UTF-16LE', mail('Content-Type: text/plain; charset=UTF-16LE\r\nContent-Transfer-Encoding: base64\r\n', Buffer.from('文件密级：机密★10年', 'utf16le').toString('base64') + '\r\n'));
await show('base64 body of Big5', mail('Content-Type: text/plain; charset=Big5\r\nContent-Transfer-Encoding: base64\r\n', iconv.encode('文件密級：機密★10年', 'big5').toString('base64') + '\r\n'));
await show('qp body of GBK with soft breaks every byte', mail('Content-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: quoted-printable\r\n', [...memo].map((x) => '=' + x.toString(16).toUpperCase().padStart(2, '0')).join('=\r\n') + '\r\n'));
const hz = (t) => t.replace(/[^\x00-\x7f]+/g, (run) => '~{' + [...gbk(run)].map((x) => String.fromCharCode(x - 0x80)).join('') + '~}');
await show('8bit body charset=hz-gb-2312', mail('Content-Type: text/plain; charset=HZ-GB-2312\r\nContent-Transfer-Encoding: 7bit\r\n', hz('各处室：\r\n文件密级：机密★10年\r\n') + '\r\n'));
await show('HZ with line continuation ~CRLF between 机|密', mail('Content-Type: text/plain; charset=HZ-GB-2312\r\n', hz('文件密级：机') + '~\r\n' + hz('密★10年') + '\r\n'));
await show('HZ, ~{~} empty shifts between 机|密', mail('Content-Type: text/plain; charset=HZ-GB-2312\r\n', hz('文件密级：机') + '~{~}' + hz('密★10年') + '\r\n'));
const longMemo = gbk('各处室：文件密级：机密★10年。请于本月底前报送年度工作总结，并做好材料归档。' + '各单位要认真组织，按时报送。'.repeat(4));
await show('control: long GBK body in base64, 76 a line', mail('Content-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: base64\r\n', longMemo.toString('base64').replace(/(.{76})/g, '$1\r\n') + '\r\n'));
await show('long GBK base64 body, a "." every 3 characters', mail('Content-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: base64\r\n', longMemo.toString('base64').replace(/(.{3})/g, '$1.').replace(/(.{76})/g, '$1\r\n') + '\r\n'));
await show('long GBK base64 body, a line a 8 characters', mail('Content-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: base64\r\n', longMemo.toString('base64').replace(/(.{8})/g, '$1\r\n')));
await show('long GBK base64 body, lines of 76 then one of 3, 76..', mail('Content-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: base64\r\n', (() => { const b = longMemo.toString('base64'); return b.slice(0, 3) + '\r\n' + b.slice(3).replace(/(.{76})/g, '$1\r\n'); })() + '\r\n'));
await show('uuencoded body (x-uuencode)', mail('Content-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: x-uuencode\r\n', (() => { const l = [memo.subarray(0, 45)]; return `begin 644 memo.txt\r\n${l.map((b) => String.fromCharCode(32 + b.length) + [...Array(Math.ceil(b.length / 3))].map((_, i) => { const c = [b[3 * i] ?? 0, b[3 * i + 1] ?? 0, b[3 * i + 2] ?? 0]; return [c[0] >> 2, ((c[0] & 3) << 4) | (c[1] >> 4), ((c[1] & 15) << 2) | (c[2] >> 6), c[2] & 63].map((v) => String.fromCharCode(v ? v + 32 : 96)).join(''); }).join('')).join('\r\n')}\r\n\`\r\nend\r\n`; })()));
// Subject: encoded words of different charsets side by side, and the RFC 2047 rule that white space between words goes.
await show('Subject: =?GB2312?B?机?= =?UTF-8?B?密★10年?=', `Subject: =?GB2312?B?${gbk('机').toString('base64')}?= =?UTF-8?B?${Buffer.from('密★10年').toString('base64')}?=\r\nFrom: a@b\r\n\r\nhi\r\n`);
await show('Subject: Q words with _ and folded line', `Subject: =?UTF-8?Q?${pct(Buffer.from('机')).replace(/%/g, '=')}?=\r\n =?UTF-8?Q?${pct(Buffer.from('密')).replace(/%/g, '=')}=E2=98=85_10=E5=B9=B4?=\r\nFrom: a@b\r\n\r\nhi\r\n`);
await show('encoded word with language tag =?UTF-8*zh?B?', `Subject: =?UTF-8*zh-CN?B?${Buffer.from('机密★10年').toString('base64')}?=\r\nFrom: a@b\r\n\r\nhi\r\n`);
await show('encoded word charset gb18030 lowercase b', `Subject: =?gb18030?b?${gbk('机密★10年').toString('base64')}?=\r\nFrom: a@b\r\n\r\nhi\r\n`);
await show('encoded word cp936 Q with lower hex', `Subject: =?cp936?q?${[...gbk('机密★10年')].map((x) => (x < 128 ? String.fromCharCode(x) : '=' + x.toString(16))).join('')}?=\r\nFrom: a@b\r\n\r\nhi\r\n`);
const id = residentId('440305', '19900307', '457');
await show('RFC 2231 id in filename pieces', multipart(`Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n filename*0*=UTF-8''${id.slice(0, 9)};\r\n filename*1*=${id.slice(9)}.pdf\r\n`));
// MHTML (.mht), as IE and Word save a page: parts with Content-Location.
await show('mht: qp GBK part', `MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart"; type="text/html"\r\n\r\n------=_NextPart\r\nContent-Type: text/html; charset="gb2312"\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: file:///C:/a.htm\r\n\r\n<html><body><p>${[...gbk('文件密级：机密★10年')].map((x, i) => (x < 128 ? String.fromCharCode(x) : '=' + x.toString(16).toUpperCase()) + (i % 7 === 6 ? '=\r\n' : '')).join('')}</p></body></html>\r\n------=_NextPart--\r\n`, 'a.mht', 'multipart/related');
process.exit(0);
