// Ninth red team (redteam9, 2 Dec; probes lost, samples rebuilt here), W5: a bare level word as the document's first
// line (GB/T 9704 puts 密级 at the top left), then ordinary prose. It crossed: a level without ★, a label or brackets
// was read only in brackets. Beside it, prose and headings that hold the same words and stay clean.
import iconv from 'iconv-lite';
import { docxParagraphs } from './bytes-misc-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const txt = (name: string, body: Buffer | string, expect: string, filename = 'memo.txt', type = 'text/plain'): Sample => ({
  name,
  filename,
  type,
  body: typeof body === 'string' ? Buffer.from(body) : body,
  expect,
});
const PROSE = '关于做好年度工作总结的通知\n各处室：\n请于本月底前报送年度工作总结，并做好材料归档。\n';

export function topLevelSamples(): Sample[] {
  return [
    txt('W5: 绝密 alone as the first line, then prose', `绝密\n${PROSE}`, 'classified-marking'),
    txt('W5: 机密 as the first line, CRLF', `机密\r\n${PROSE.replace(/\n/g, '\r\n')}`, 'classified-marking'),
    txt('W5: 秘密 after a blank line and indentation', `\n    秘密\n\n${PROSE}`, 'classified-marking'),
    txt('W5: 绝　密 spaced by an ideographic space (a typeset heading)', `绝　密\n${PROSE}`, 'classified-marking'),
    txt('W5: 份号 000123 then 机密 (GB/T 9704 order)', `000123\n机密\n${PROSE}`, 'classified-marking'),
    txt('W5: 機密 in Traditional, Big5', iconv.encode(`機密\r\n關於做好年度工作總結的通知\r\n`, 'big5'), 'classified-marking'),
    txt('W5: 秘密 first line in GBK', iconv.encode(`秘密\r\n${PROSE}`, 'gbk'), 'classified-marking'),
    txt('W5: 绝密 first line in UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`绝密\r\n${PROSE}`, 'utf16le')]), 'classified-marking'),
    txt('W5: 机密 as the first paragraph of a Word document', docxParagraphs(['机密', '关于做好年度工作总结的通知', '各处室：请按时报送。']), 'classified-marking', '通知.docx', DOCX),
  ];
}

export function topLevelCleanSamples(): Sample[] {
  return [
    txt('W5 clean: 机密性 as the first line', `机密性\n信息系统应保证数据的机密性、完整性和可用性。\n`, ''),
    txt('W5 clean: 商业秘密 heading then prose', `商业秘密\n员工应遵守保密协议，保护公司商业秘密。\n`, ''),
    txt('W5 clean: 工作秘密 heading', `工作秘密\n工作秘密不属于国家秘密，但应妥善管理。\n`, ''),
    txt('W5 clean: 保密协议 heading', `保密协议\n甲乙双方就技术资料的保密事项达成如下协议。\n`, ''),
    txt('W5 clean: a sentence starting with 秘密 on the first line', `秘密就在这里，他笑着说。\n${PROSE}`, ''),
    txt('W5 clean: a first line 机密文件管理办法 (a title)', `机密文件管理办法\n第一条 为加强管理，制定本办法。\n`, ''),
    txt('W5 clean: a chapter titled 秘密 after a title line', `长篇小说 第三章\n秘密\n那天晚上，他终于说出了藏在心里的话。\n`, ''),
    txt('W5 clean: 秘密 alone on a line deep in a text', `${PROSE.repeat(8)}秘密\n这是一首歌的名字。\n`, ''),
    txt('W5 clean: a Word document whose first paragraph is 商业秘密保护', docxParagraphs(['商业秘密保护', '公司依法保护商业秘密和工作秘密。']), '', '制度.docx', DOCX),
  ];
}
