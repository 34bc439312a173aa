// Escapes the views did not read (eighth red team of 1 Dec, W5, W7, W8, W10): HTML numeric references without
// their ';' (an encoder that left ASCII as it was ran ★ and the 10 after it into one number), quoted-printable
// in lower case (Outlook, Thunderbird and Python decode it), rsyslog's #ooo octal escapes of 8-bit bytes, and a
// mobile spelt half in Chinese numerals and half in digits (call transcripts, 笔录). Beside them the clean
// look-alikes: source code and URLs with `a=ef`, `#345` colours and issue numbers, HTML with `&` and references
// that read as text, mail, logs, Chinese prose with dates and amounts written both ways.
import type { Sample } from './evasion-fixtures.js';
import { ID } from './evasion-fixtures.js';
import iconv from 'iconv-lite';

const MARK = '机密★10年';
/** Every character past ASCII as a numeric reference without ';' (hex when asked), ASCII as it is. */
const ncr = (s: string, hex = false): string => [...s].map((c) => (c.codePointAt(0)! > 127 ? `&#${hex ? 'x' + c.codePointAt(0)!.toString(16) : c.codePointAt(0)}` : c)).join('');
/** Quoted-printable of UTF-8 (or the given bytes) in lower case. */
const qpLower = (b: Buffer): string => [...b].map((x) => (x >= 128 || x === 61 ? '=' + x.toString(16).padStart(2, '0') : String.fromCharCode(x))).join('');
/** rsyslog's Escape8BitCharactersOnReceive: each byte of 0x80 or over as '#' and three octal digits. */
const hashOctal = (b: Buffer): string => [...b].map((x) => (x >= 0x80 ? '#' + x.toString(8).padStart(3, '0') : String.fromCharCode(x))).join('');
const gbk = (t: string): Buffer => iconv.encode(t, 'gbk');
const mail = (body: string): string => `From: a@b.cn\r\nTo: c@d.cn\r\nSubject: notice\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${body}\r\n`;
const html = (body: string): string => `<!DOCTYPE html><html><head><meta charset="us-ascii"></head><body><p>${body}</p></body></html>`;
const s = (name: string, filename: string, type: string, body: string | Buffer, expect: string): Sample => ({ name, filename, type, body: Buffer.isBuffer(body) ? body : Buffer.from(body), expect });

export function escapeRunSamples(): Sample[] {
  return [
    s('W7: decimal references without ; (&#9733 and 10 run together)', 'notice.html', 'text/html', html(ncr(MARK)), 'classified-marking'),
    s('W7: hex references without ; (&#x2605 and 10 run together)', 'notice.html', 'text/html', html(ncr(MARK, true)), 'classified-marking'),
    s('W7: an id after references without ;', 'list.html', 'text/html', html(`${ncr('身份证号')}${ID}`), 'personal-data'),
    s('W8: quoted-printable in lower case', 'notice.eml', 'message/rfc822', mail(qpLower(Buffer.from(MARK))), 'classified-marking'),
    s('W8: quoted-printable in mixed case (=E6=9c=Ba)', 'notice.eml', 'message/rfc822', mail(qpLower(Buffer.from(MARK)).replace(/=(..)/g, (_, h: string, i: number) => '=' + (i % 2 ? h.toUpperCase() : h))), 'classified-marking'),
    s('W8: quoted-printable in lower case of GBK bytes', 'notice.txt', 'text/plain', `note ${qpLower(gbk(MARK))} end\n`, 'classified-marking'),
    s('W5: rsyslog #ooo escapes of UTF-8', 'messages.log', 'text/plain', `Dec  1 10:00:01 host app[123]: doc ${hashOctal(Buffer.from(MARK))} uploaded\n`, 'classified-marking'),
    s('W5: rsyslog #ooo escapes of GBK', 'messages.log', 'text/plain', `Dec  1 10:00:01 host app[123]: doc ${hashOctal(gbk(MARK))} uploaded\n`, 'classified-marking'),
    s('W10: 来电号码一三八1234 5678 (a hotline transcript)', '转写.txt', 'text/plain', '【通话转写】市民来电反映噪音扰民问题，来电号码一三八1234 5678，要求尽快处理。\n', 'personal-data'),
    s('W10: 一三八 一二三四 5678 (笔录)', '笔录.txt', 'text/plain', '答：手机一三八 一二三四 5678。\n', 'personal-data'),
    s('W10: 138一二三四五六七八 without a key', '笔录.txt', 'text/plain', '答：我的是138一二三四五六七八。\n', 'personal-data'),
    s('W10: 幺三八1234五六七八 at the end of a line', '笔录.txt', 'text/plain', '记录人：张三 联系 幺三八1234五六七八\n', 'personal-data'),
  ];
}

export function escapeRunCleanSamples(): Sample[] {
  return [
    s('W7/8 clean: source code with a=ef, x=de=ad, hashes and URLs with query strings', 'util.js', 'text/plain', 'const a=ef; let x=de=ad; if (id=12=34) q=ab=cd=ef=01;\nconst url = "https://x.cn/s?a=1&b=2&c=e6&d=9c&page=3&sort=desc";\nconst color = "#345"; // see #200 and #201\n', ''),
    s('W7 clean: HTML with & in text and references that read as text (&#169 2026, &copy 2026, R&D)', 'page.html', 'text/html', html('Tom &amp; Jerry & friends, R&D &#169 2026 &copy 2026 &#20108&#23395度 &#1234567 end'), ''),
    s('W8 clean: an e-mail with = in its text and a URL', 'a.eml', 'message/rfc822', 'From: a@b.cn\r\nTo: c@d.cn\r\nSubject: hi\r\n\r\nhello a=b, x=ff=fe, y=c3=a9 (caf=c3=a9), see https://a.cn/?q=1&r=2\r\n', ''),
    s('W5 clean: a log with issue numbers, colours and checksums', 'app.log', 'text/plain', '2026-12-01 10:00:01 host app[123]: job #200 done, #345 queued, style color:#345;#200#201 code=ef cksum=de=ad=be=ef tab#011x\n', ''),
    s('W10 clean: Chinese prose with dates, counts and amounts in numerals and digits', '纪要.txt', 'text/plain', '二〇二六年12月1日，共收到来电138次，金额一百二十三万4567元，编号第一二三四5678号。\n会议于二〇二六年一二月召开，出席三十八人，金额12345678.00元，序号一 1234 5678 9012，第三八1234号文件。\n', ''),
  ];
}
