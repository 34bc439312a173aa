// Word legacy form fields (seventh red team of 1 Dec, R2): `密级：` then FORMCHECKBOX fields with the 机密 one
// checked, or a FORMDROPDOWN whose result is 机密. Word shows ☒机密 / 机密; the field's state was not rendered,
// so the level-choice reading saw a list of levels with no box (none chosen) and the marking crossed. Beside
// them: the blank form (no box checked) and a drop-down left at 非密 stay clean.
import type { Sample } from './evasion-fixtures.js';
import { docxOf } from './markup-fixtures.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const run = (t: string): string => `<w:r><w:t xml:space="preserve">${t}</w:t></w:r>`;
const field = (ffData: string, instr: string): string =>
  `<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="F"/><w:enabled/><w:calcOnExit w:val="0"/>${ffData}</w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> ${instr} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`;
/** A check box: `default` its w:default, `checked` a w:checked element when given. */
const box = (def: boolean, checked?: boolean): string =>
  field(`<w:checkBox><w:sizeAuto/><w:default w:val="${def ? 1 : 0}"/>${checked === undefined ? '' : checked ? '<w:checked/>' : '<w:checked w:val="0"/>'}</w:checkBox>`, 'FORMCHECKBOX');
const dropdown = (entries: string[], result: number | null): string =>
  field(`<w:ddList>${result === null ? '' : `<w:result w:val="${result}"/>`}${entries.map((e) => `<w:listEntry w:val="${e}"/>`).join('')}</w:ddList>`, 'FORMDROPDOWN');
const levels = (boxes: [string, string, string]): string => `${run('密级：')}${boxes[0]}${run('绝密 ')}${boxes[1]}${run('机密 ')}${boxes[2]}${run('秘密')}`;
const form = (name: string, body: string, expect: string): Sample => ({ name, filename: '审批单.docx', type: DOCX, body: docxOf(`${body}</w:p><w:p>${run('关于加强安全管理的通知')}`), expect });

export function wordFormSamples(): Sample[] {
  return [
    form('R2: 密级： FORMCHECKBOX fields, 机密 checked by w:default', levels([box(false), box(true), box(false)]), 'classified-marking'),
    form('R2: 密级： FORMCHECKBOX fields, 机密 checked by w:checked over a default of 0', levels([box(false), box(false, true), box(false)]), 'classified-marking'),
    form('R2: 密级： FORMDROPDOWN, result 1 = 机密', `${run('密级：')}${dropdown(['绝密', '机密', '秘密'], 1)}`, 'classified-marking'),
    form('R2: 密级 then a FORMDROPDOWN of 非密/秘密/机密/绝密, result 2', `${run('密级 ')}${dropdown(['非密', '秘密', '机密', '绝密'], 2)}`, 'classified-marking'),
  ];
}

export function wordFormCleanSamples(): Sample[] {
  return [
    form('R2 clean: the blank form, no level checked', levels([box(false), box(false), box(false)]), ''),
    form('R2 clean: 机密 unchecked by w:checked over a default of 1', levels([box(false), box(true, false), box(false)]), ''),
    form('R2 clean: a drop-down left at 非密', `${run('密级：')}${dropdown(['非密', '秘密', '机密', '绝密'], null)}`, ''),
    form('R2 clean: a consent check box checked', `${box(true)}${run('本人同意上述条款')}`, ''),
  ];
}
