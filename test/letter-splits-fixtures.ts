// N27 (red team, 1 Dec b): the marking with a Latin letter between every
// character, some of them beside punctuation (`密x级x：x机x密`), and 宓 written
// for 密 (N17's `机宓★10年`); beside them mixed Chinese and English text,
// code and pinyin glosses that must stay clean (text-scanner.ts MAX_LETTERS,
// text-fold.ts).
import type { Sample } from './evasion-fixtures.js';

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const text = (expect: string) => (name: string, s: string): Sample => ({ name, filename: 'note.txt', type: 'text/plain', body: u8(s), expect });

export function letterSplitSamples(): Sample[] {
  const t = text('classified-marking');
  return [
    t('N27: a letter between every character of the label, one beside its colon', '文件\n密x级x：x机x密\n'),
    t('N27: a letter beside each piece of punctuation in the label', '密a级b：c绝d密\n'),
    t('N27: letters and dots between a level word and its star', '机x.y密★10年\n'),
    t('N27: a letter, a comma, a letter', '绝q，w密★30年\n'),
    t('N27: in brackets, letters beside the brackets', '【a机x密b】\n'),
    t('宓 for 密: 机宓★10年', '机宓★10年\n'),
    t('宓 for 密 in the label', '宓级：绝密\n'),
    t('宓 for both', '宓级：机宓\n'),
  ];
}

export function letterSplitCleanSamples(): Sample[] {
  const t = text('');
  return [
    t('two letters side by side are a word', '随机 is 密★\n'),
    t('three letters apart by dots: past the bound', '随机a.b.c密★\n'),
    t('mixed Chinese and English prose', '本次升级（upgrade）涉及 A 级和 B 级用户：手机 App 与密码 x 策略，见附件。评分：★★★\n'),
    t('code with Chinese comments', 'for (let i = 0; i < n; i++) { // 随机 i 密钥 j 轮换\n  key[i] = rand(); /* 机 x 器 */\n}\nconst level = "A"; // 级别 a 最高\n'),
    t('pinyin glosses', '机(jī)密(mì)、机 ji 密 mi、秘(mi)密(mi)：拼音注释。\n'),
    t('宓 as a surname and a word', '宓子贱，姓宓，洛神宓妃。宓先生的等级：三级。\n'),
    t('蜜 and 谧, which share a part with 密', '蜜★ 甜度五星；静谧★★★；秘蜜\n'),
    t('look-alikes of the levels with letters', '商业秘密 a、工作秘密 b、机密性 c、保密协议 d\n'),
  ];
}
