import iconv from 'iconv-lite';
import { MARK, type Sample } from './evasion-fixtures.js';

// Third red team of 30 November: UTF-8 read as GBK ("鏈哄瘑" is 机密's UTF-8
// read so), saved again in UTF-8 or in GBK, by a browser's or Python's
// decoder (WHATWG: a byte that starts no pair is U+FFFD) or iconv's; and the
// Chinese text that must stay clean beside it: Traditional prose, GBK and
// Big5 files, rare characters in names, Japanese, and the same mojibake of a
// document with no marking.

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
/** UTF-8 of the text read as GBK, by the WHATWG decoder (TextDecoder) or by iconv-lite. */
const asGbk = (text: string, by: 'whatwg' | 'iconv' = 'whatwg'): string => (by === 'whatwg' ? new TextDecoder('gbk').decode(u8(text)) : iconv.decode(u8(text), 'gbk'));

/** Traditional Chinese prose (an office's rules), with 機密性 and 營業秘密 in it: no marking. */
export const TRADITIONAL =
  '本文件說明機關資訊安全管理規範，請各單位依照辦理。關於個人資料之蒐集、處理及利用，應遵守個人資料保護法。' +
  '資訊系統之機密性、完整性及可用性，由資訊處負責維護；營業秘密與工作秘密不得對外洩漏。臺灣銀行、鐵路局、郵政總局、' +
  '電信公司、醫院與學校之間的網路連線，應經過閘道器與防火牆。會議紀錄請於三日內寄送各與會人員。\n';

/** A marking's mojibake (made by `moji`) in a JSON title and in a CSV column among ordinary rows. */
export function inJsonAndCsv(moji: (text: string) => string): [Buffer, Buffer] {
  return [
    u8(`{"id":17,"title":${JSON.stringify(moji(`标题：${MARK}`))},"ok":true}\n`),
    u8(`编号,标题,备注\n${Array.from({ length: 50 }, (_, i) => `${i},季度工作总结${i},无`).join('\n')}\n51,${moji(`通知 ${MARK}`)},无\n`),
  ];
}

const NOTICE = `关于做好年度保密工作的通知\n各部门：现将有关事项通知如下，请认真贯彻落实。\n`;

export function gbkMojibakeSamples(): Sample[] {
  const out: Sample[] = [];
  const e = (name: string, body: Buffer, expect = 'classified-marking', filename = 'note.txt', type = 'text/plain'): void => {
    out.push({ name, filename, type, body, expect });
  };
  const texts: Array<[string, string]> = [
    ['a star marking in a notice', `${NOTICE}${MARK}\n`],
    ['one ASCII letter before the marking (the star dropped one time in two)', `a${MARK}\n`],
    ['a label marking alone', '密级：机密\n'],
    ['a bracketed marking alone', '【绝密】\n'],
    ['a marking inside a sentence', '本通知属于秘密★1年，请妥善保管。\n'],
  ];
  for (const [name, text] of texts) {
    const m = asGbk(text);
    e(`UTF-8 read as GBK, saved in UTF-8: ${name}`, u8(m));
    e(`UTF-8 read as GBK, saved in GBK: ${name}`, iconv.encode(m, 'gbk'));
  }
  e('UTF-8 read as GBK by iconv, saved in UTF-8', u8(asGbk(`${NOTICE}${MARK}\n`, 'iconv')));
  e('UTF-8 read as GBK twice', u8(asGbk(asGbk(`${NOTICE}${MARK}\n`))));
  const [json, csv] = inJsonAndCsv(asGbk);
  e('UTF-8 read as GBK in a JSON field', json, 'classified-marking', 'a.json', 'application/json');
  e('UTF-8 read as GBK in a CSV column among ordinary rows', csv, 'classified-marking', 'a.csv', 'text/csv');
  return out;
}

export function gbkMojibakeCleanSamples(): Sample[] {
  const out: Sample[] = [];
  const c = (name: string, body: Buffer, filename = 'note.txt', type = 'text/plain'): void => {
    out.push({ name, filename, type, body, expect: '' });
  };
  c('Traditional Chinese prose in UTF-8', u8(TRADITIONAL.repeat(30)));
  c('Traditional Chinese prose in Big5', iconv.encode(TRADITIONAL.repeat(30), 'big5'));
  const simplified = `${NOTICE}一、加强保密教育，增强保密意识。二、商业秘密和工作秘密应妥善保管。三、机密性评估报告于月底前报送。\n`;
  c('Simplified Chinese in GBK', iconv.encode(simplified.repeat(30), 'gbk'));
  const names = ['王堃', '陶喆', '李昇', '张玥', '陈珺', '林琇', '赵珏', '周喆', '吴堃', '郑玥', '冯昇', '褚珺', '卫琇', '蒋珏', '沈㛃', '韩赟', '杨翀', '朱旸', '秦骞', '尤镕'];
  c('a register of names with rare characters', u8(`姓名,部门,电话分机\n${names.map((n, i) => `${n},第${i + 1}科,${8000 + i}`).join('\n')}\n`.repeat(10)), 'names.csv', 'text/csv');
  c('Japanese prose', u8('本書は情報セキュリティ管理規程について説明するものです。機密性、完全性及び可用性を確保するため、各部署は手順に従ってください。営業秘密の取扱いには注意が必要です。\n'.repeat(30)));
  c('UTF-8 read as GBK of a document with no marking', u8(asGbk(`${simplified}本单位严格保守工作秘密。机密性要求见附件。\n`.repeat(5))));
  return out;
}
