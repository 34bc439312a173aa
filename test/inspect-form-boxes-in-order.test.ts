// A 密级 field of one level and 非密, 非密 ticked (ninth red team): `密级：<input type="checkbox">机密 <input
// type="checkbox" checked>非密` read with its tags removed (the view in storage order) was `密级：机密 非密`, the
// one level the label's value, and the form was refused classified-marking:机密; so was a Word form whose boxes
// are symbols (w:sym). The rendered view had the boxes; the view in storage order now puts them too (text-views.ts
// formBox), where a choice may follow (not inside a word: 机<w:sym/>密 stays one word). The level ticked, the
// same forms read as plain text, and a marking split by a symbol are still found.
import t from 'tap';
import { docx, inspectBytes, kinds } from './inspect-fixtures.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const HTML = { filename: '审批表.html', declaredType: 'text/html' };
const WORD = { filename: '审批单.docx', declaredType: DOCX };
const page = (body: string): Buffer => Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>审批表</title></head><body><h1>审批表</h1>${body}<p>关于加强安全管理的通知</p></body></html>`);
const boxes = (type: string, choices: string[], checked: number | null): Buffer =>
  page(`<p>密级：${choices.map((w, k) => `<input type="${type}" name="mj" id="l${k}"${k === checked ? ' checked' : ''}><label for="l${k}">${w}</label> `).join('')}</p>`);
const cells = (choices: string[], checked: number | null): Buffer =>
  page(`<table><tr><td>密级</td><td>${choices.map((w, k) => `<input type="checkbox"${k === checked ? ' checked="checked"' : ''}/>${w}`).join('&nbsp;')}</td></tr></table>`);
/** A Word symbol box (w:sym) before each choice, ☒ (2612) ticked or ☐ (2610), or Wingdings 2's R and £. */
const sym = (on: boolean, font = 'MS Gothic'): string =>
  `</w:t></w:r><w:r><w:sym w:font="${font}" w:char="${font === 'Wingdings 2' ? (on ? 'F052' : 'F0A3') : on ? '2612' : '2610'}"/></w:r><w:r><w:t>`;
const word = (choices: Array<[string, boolean]>, font?: string): Buffer => docx(['密级：', ...choices.map(([w, on]) => `${sym(on, font)}${w} `)]);

t.test('one level and 非密, 非密 ticked or nothing ticked: clean', async (t) => {
  for (const type of ['checkbox', 'radio']) {
    for (const level of ['机密', '秘密', '绝密']) {
      t.same(kinds((await inspectBytes(boxes(type, [level, '非密'], 1), {}, HTML)).findings), [], `HTML ${type}: ☐${level} ☑非密`);
    }
    t.same(kinds((await inspectBytes(boxes(type, ['机密', '非密'], null), {}, HTML)).findings), [], `HTML ${type}: nothing ticked`);
  }
  t.same(kinds((await inspectBytes(cells(['机密', '非密'], 1), {}, HTML)).findings), [], 'HTML, the label in a cell of its own');
  for (const font of ['MS Gothic', 'Wingdings 2']) {
    t.same(kinds((await inspectBytes(word([['机密', false], ['非密', true]], font), {}, WORD)).findings), [], `docx w:sym (${font}): ☐机密 ☒非密`);
    t.same(kinds((await inspectBytes(word([['绝密', false], ['非密', false]], font), {}, WORD)).findings), [], `docx w:sym (${font}): nothing ticked`);
  }
});

t.test('the level ticked, the form as plain text, a marking split by a symbol: still found', async (t) => {
  for (const type of ['checkbox', 'radio']) {
    t.same(kinds((await inspectBytes(boxes(type, ['机密', '非密'], 0), {}, HTML)).findings), ['classified-marking:机密'], `HTML ${type}: ☑机密 ☐非密`);
  }
  t.same(kinds((await inspectBytes(cells(['机密', '非密'], 0), {}, HTML)).findings), ['classified-marking:机密'], 'HTML, the label in a cell of its own, ☑机密');
  for (const font of ['MS Gothic', 'Wingdings 2']) {
    t.same(kinds((await inspectBytes(word([['机密', true], ['非密', false]], font), {}, WORD)).findings), ['classified-marking:机密'], `docx w:sym (${font}): ☒机密 ☐非密`);
  }
  t.same(kinds((await inspectBytes(page('<p>密级：机密 非密</p>'), {}, HTML)).findings), ['classified-marking:机密'], 'HTML with no boxes: 密级：机密 非密');
  t.same(kinds((await inspectBytes(page('<p>密级：机<input type="checkbox">密★10年</p>'), {}, HTML)).findings), ['classified-marking:机密'], 'a check box inside the level word');
  t.same(kinds((await inspectBytes(docx(['机', `${sym(false)}密★10年`]), {}, WORD)).findings), ['classified-marking:机密'], 'a w:sym box inside the level word');
});
