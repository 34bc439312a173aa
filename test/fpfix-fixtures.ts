// The fourth-session red team's false positives (1 Dec, F1–F5) and the
// narrow ways through beside them (N12, N17, N21): samples for the in-process
// tests and a few of each end to end (gateway-evasions).
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { docx, peExecutable, tar, zip } from './inspect-fixtures.js';
import { wordDocument, xlsWorkbook } from './ole2-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');

export const BUDGET_CSV = '序号,单位,项目,金额（元）,日期\n1,市财政局,办公用品采购,12345.60,2026-11-03\n2,市教育局,培训费,8800.00,2026-11-12\n';

/** An OFD (GB/T 33190-2016) package: OFD.xml at the root, one page whose layer holds `layer`. */
export function ofdDocument(layer: string): Buffer {
  return zip([
    { name: 'OFD.xml', data: u8('<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:Title>电子发票</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>') },
    { name: 'Doc_0/Document.xml', data: u8('<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>') },
    { name: 'Doc_0/Pages/Page_0/Content.xml', data: u8(`<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>${layer}</ofd:Layer></ofd:Content></ofd:Page>`), method: 8 },
  ]);
}

/** One OFD text object (one string drawn at x). */
export function ofdText(x: number, s: string): string {
  return `<ofd:TextObject ID="${x}" Boundary="${x * 10} 0 10 10" Font="2" Size="3"><ofd:TextCode X="0" Y="3">${s}</ofd:TextCode></ofd:TextObject>`;
}

/** Ordinary files declared as their senders declare them (F1–F3): each crosses. */
export function declaredTypeCleanSamples(): Sample[] {
  const s = (name: string, filename: string, type: string, body: Buffer): Sample => ({ name, filename, type, body, expect: '' });
  return [
    s('F1: CSV declared application/vnd.ms-excel (Windows with Office or WPS)', '执行情况.csv', 'application/vnd.ms-excel', u8(BUDGET_CSV)),
    s('F1: GBK CSV declared application/vnd.ms-excel', '执行情况.csv', 'application/vnd.ms-excel', iconv.encode(BUDGET_CSV, 'gbk')),
    s('F2: OFD e-invoice declared application/ofd', '发票.ofd', 'application/ofd', ofdDocument(ofdText(1, '金额合计：1234.56'))),
    s('F3: WPS .wps declared application/kswps', '公文.wps', 'application/kswps', wordDocument([{ text: '关于召开会议的通知\r' }])),
    s('F3: .xls declared application/x-msexcel', '报表.xls', 'application/x-msexcel', xlsWorkbook(['地区', '东区', '西区', '合计'], 2)),
    s('F3: .tar.gz declared application/x-tar (Python mimetypes)', 'archive.tar.gz', 'application/x-tar', zlib.gzipSync(tar([{ name: 'a.txt', data: u8('会议纪要\n') }]))),
  ];
}

/** Beside them, what stays refused. */
export function declaredTypeSamples(): Sample[] {
  return [
    { name: 'a marking in an OFD page declared application/ofd', filename: '通知.ofd', type: 'application/ofd', body: ofdDocument(ofdText(1, '机') + ofdText(2, '密★10年')), expect: 'classified-marking' },
    { name: 'an executable declared application/kswps', filename: '公文.wps', type: 'application/kswps', body: peExecutable(), expect: 'type-mismatch' },
  ];
}

/** A Word symbol in a run (what Insert › Symbol and a check box content control write). */
const sym = (font: string, code: string): string => `</w:t><w:sym w:font="${font}" w:char="${code}"/><w:t>`;

/** A Word form `密级：` then the three levels, each after the symbol of its code in `font`. */
function wordForm(name: string, font: string, codes: [string, string, string], expect: string): Sample {
  const body = docx(['密级：', `${sym(font, codes[0])}绝密 `, `${sym(font, codes[1])}机密 `, `${sym(font, codes[2])}秘密`]);
  return { name, filename: '审批单.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', body, expect };
}

/** Samples declared text/plain, of bytes, with the finding expected ('' for none). */
const byteSamples = (expect: string) => (name: string, filename: string, body: Buffer): Sample => ({ name, filename, type: 'text/plain', body, expect });
/** Samples of plain text with the finding expected ('' for none). */
const textSamples = (expect: string, filename = 'form.txt') => (name: string, text: string): Sample => ({ name, filename, type: 'text/plain', body: u8(text), expect });

/**
 * F4, F5: forms that list the levels to tick, and tables whose 密级 column
 * is followed by 机密性: each crosses. Beside them (formSamples) the ticked
 * ones, refused.
 */
export function formCleanSamples(): Sample[] {
  const t = textSamples('');
  return [
    t('R5: the label\'s other names with a list to tick, or in prose', '保密等级：□绝密 □机密 □秘密 □非密\n保密等级分为绝密、机密、秘密三级。\n本单位保密级别高，秘密文件较多。\n'),
    t('F4: approval form, boxes to tick', '文件审批单\n文件标题：____________\n密级：□绝密 □机密 □秘密 □非密\n保密期限：____年\n'),
    t('F4: ballot boxes, 非密 ticked', '发文稿纸\n密级：☐绝密 ☐机密 ☐秘密 ☑非密\n'),
    t('F4: levels in brackets to choose', '密级（绝密/机密/秘密/内部/公开，请选择）：\n'),
    t('F4: table header listing the levels', '| 文号 | 标题 | 密级（绝密/机密/秘密/非密） |\n|---|---|---|\n| 〔2026〕1号 | 工作方案 | 非密 |\n'),
    t('F4: boxes after the choices', '密级：绝密□ 机密□ 秘密□ 非密☑\n'),
    t('F4: 口 for the boxes', '密级：口绝密 口机密 口秘密\n'),
    t('F4: [ ] for the boxes', '密级：[ ]绝密 [ ]机密 [ ]秘密 [x]非密\n'),
    t('F4: Traditional, circles', '密級：○絕密 ○機密 ○秘密 ●非密\n'),
    t('F4: levels with 级', '密级：□绝密级 □机密级 □秘密级\n'),
    t('F5: a grading sheet header, 密级 then 机密性', '数据名称,密级,机密性要求,完整性要求,可用性要求\n人口信息,,高,高,中\n'),
    t('F5: a register, 密级 column empty, then 机密性评估', '文号,密级,机密性评估\n〔2026〕1号,,低\n'),
    t('F5: tab-separated', '数据名称\t密级\t机密性\t完整性\n'),
    t('look-alikes beside the forms', '关于保守商业秘密的提示：工作秘密、机密性、保密协议。\n国家秘密的密级分为绝密、机密、秘密三级。\n'),
    t('a list starting with 非密, 非密 ticked', '发文稿纸\n密级：☑非密 ☐秘密 ☐机密\n'),
    t('a list starting with 公开, nothing ticked, beside a consent box and 商业秘密', '密级：□公开 □内部 □秘密 □机密\n☑本人已知悉信息的机密性要求\n信息类别：☑商业秘密\n'),
    wordForm('F4: a Word form, Wingdings 2 boxes, none ticked', 'Wingdings 2', ['F0A3', 'F0A3', 'F0A3'], ''),
  ];
}

export function formSamples(): Sample[] {
  const t = textSamples('classified-marking');
  return [
    t('a form, 机密 ticked (☑)', '文件审批单\n密级：□绝密 ☑机密 □秘密 □非密\n'),
    // The label's other names (seventh red team, 1 Dec c, R5).
    t('保密等级：机密 in a register', '涉密载体登记表\n载体名称：会议纪要\n保密等级：机密\n'),
    t('保密级别：机密 in an application', '项目申报书\n保密级别：机密\n'),
    t('涉密等级：秘密', '涉密等级：秘密\n'),
    t('密级标识：绝密', '密级标识：绝密\n'),
    t('a form, 机密 ticked (■)', '密级：□绝密 ■机密 □秘密\n'),
    t('a form, 机密 ticked (√)', '密级：□绝密 √机密 □秘密 □非密\n'),
    t('a form, 机密 ticked (☒)', '密级：☐绝密 ☒机密 ☐秘密\n'),
    t('a form, 机密 ticked (✔)', '密级：□绝密 ✔机密 □秘密\n'),
    t('a form, 机密 ticked ([x])', '密级：[ ]绝密 [x]机密 [ ]秘密\n'),
    t('a form, 机密 ticked ((√))', '密级：绝密( ) 机密(√) 秘密( )\n'),
    t('a form, boxes after, 机密 ticked', '密级：绝密□ 机密☑ 秘密□\n'),
    t('a form, 口 boxes, 机密 ticked', '密级：口绝密 √机密 口秘密\n'),
    t('a form, 机密 ticked with a symbol font\'s private-use code', '密级：\uf0a8绝密 \uf0fe机密 \uf0a8秘密\n'),
    t('a level, then boxes for the rest', '密级：机密 □绝密 □秘密\n'),
    t('a single level after 密级', '密级：机密\n'),
    t('a level after [x]', '密级：[x]机密\n'),
    t('a level, then another field', '密级：秘密 公开属性：不予公开\n'),
    t('a level, then 公开', '密级：机密 公开\n'),
    // A list whose first choice is no level (red team, 2 Dec; test/inspect-level-choices-mixed.test.ts).
    t('a form, 非密 first, 机密 ticked (☑)', '发文稿纸\n密级：☐非密 ☑机密 ☐秘密\n'),
    t('a form, 公开 first, 秘密 ticked (●)', '密级：○公开 ●秘密\n'),
    wordForm('a Word form, Wingdings 2 box ticked', 'Wingdings 2', ['F0A3', 'F052', 'F0A3'], 'classified-marking'),
    wordForm('a Word form, a check box content control ticked', 'MS Gothic', ['2610', '2612', '2610'], 'classified-marking'),
  ];
}

/** ISO-2022-CN (RFC 1922): GB2312 designated by ESC $ ) A on each line, shifted in by SO and out by SI, ASCII as it is. */
export function iso2022cn(text: string): Buffer {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    let designated = false;
    let shifted = false;
    for (const ch of line) {
      if (ch.charCodeAt(0) < 0x80) {
        if (shifted) out.push(0x0f);
        shifted = false;
        out.push(ch.charCodeAt(0));
        continue;
      }
      if (!designated) out.push(0x1b, 0x24, 0x29, 0x41);
      designated = true;
      if (!shifted) out.push(0x0e);
      shifted = true;
      for (const b of iconv.encode(ch, 'gb2312')) out.push(b & 0x7f);
    }
    if (shifted) out.push(0x0f);
    out.push(0x0a);
  }
  return Buffer.from(out);
}

/** N12, N17, N21: a marking in ISO-2022-CN, with a star look-alike, in a name of code points: each refused. */
export function lookalikeSamples(): Sample[] {
  const t = byteSamples('classified-marking');
  return [
    ...['✦', '✱', '❋', '🌟', '✧', '❄', '⭑', '🟊', '٭'].map((st) => t(`N17: ${st} for the star`, 'memo.txt', u8(`会议纪要\n机密${st}10年\n`))),
    t('N12: ISO-2022-CN', 'mail.txt', Buffer.concat([u8('Subject: notice\nContent-Type: text/plain; charset=ISO-2022-CN\n\n'), iso2022cn('会议纪要 机密★10年\n内容略')])),
    t('N21: a name in #U code points', '#U673a#U5bc6#U2605 10.txt', u8('会议纪要\n')),
    t('N21: a name in _u code points', '_u673a_u5bc6_u2605_10.txt', u8('会议纪要\n')),
    { ...t('N21: a member name in #U code points', 'bundle.zip', zip([{ name: '附件/#U673a#U5bc6#U2605.txt', data: u8('会议纪要\n') }])), type: 'application/zip' },
  ];
}

export function lookalikeCleanSamples(): Sample[] {
  const t = byteSamples('');
  return [
    t('ratings and decorations in the widened star class', 'review.txt', u8('这家店的秘密武器是服务 ✦✦✦✦✦\n❄冬季特卖❄ 注意商业秘密保护\n评分：✱✱✱✱\n🌟🌟🌟 五星好评，数据的机密性很好\n✿ 工作秘密管理规定 ✿\n')),
    t('ISO-2022-CN mail without a marking', 'mail.txt', Buffer.concat([u8('Subject: notice\n\n'), iso2022cn('会议纪要：注意保守商业秘密，机密性和保密协议。\n第2季度')])),
    t('names with #U and _u that are not code points', 'my_u_file_user2024 #Update.txt', u8('会议纪要\n')),
  ];
}
