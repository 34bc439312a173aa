// N16 (red team, 1 Dec b): the marking written vertically, one character a
// line, with columns of other text beside it; beside them short lines that
// must stay clean (vertical-columns.ts).
import type { Sample } from './evasion-fixtures.js';

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const text = (expect: string) => (name: string, s: string, filename = 'note.txt'): Sample => ({ name, filename, type: 'text/plain', body: u8(s), expect });

export function verticalSamples(): Sample[] {
  const t = text('classified-marking');
  return [
    t('N16: the first column, two beside it', '机一一\n密二二\n★三三\n十四四\n年五五\n'),
    t('N16: the middle column of a vertical table, blanks between', '序 机 注\n一 密 明\n二 ★ 见\n三 十 附\n四 年 件\n'),
    t('N16: the label read down, the last column', '通知密\n各单级\n位：：\n请  机\n按  密\n'),
    t('N16: CRLF and a full-width space', '关　绝\r\n于　密\r\n会　★\r\n议　长\r\n'),
  ];
}

export function verticalCleanSamples(): Sample[] {
  const t = text('');
  return [
    t('a poem of short lines with 密', '密林深处\n鸟鸣山幽\n夜色渐浓\n星光点点\n'),
    t('a list of short items, a rating after each', '机关 ★★★\n保密 ★★\n密切 ★\n'),
    t('a short-line table of words with 密', '项目  密度\n机器  3.5\n材料  2.1\n合计  5.6\n'),
    t('one-word lines', '机关\n密切\n联系\n群众\n'),
  ];
}
