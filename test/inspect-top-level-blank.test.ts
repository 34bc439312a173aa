// review11: the bare level line at a text's top (top-level-line.ts) was looked for in the text's first 256
// characters, blank ones counted: 300 line breaks or spaces before `绝密` hid it. What shows nothing before the
// first visible character is no longer counted; the clean look-alikes after the same blank lines stay clean.
import t from 'tap';
import { chunksOf, inspectChunks, kinds } from './inspect-fixtures.js';

const PROSE = '关于做好年度工作总结的通知\n各处室：\n请于本月底前报送年度工作总结，并做好材料归档。\n';
const read = async (text: string, chunk: number): Promise<string[]> => kinds((await inspectChunks(chunksOf(Buffer.from(text), chunk), {}, { filename: 'memo.txt', declaredType: 'text/plain' })).findings);

t.test('a level alone on the first visible line, after blank lines or spaces', async (t) => {
  const cases: Array<[string, string]> = [
    ['300 line breaks', `${'\n'.repeat(300)}绝密\n${PROSE}`],
    ['130 CRLF', `${'\r\n'.repeat(130)}机密\r\n${PROSE.replace(/\n/g, '\r\n')}`],
    ['300 spaces on its line', `${' '.repeat(300)}秘密\n${PROSE}`],
    ['300 zero-width spaces and a line break', `${'\u200b'.repeat(300)}\n绝密\n${PROSE}`],
    ['2,000 blank lines, then 份号 000123', `${'\n'.repeat(2000)}000123\n机密\n${PROSE}`],
  ];
  for (const [name, text] of cases) {
    for (const chunk of [1 << 16, 97]) t.same(await read(text, chunk), [`classified-marking:${/绝密|机密|秘密/.exec(text.slice(text.search(/\S/)))![0]}`], `${name} (chunks of ${chunk})`);
  }
});

t.test('the look-alikes after the same blank lines stay clean', async (t) => {
  const blank = '\n'.repeat(300);
  const cases: Array<[string, string]> = [
    ['商业秘密 heading', `${blank}商业秘密\n员工应遵守保密协议，保护公司商业秘密。\n`],
    ['a sentence starting with 秘密', `${blank}秘密就在这里，他笑着说。\n${PROSE}`],
    ['a chapter titled 秘密 after a title line', `${blank}长篇小说 第三章\n秘密\n那天晚上，他终于说出了藏在心里的话。\n`],
    ['机密性 as the first line', `${blank}机密性\n信息系统应保证数据的机密性、完整性和可用性。\n`],
  ];
  for (const [name, text] of cases) for (const chunk of [1 << 16, 97]) t.same(await read(text, chunk), [], `${name} (chunks of ${chunk})`);
});
