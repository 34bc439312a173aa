// A 保密管理制度's heading `三、密级` and the next line's prose `机密级文件由专人保管…` (red team 1 Dec (c) G9):
// no label and its value. Beside it, a form's value on the next line stays a marking.
import { docxOf } from './table-cell-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const RULES = ['三、密级', '机密级文件由专人保管，绝密级文件由主要负责人指定专人保管。'];
const para = (t: string): string => `<w:p><w:r><w:t>${t}</w:t></w:r></w:p>`;

export function headingLevelCleanSamples(): Sample[] {
  return [
    { name: '保密管理制度: heading 三、密级, then 机密级文件… (text)', filename: '保密管理制度.txt', type: 'text/plain', body: Buffer.from(`保密管理制度\n${RULES.join('\n')}\n`), expect: '' },
    { name: '保密管理制度 as docx paragraphs', filename: '保密管理制度.docx', type: DOCX, body: docxOf(para('保密管理制度') + RULES.map(para).join('')), expect: '' },
    { name: 'heading 密级, then 机密级的文件…', filename: 'rules.txt', type: 'text/plain', body: Buffer.from('第五条 密级\n机密级的文件不得擅自复制。\n'), expect: '' },
  ];
}

export function headingLevelSamples(): Sample[] {
  const text = (name: string, body: string): Sample => ({ name, filename: 'form.txt', type: 'text/plain', body: Buffer.from(`审批单\n${body}`), expect: 'classified-marking' });
  return [
    text('密级： then 机密 on the next line (a form)', '密级：\n机密\n'),
    text('密级 then 机密★10年 on the next line', '密级\n机密★10年\n'),
    text('密级： then 机密级文件 on the next line (a colon: a form)', '密级：\n机密级文件\n'),
    text('密级 then 机密级 alone on the next line', '密级\n机密级\n'),
    { name: 'docx: 密级 then 机密 in the next paragraph', filename: 'form.docx', type: DOCX, body: docxOf(para('密级') + para('机密')), expect: 'classified-marking' },
  ];
}
