import iconv from 'iconv-lite';
import { MARK, type Sample } from './evasion-fixtures.js';
import { inJsonAndCsv, TRADITIONAL } from './gbk-mojibake-fixtures.js';

// Third red team of 30 November ("still open"): UTF-8 read as Big5 and saved
// again in UTF-8, by a browser's decoder (WHATWG), by iconv-lite's big5
// (cp950 with HKSCS) or by cp950 as Python and Windows read it (one U+FFFD a
// byte); and beside it, Traditional Chinese in Big5 and in UTF-8, and the
// same mojibake of documents with no marking, that must stay clean.

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');

export const BIG5_READERS: Record<string, (b: Buffer) => string> = {
  'a browser (WHATWG)': (b) => new TextDecoder('big5').decode(b),
  'iconv-lite big5 (HKSCS)': (b) => iconv.decode(b, 'big5'),
  'cp950 (Python, Windows)': (b) => iconv.decode(b, 'cp950'),
};

/** UTF-8 of the text, read as Big5 by that reader, saved in UTF-8. */
export const asBig5 = (text: string, reader: string): Buffer => u8(BIG5_READERS[reader]!(u8(text)));

const NOTICE = '关于做好年度保密工作的通知\n各部门：现将有关事项通知如下，请认真贯彻落实。\n';

/** Markings whose mojibake keeps enough of them in every context below, by reader (what is lost is in utf8-as-big5.ts). */
export function big5MojibakeSamples(): Sample[] {
  const out: Sample[] = [];
  const e = (name: string, body: Buffer, filename = 'note.txt', type = 'text/plain'): void => {
    out.push({ name, filename, type, body, expect: 'classified-marking' });
  };
  const around: Array<[string, string]> = [['', '\n'], ['a', ' x'], ['文', '\n'], ['文件', '，内容'], ['（一）', '10'], [NOTICE, '\n']];
  const kept: Record<string, string[]> = {
    'a browser (WHATWG)': [MARK, '机密★6个月', '绝密★20年', '機密★10年'],
    'iconv-lite big5 (HKSCS)': [MARK, '秘密★1年', '密级：机密', '密级 绝密', '［秘密］', '〔机密〕'],
    'cp950 (Python, Windows)': [MARK, '秘密★1年', '密级：机密', '密级 绝密', '［秘密］'],
  };
  for (const [reader, marks] of Object.entries(kept)) {
    for (const mark of marks) {
      for (const [before, after] of around) e(`${mark} read by ${reader}, after ${JSON.stringify(before.slice(-4))}`, asBig5(before + mark + after, reader));
    }
  }
  e('in a JSON field (WHATWG)', inJsonAndCsv((s) => new TextDecoder('big5').decode(u8(s)))[0], 'a.json', 'application/json');
  e('in a CSV column among ordinary rows (cp950)', inJsonAndCsv((s) => iconv.decode(u8(s), 'cp950'))[1], 'a.csv', 'text/csv');
  return out;
}

export function big5MojibakeCleanSamples(): Sample[] {
  const out: Sample[] = [];
  const c = (name: string, body: Buffer, filename = 'note.txt', type = 'text/plain'): void => {
    out.push({ name, filename, type, body, expect: '' });
  };
  const traditional = TRADITIONAL;
  c('Traditional Chinese prose in UTF-8', u8(traditional.repeat(30)));
  c('Traditional Chinese prose in Big5', iconv.encode(traditional.repeat(30), 'big5'));
  c('Traditional Chinese in Big5 with a level word in prose (機密性)', iconv.encode('密級評估：本案不涉及機密。各項機密性要求詳見附件，秘密等級由主管機關核定。\n'.repeat(40), 'big5'));
  const simplified = `${NOTICE}一、加强保密教育，增强保密意识。二、商业秘密和工作秘密应妥善保管。三、机密性评估报告于月底前报送。四、密级标志按规定标注。\n`;
  for (const reader of Object.keys(BIG5_READERS)) {
    c(`UTF-8 read as Big5 by ${reader}, a document with no marking`, asBig5(simplified.repeat(20), reader));
    c(`UTF-8 read as Big5 by ${reader}, Traditional prose with no marking`, asBig5(traditional.repeat(20), reader));
  }
  c('Simplified Chinese with two stray U+FFFD', u8(`${simplified.repeat(10)}数据\ufffd异常\ufffd已修复。\n`));
  c('a log with replacement characters from a broken decoder', u8(Array.from({ length: 200 }, (_, i) => `2026-11-30T10:${String(i % 60).padStart(2, '0')} user=\ufffd\ufffd\ufffd msg=登录成功 id=${i}`).join('\n')), 'app.log');
  return out;
}
