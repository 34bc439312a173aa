// Ninth red team (redteam9, 2 Dec; probes lost, samples rebuilt here), W7: digits written as dingbat circled digits
// (➀ U+2780–2788, ➊ U+278A–2792), negative and double circled (❶, ⓵, ⓿), parenthesized (⑴ U+2474–247C) and
// full-stop digits (⒈ U+2488–2490), and a marking split by bopomofo (机ㄅ密★). ① was read (NFKC makes it 1); these
// NFKC leaves alone or writes as two characters. Beside them, lists numbered in the same forms stay clean.
import { residentId } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

const ID = residentId('110105', '19491231', '002');
const MOBILE = '13812345678';
const txt = (name: string, body: string, expect: string): Sample => ({ name, filename: 'memo.txt', type: 'text/plain', body: Buffer.from(body), expect });
/** Digits 1–9 in a form whose one is `one`; zero as `zero`. */
const spell = (s: string, one: number, zero = '⓿'): string => [...s].map((d) => (d === '0' ? zero : /\d/.test(d) ? String.fromCodePoint(one + Number(d) - 1) : d)).join('');

export function dingbatSamples(): Sample[] {
  return [
    txt('W7: a mobile in dingbat circled digits ➀–➈', `联系人：张三 手机：${spell(MOBILE, 0x2780)}\n`, 'personal-data'),
    txt('W7: a mobile in negative dingbat circled digits ➊–➒', `联系人：张三 手机：${spell(MOBILE, 0x278a)}\n`, 'personal-data'),
    txt('W7: a mobile in negative circled digits ❶–❾', `联系人：张三 手机：${spell(MOBILE, 0x2776)}\n`, 'personal-data'),
    txt('W7: a mobile in double circled digits ⓵–⓽', `联系人：张三 手机：${spell(MOBILE, 0x24f5)}\n`, 'personal-data'),
    txt('W7: a mobile in parenthesized digits ⑴–⑼', `联系人：张三 手机：${spell(MOBILE, 0x2474)}\n`, 'personal-data'),
    txt('W7: a mobile in full-stop digits ⒈–⒐', `联系人：张三 手机：${spell(MOBILE, 0x2488)}\n`, 'personal-data'),
    txt('W7: a resident ID in dingbat circled digits, ⓿ for zero', `张三 身份证号：${spell(ID, 0x2780)}\n`, 'personal-data'),
    txt('W7: 机ㄅ密★10年, a bopomofo letter between the characters', `关于工作的通知 机ㄅ密★10年\n`, 'classified-marking'),
    txt('W7: 機ㄐㄧ密ㄇㄧˋ★10年, bopomofo readings and a tone mark', `关于工作的通知 機ㄐㄧ密ㄇㄧˋ★10年\n`, 'classified-marking'),
    txt('W7: 密ㄇ级ㄐ：绝ㄐ密, a label split by bopomofo', `密ㄇ级ㄐ：绝ㄐ密\n关于工作的通知\n`, 'classified-marking'),
    // Read on main already (◆ is a symbol, a separator): kept so that it stays read.
    txt('W7: 机◆密★10年, a diamond between the characters', `关于工作的通知 机◆密★10年\n`, 'classified-marking'),
  ];
}

export function dingbatCleanSamples(): Sample[] {
  return [
    txt('W7 clean: a notice listed ⑴ ⑵ ⑶ with amounts and dates', '工作要求：\n⑴ 预算 12,345.67 元，于 2026-12-01 前报送；\n⑵ 遵守保密协议，保护商业秘密；\n⑶ 注意数据的机密性。\n', ''),
    txt('W7 clean: items numbered ⒈ ⒉ ⒊ and ➀ ➁ ➂ ❶ ❷', '⒈ 会议安排\n⒉ 工作秘密管理\n⒊ 其他事项\n➀ 签到 ➁ 发言 ➂ 总结\n❶ 第一组 ❷ 第二组 ⓵ 甲 ⓶ 乙\n', ''),
    txt('W7 clean: a phone directory page numbered ➀–➈ with extension numbers', '➀ 办公室 分机 8001\n➁ 财务处 分机 8002\n➂ 人事处 分机 8003\n➃ 保密办 分机 8004\n', ''),
    txt('W7 clean: a bopomofo reader with ordinary words (商業秘密, 機密性)', 'ㄅㄆㄇㄈ 注音符號練習\n商ㄕㄤ業ㄧㄝˋ秘ㄇㄧˋ密ㄇㄧˋ\n機ㄐㄧ密ㄇㄧˋ性ㄒㄧㄥˋ\n', ''),
  ];
}
