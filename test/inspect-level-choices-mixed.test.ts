import t from 'tap';
import { chunksOf, docx, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';

// A 密级 field whose list of choices starts with a word that is no level (非密, 公开, 内部, 无 …), or holds
// such words anywhere among the levels: the level ticked is the marking (red team, 2 Dec: `密级：☐非密 ☑机密 ☐秘密`
// crossed, the list being read only from a level word right after the label; level-choices.ts).

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** A Word check box content control (w14:checkbox) showing ☒ or ☐ in MS Gothic, as Word writes it. */
const checkBox = (on: boolean): string =>
  `</w:t></w:r><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="${on ? 1 : 0}"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" w:hint="eastAsia"/></w:rPr><w:t>${on ? '☒' : '☐'}</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t>`;
/** The same control written as a symbol (w:sym), as Word 2010 writes it. */
const symBox = (on: boolean): string => `</w:t><w:sym w:font="MS Gothic" w:char="${on ? '2612' : '2610'}"/><w:t>`;
const wordForm = (choices: [string, boolean][], box = checkBox): Buffer => {
  const x = docx(['密级：', ...choices.map(([w, on]) => `${box(on)}${w} `)]);
  return x;
};
const html = (body: string): Buffer => Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>审批表</title></head><body><h1>审批表</h1>${body}<p>关于加强安全管理的通知</p></body></html>`);
const htmlBoxes = (type: 'checkbox' | 'radio', choices: string[], checked: number | null): Buffer =>
  html(`<p>密级：${choices.map((w, k) => `<input type="${type}" name="mj" id="l${k}"${k === checked ? ' checked' : ''}><label for="l${k}">${w}</label> `).join('')}</p>`);

const found: [string, string][] = [
  ['密级：☐非密 ☑机密 ☐秘密\n', '机密'],
  ['密级：□非密 ■机密\n', '机密'],
  ['密级：○公开 ●秘密\n', '秘密'],
  ['密级: [ ]内部 [x]机密\n', '机密'],
  ['密级：□公开 □内部 ☑秘密 □机密 □绝密\n', '秘密'],
  ['密级：☐无 ☒绝密\n', '绝密'],
  ['密级：☐不涉密 ☐普通 ☑机密\n', '机密'],
  ['密级：口非密 √秘密 口机密\n', '秘密'],
  ['密级：非密□ 机密☑ 秘密□\n', '机密'],
  ['密级：□绝密 □非密 ☑机密\n', '机密'],
  ['保密等级：☐内部 ☑机密 ☐秘密\n', '机密'],
  ['密級：○公開 ●機密\n', '机密'],
  ['密级：(  )非密 (√)机密\n', '机密'],
  ['文件审批单\n标题：年度计划\n密级：☐非密 ☐内部 ☒秘密级\n', '秘密'],
];

const clean: string[] = [
  '密级：☑非密 ☐秘密 ☐机密\n',
  '密级：■公开 □秘密 □机密\n',
  '密级：[x]内部 [ ]秘密 [ ]机密 [ ]绝密\n',
  '密级：☐非密 ☐秘密 ☐机密 ☐绝密\n',
  '密级：○公开 ○内部 ○秘密 ○机密\n',
  '密级：非密\n',
  '密级：无\n附件：无\n',
  '密级：公开\n',
  '密级：非密 □秘密 □机密\n',
  '密级（非密/秘密/机密/绝密）：\n',
  '密级：公开、秘密、机密\n',
  '密级：公开 机密\n',
  '密级：公开方式 依申请公开\n密级：一般秘密事项另行规定\n',
  '密级：无密级\n',
  '保密承诺：☑本人已阅读并理解信息的机密性要求\n密级：☑非密\n',
  '信息类别：☑商业秘密 ☐工作秘密\n密级：☑公开 ☐秘密\n',
  '关于保守商业秘密的提示：工作秘密、机密性、保密协议。合同编号 2026-0138，金额 1,234,567.00 元。\n',
];

t.test('plain text: a level ticked among choices that are no level is a marking, whole and in chunks', async (t) => {
  for (const [text, level] of found) {
    t.ok(kinds((await inspectBytes(text)).findings).includes(`classified-marking:${level}`), `${JSON.stringify(text)} → ${level}`);
    for (const size of [1, 3, 7]) t.ok(kinds((await inspectChunks(chunksOf(Buffer.from(text), size), {}, { filename: 'form.txt', declaredType: 'text/plain' })).findings).includes(`classified-marking:${level}`), `${JSON.stringify(text)}, chunks of ${size}`);
  }
  const r = await inspectBytes('密级：☐非密 ☑机密 ☐秘密\n');
  t.same(r.findings.map((f) => [f.subkind, f.sample]), [['机密', '密级：☑机密']], 'the ticked level is named');
});

t.test('plain text: 非密, 公开, 内部 ticked, nothing ticked, and look-alikes stay clean, whole and in chunks', async (t) => {
  for (const text of clean) {
    t.same(kinds((await inspectBytes(text)).findings), [], JSON.stringify(text));
    for (const size of [1, 3, 7]) t.same(kinds((await inspectChunks(chunksOf(Buffer.from(text), size), {}, { filename: 'form.txt', declaredType: 'text/plain' })).findings), [], `${JSON.stringify(text)}, chunks of ${size}`);
  }
});

t.test('Word check box content controls (w14:checkbox ☒, and w:sym) among 非密 and the levels', async (t) => {
  const opts = { filename: '审批单.docx', declaredType: DOCX };
  for (const box of [checkBox, symBox]) {
    const name = box === checkBox ? 'w14:checkbox' : 'w:sym';
    t.same(kinds((await inspectBytes(wordForm([['非密', false], ['机密', true], ['秘密', false]], box), {}, opts)).findings), ['classified-marking:机密'], `${name}: ☐非密 ☒机密 ☐秘密`);
    t.same(kinds((await inspectBytes(wordForm([['公开', false], ['内部', false], ['秘密', true]], box), {}, opts)).findings), ['classified-marking:秘密'], `${name}: ☐公开 ☐内部 ☒秘密`);
    t.same(kinds((await inspectBytes(wordForm([['非密', true], ['机密', false], ['秘密', false]], box), {}, opts)).findings), [], `${name}: ☒非密 ☐机密 ☐秘密`);
    t.same(kinds((await inspectBytes(wordForm([['非密', false], ['机密', false], ['秘密', false]], box), {}, opts)).findings), [], `${name}: none checked`);
  }
});

t.test('HTML check boxes and radio buttons among 非密, 公开 and the levels', async (t) => {
  const opts = { filename: '审批表.html', declaredType: 'text/html' };
  t.same(kinds((await inspectBytes(htmlBoxes('checkbox', ['非密', '机密', '秘密'], 1), {}, opts)).findings), ['classified-marking:机密'], 'check boxes, 机密 checked after 非密');
  t.same(kinds((await inspectBytes(htmlBoxes('radio', ['公开', '内部', '秘密', '机密'], 2), {}, opts)).findings), ['classified-marking:秘密'], 'radio, 秘密 checked after 公开 内部');
  t.same(kinds((await inspectBytes(htmlBoxes('radio', ['非密', '秘密', '机密'], 0), {}, opts)).findings), [], 'radio at 非密');
  t.same(kinds((await inspectBytes(htmlBoxes('checkbox', ['公开', '秘密', '机密'], null), {}, opts)).findings), [], 'check boxes, none checked');
  t.same(kinds((await inspectBytes(html('<p><input type="checkbox" checked> 本人已知悉信息的机密性要求</p><p>信息类别：<input type="checkbox" checked>商业秘密</p><p>密级：<input type="radio" checked>非密 <input type="radio">秘密</p>'), {}, opts)).findings), [], 'a consent box near 机密性, 商业秘密 ticked, 非密 chosen');
});

t.test('past the bound on label readings, a level after a label of a choice that is no level is a marking', async (t) => {
  const many = '密级：非密\n'.repeat(1100);
  t.same(kinds((await inspectBytes(many)).findings), [], '1,100 labels of 非密: none');
  t.same(kinds((await inspectBytes(`${many}密级：☐非密 ☑机密\n`)).findings), ['classified-marking:机密'], '…then ☐非密 ☑机密');
  t.same(kinds((await inspectBytes(`${many}${'\n'.repeat(1000)}国家秘密的密级分为绝密、机密、秘密三级。\n`)).findings), [], '…then, far below, prose naming the levels');
});
