// review14's samples: HZ text as a mail client writes it (a character whose trail byte is `~`, shifts out and back
// in, continuations), and VBA macro projects whose module source is stored compressed (MS-OVBA).
import type { Sample } from './evasion-fixtures.js';
import { hzEncode } from './evasion-fixtures.js';

const mail = (body: string): string =>
  `From: a@example.gov.cn\r\nTo: b@example.gov.cn\r\nSubject: notice\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=HZ-GB-2312\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${body}\r\n`;

export function hzSamples(): Sample[] {
  const s = (name: string, body: string): Sample => ({ name, filename: 'notice.eml', type: 'message/rfc822', body: Buffer.from(mail(body)), expect: 'classified-marking' });
  return [
    // 件 is `<~` in HZ (BC FE): its ~ was taken for an escape and every pair after it was read one byte off.
    s('HZ: 文件密级：机密★10年 (件 ends in ~)', hzEncode('各处室：\r\n文件密级：机密★10年\r\n')),
    s('HZ: a 件 first, the marking later on the line', hzEncode('附件一 文件密级：机密★10年')),
    s('HZ: an empty shift ~{~} between 机 and 密', `${hzEncode('密级：机')}~{~}${hzEncode('密★10年')}`),
    s('HZ: a continuation ~ and a line break between 机 and 密', `${hzEncode('密级：机')}~\r\n${hzEncode('密★10年')}`),
    s('HZ: shifted out and back in between 机 and 密', hzEncode('密级：机').slice(0, -2) + '~}~{' + hzEncode('密★10年').slice(2)),
  ];
}

export function hzCleanSamples(): Sample[] {
  const s = (name: string, body: string): Sample => ({ name, filename: 'notice.eml', type: 'message/rfc822', body: Buffer.from(mail(body)), expect: '' });
  return [
    s('HZ: 附件 and a 保密协议, shifts and continuations', `${hzEncode('附件：保密协议')}~{~}${hzEncode('（商业秘密）')}~\r\n${hzEncode('文件已收到，工作秘密不外传。')}`),
    s('HZ-looking code: x~{ y ~} and ~{~}', 'if (a ~{ b) { c ~} d; }\r\nvar e = "~{~}";\r\n'),
  ];
}
