// Word and RTF fields as Word shows them (seventh red team of 1 Dec): R2 saved as RTF (a legacy form's check
// box or drop-down in `{\*\formfield …}`), R23 RTF fields evaluated as docx's are (SYMBOL, QUOTE with no
// result), R11 fields that fetch text from the document itself (REF and a bare bookmark name, DOCVARIABLE from
// w:docVars, SET), R24 Word's 带圈字符 (EQ fields: `{eq \o\ac(○,机)}`). Each crossed before: the field's text was
// not rendered, so the marking or the id was read in pieces, or the level chosen not at all. Beside them,
// ordinary documents with fields (PAGE, TOC, HYPERLINK, MERGEFIELD, DATE, cross-references to headings, a
// variable holding a name, 带圈 numbers) and forms left blank stay clean.
import type { Sample } from './evasion-fixtures.js';
import { ID } from './evasion-fixtures.js';
import iconv from 'iconv-lite';
import { zip } from './inspect-fixtures.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const xml = (s: string): Buffer => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${s}`);

// ---- docx ----
const run = (t: string): string => `<w:r><w:t xml:space="preserve">${t}</w:t></w:r>`;
const para = (x: string): string => `<w:p>${x}</w:p>`;
/** A complex field: begin, its instruction (one instrText a piece), separate and its result when given, end. */
const fld = (instr: string | string[], result?: string): string =>
  `<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>${(Array.isArray(instr) ? instr : [instr]).map((i) => `<w:r><w:instrText xml:space="preserve">${i}</w:instrText></w:r>`).join('')}${result === undefined ? '' : `<w:r><w:fldChar w:fldCharType="separate"/></w:r>${run(result)}`}<w:r><w:fldChar w:fldCharType="end"/></w:r>`;
const mark = (id: number, name: string, inner: string): string => `<w:bookmarkStart w:id="${id}" w:name="${name}"/>${inner}<w:bookmarkEnd w:id="${id}"/>`;
const settings = (vars: Record<string, string>): { name: string; data: Buffer } => ({
  name: 'word/settings.xml',
  data: xml(`<w:settings xmlns:w="${W}"><w:zoom w:percent="100"/><w:docVars>${Object.entries(vars).map(([k, v]) => `<w:docVar w:name="${k}" w:val="${v}"/>`).join('')}</w:docVars></w:settings>`),
});
/** A docx of these paragraphs; `before` parts precede word/document.xml in the zip, `after` parts follow it (Word's order). */
const docx = (paras: string[], after: Array<{ name: string; data: Buffer }> = [], before: Array<{ name: string; data: Buffer }> = []): Buffer =>
  zip([...before, { name: 'word/document.xml', data: xml(`<w:document xmlns:w="${W}"><w:body>${paras.join('')}</w:body></w:document>`) }, ...after]);
const PROSE = '本通知自发布之日起施行，各单位应当认真组织学习，结合实际抓好贯彻落实。';
/** Paragraphs enough to put a bookmark past the markup reading's look-back (4 KiB) from the fields. */
const far = (): string[] => Array.from({ length: 60 }, () => para(run(PROSE)));
const d = (name: string, body: Buffer, expect: string): Sample => ({ name, filename: '通知.docx', type: DOCX, body, expect });

// ---- RTF ----
const RTF_HEAD = '{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\\pard\\f0 ';
/** GBK bytes as RTF writes them: \'hh each (ASCII as it is). */
const gbk = (s: string): string => [...iconv.encode(s, 'gbk')].map((x) => (x < 0x80 ? String.fromCharCode(x) : `\\'${x.toString(16)}`)).join('');
/** \uN? escapes, as Word writes characters outside the code page. */
const uni = (s: string): string => [...s].map((c) => (c.charCodeAt(0) < 0x80 ? c : `\\u${c.charCodeAt(0)}?`)).join('');
const rfld = (inst: string, result = ''): string => `{\\field{\\*\\fldinst ${inst}}{\\fldrslt ${result}}}`;
/** A legacy form field as Word saves it as RTF: the field's instruction holds its \formfield group. */
const formField = (kind: 'FORMCHECKBOX' | 'FORMDROPDOWN', ff: string, result = ''): string =>
  `{\\field\\flddirty{\\*\\fldinst {\\lang1024\\noproof ${kind} }{\\lang1024\\noproof {\\*\\datafield 650000001400000006436865636b31000000000000000000000000000000000000}{\\*\\formfield{${ff}{\\*\\ffname Check1}}}}}{\\fldrslt {\\lang1024\\noproof ${result}}}}`;
const check = (def: 0 | 1, res: 0 | 1 | 25 = 25): string => formField('FORMCHECKBOX', `\\fftype1\\ffres${res}\\fftypetxt0\\ffhps20\\ffdefres${def}`);
const dropdown = (entries: string[], res: number, def = 0): string => formField('FORMDROPDOWN', `\\fftype2\\ffres${res}\\fftypetxt0\\ffhaslistbox\\ffdefres${def}${entries.map((e) => `{\\*\\ffl ${gbk(e)}}`).join('')}`);
const rtf = (body: string): Buffer => Buffer.from(`${RTF_HEAD}${body}\\par}`, 'latin1');
const r = (name: string, body: string, expect: string): Sample => ({ name, filename: '通知.rtf', type: 'application/rtf', body: rtf(body), expect });

export function wordFieldSamples(): Sample[] {
  const levelsRtf = (boxes: [string, string, string]): string => `${gbk('密级：')}${boxes[0]}${gbk('绝密')} ${boxes[1]}${gbk('机密')} ${boxes[2]}${gbk('秘密')}`;
  return [
    // R23: RTF fields with no result, as Word fills them in on opening or printing.
    r('R23: RTF SYMBOL fields 26426, 23494, 9733 (\\u) with no result, then 10年', `${rfld('SYMBOL 26426 \\\\u')}${rfld('SYMBOL 23494 \\\\u')}${rfld('SYMBOL 9733 \\\\u')}10${gbk('年')}`, 'classified-marking'),
    r('R23: RTF QUOTE "机" QUOTE "密★10年" (\\u escapes), no result', `${rfld(`QUOTE "${uni('机')}"`)}${rfld(`QUOTE "${uni('密★10年')}"`)}`, 'classified-marking'),
    r('R23: RTF QUOTE fields in the code page\'s bytes (\\\'bb\\\'fa), no result', `${rfld(`QUOTE "${gbk('机')}"`)}${rfld(`QUOTE "${gbk('密★')}10${gbk('年')}"`)}`, 'classified-marking'),
    r('R23: an id in two RTF QUOTE fields (with the switch Word adds)', `${gbk('身份证号：')}${rfld(`QUOTE "${ID.slice(0, 9)}" \\\\* MERGEFORMAT`)}${rfld(`QUOTE "${ID.slice(9)}" \\\\* MERGEFORMAT`)}`, 'personal-data'),
    r('R23/R24: RTF 带圈字符 {eq \\\\o\\\\ac(○,机)}{eq \\\\o\\\\ac(○,密)}★10年', `${rfld(`eq \\\\o\\\\ac(${uni('○')},${uni('机')})`)}${rfld(`eq \\\\o\\\\ac(${uni('○')},${uni('密')})`)}${gbk('★')}10${gbk('年')}`, 'classified-marking'),
    // (Held before too: a field not evaluated is still read where it stands, its instruction among the text.)
    r('R23 guard: 机{ 密 }★10年, a field whose instruction is the marking\'s middle, not evaluated', `${gbk('机')}${rfld(gbk('密'))}${gbk('★')}10${gbk('年')}`, 'classified-marking'),
    // R2 as RTF: the form's state in \formfield.
    r('R2 RTF: 密级： FORMCHECKBOX fields, 机密 checked by \\ffdefres1 (\\ffres25: the default)', levelsRtf([check(0), check(1), check(0)]), 'classified-marking'),
    r('R2 RTF: 密级： FORMCHECKBOX fields, 机密 checked by \\ffres1 over a default of 0', levelsRtf([check(0, 0), check(0, 1), check(0, 0)]), 'classified-marking'),
    r('R2 RTF: 密级： FORMDROPDOWN of 绝密/机密/秘密, \\ffres1, no result written', `${gbk('密级：')}${dropdown(['绝密', '机密', '秘密'], 1)}`, 'classified-marking'),
    r('R2 RTF: 密级 then a FORMDROPDOWN of 非密/秘密/机密/绝密, \\ffres25 and \\ffdefres2', `${gbk('密级')} ${dropdown(['非密', '秘密', '机密', '绝密'], 25, 2)}`, 'classified-marking'),
    // R11 in RTF: bookmarks and document variables.
    r('R11 RTF: {REF head}{REF tail} to bookmarks further on', `${rfld('REF head \\\\h')}${rfld('REF tail \\\\h')}\\par ${gbk('第一章总则')}{\\*\\bkmkstart tail}${gbk('密★')}10${gbk('年')}{\\*\\bkmkend tail}\\par {\\*\\bkmkstart head}${gbk('机')}{\\*\\bkmkend head}`, 'classified-marking'),
    r('R11 RTF: {DOCVARIABLE firstpart}{DOCVARIABLE secondpart} with \\docvar groups', `{\\*\\docvar {secondpart}{${gbk('密★')}10${gbk('年')}}}{\\*\\docvar {firstpart}{${gbk('机')}}}${rfld('DOCVARIABLE firstpart')}${rfld('DOCVARIABLE secondpart')}`, 'classified-marking'),
    // R11 docx: fields that fetch text, no cached result.
    d('R11: {DOCVARIABLE firstpart}{DOCVARIABLE secondpart} = 机 + 密★10年 (w:docVars in settings.xml, after document.xml)', docx([para(fld(' DOCVARIABLE firstpart ') + fld(' DOCVARIABLE secondpart ')), para(run('正文'))], [settings({ firstpart: '机', secondpart: '密★10年' })]), 'classified-marking'),
    d('R11: DOCVARIABLE with settings.xml before document.xml, 密级：{DOCVARIABLE level}', docx([para(run('密级：') + fld(' DOCVARIABLE level \\* MERGEFORMAT ') + run('★10年'))], [], [settings({ level: '机密' })]), 'classified-marking'),
    d('R11: {REF head}{REF tail} to bookmarks far before', docx([para(mark(1, 'tail', run('密★10年')) + run('。')), ...far(), para(mark(2, 'head', run('机')) + run('关于工作的说明')), ...far(), para(fld(' REF head \\h ') + fld(' REF tail \\h '))]), 'classified-marking'),
    d('R11: {REF head}{REF tail} to bookmarks further on', docx([para(fld(' REF head \\h ') + fld(' REF tail \\h ')), ...far(), para(mark(1, 'tail', run('密★10年'))), ...far(), para(mark(2, 'head', run('机')) + run('关于工作的说明'))]), 'classified-marking'),
    d('R11: REF to bookmarks named _GoBack (the name of Word\'s empty bookmark) and tail, far before', docx([para(mark(1, '_GoBack', run('机')) + run('，')), ...far(), para(mark(2, 'tail', run('密★10年')) + run('。')), ...far(), para(fld(' REF _GoBack ') + fld(' REF tail '))]), 'classified-marking'),
    d('R11: bare bookmark fields { head }{ tail }', docx([para(mark(1, 'head', run('机')) + run('，')), ...far(), para(mark(2, 'tail', run('密★10年')) + run('。')), ...far(), para(fld(' head ') + fld(' tail '))]), 'classified-marking'),
    d('R11: {SET a "机"}{SET b "密★10年"} then {REF a}{REF b}', docx([para(fld(' SET a "机" ') + fld(' SET b "密★10年" ')), ...far(), para(fld(' REF a ') + fld(' REF b '))]), 'classified-marking'),
    d('R11: w:fldSimple REF fields to bookmarks further on', docx([para('<w:fldSimple w:instr=" REF head "/><w:fldSimple w:instr=" REF tail "/>'), ...far(), para(mark(1, 'head', run('机'))), ...far(), para(mark(2, 'tail', run('密★10年')))]), 'classified-marking'),
    d('R11: an id in two bookmarks, REF to each', docx([para(mark(1, 'a', run(ID.slice(0, 9)))), ...far(), para(mark(2, 'b', run(ID.slice(9)))), ...far(), para(run('身份证号：') + fld(' REF a ') + fld(' REF b '))]), 'personal-data'),
    // Past the bounds: a REF to a bookmark not kept (65 open at once, 64 followed) is a limit, not silence.
    d('R11 bound: REF fields to the 65th of 65 bookmarks open at once, further on', docx([para(fld(' REF b64 ') + fld(' REF tail ')), para(Array.from({ length: 65 }, (_, i) => `<w:bookmarkStart w:id="${i}" w:name="b${i}"/>`).join('') + run('机') + Array.from({ length: 65 }, (_, i) => `<w:bookmarkEnd w:id="${i}"/>`).join('')), ...far(), para(mark(99, 'tail', run('密★10年')))]), 'inspection-limit'),
    r('R11 bound (RTF): REF to the 65th of 65 bookmarks open at once, further on', `${rfld('REF b64')}${rfld('REF tail')}\\par ${Array.from({ length: 65 }, (_, i) => `{\\*\\bkmkstart b${i}}`).join('')}${gbk('机')}${Array.from({ length: 65 }, (_, i) => `{\\*\\bkmkend b${i}}`).join('')}\\par ${gbk(PROSE.repeat(40))}\\par {\\*\\bkmkstart tail}${gbk('密★')}10${gbk('年')}{\\*\\bkmkend tail}`, 'inspection-limit'),
    // R24: 带圈字符, an EQ field a character.
    d('R24: 带圈字符 {eq \\o\\ac(○,机)}{eq \\o\\ac(○,密)}★10年', docx([para(fld(' eq \\o\\ac(○,机)') + fld(' eq \\o\\ac(○,密)') + run('★10年'))]), 'classified-marking'),
    d('R24: {EQ \\o(机,)}{EQ \\o(密,)}★10年', docx([para(fld(' EQ \\o(机,)') + fld(' EQ \\o(密,)') + run('★10年'))]), 'classified-marking'),
    d('R24: 带圈字符 as Word writes it, the circle in a run of its own (增大圈号: \\s\\up)', docx([para(fld([' eq \\o\\ac(', '○', ',\\s\\up 1(机))']) + fld([' eq \\o\\ac(', '○', ',\\s\\up 1(密))']) + run('★10年'))]), 'classified-marking'),
    d('R24: 带圈字符 with ◇ and △ enclosures', docx([para(fld(' eq \\o\\ac(◇,机)') + fld(' eq \\o\\ac(△,密)') + run('★10年'))]), 'classified-marking'),
  ];
}

export function wordFieldCleanSamples(): Sample[] {
  const levelsRtf = (boxes: [string, string, string]): string => `${gbk('密级：')}${boxes[0]}${gbk('绝密')} ${boxes[1]}${gbk('机密')} ${boxes[2]}${gbk('秘密')}`;
  const heading = (id: number, name: string, text: string): string => `<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr>${mark(id, name, run(text))}</w:p>`;
  return [
    d('R11 clean: a report with PAGE, NUMPAGES, a TOC, DATE, MERGEFIELD and cross-references to headings', docx([
      para(fld(' TOC \\o "1-3" \\h \\z \\u ', '第一章 总则')),
      para(fld(' HYPERLINK \\l "_Toc1" ', '第一章 总则') + fld(' PAGEREF _Toc1 \\h ', '1')),
      heading(1, '_Toc1', '第一章 总则'),
      para(run('尊敬的') + fld(' MERGEFIELD 姓名 ', '«姓名»') + run('：详见') + fld(' REF _Ref2 \\h ') + run('，第') + fld(' REF _Ref2 \\r \\h ', '2') + run('节。')),
      ...far().slice(0, 5),
      heading(2, '_Ref2', '第二章 机构与职责'),
      para(run('请参阅') + fld(' REF _Toc1 \\h ') + run('。') + fld(' DATE \\@ "yyyy年M月d日" ', '2026年12月1日')),
      para(run('第 ') + fld(' PAGE ', '1') + run(' 页 共 ') + fld(' NUMPAGES ', '3') + run(' 页')),
    ]), ''),
    d('R11 clean: DOCVARIABLE fields holding a name and a date (w:docVars)', docx([para(run('经办人：') + fld(' DOCVARIABLE handler ') + run(' 日期：') + fld(' DOCVARIABLE when '))], [settings({ handler: '张三', when: '2026年12月1日' })]), ''),
    d('R11 clean: REF to bookmarks 商业 + 秘密 (商业秘密 is no marking)', docx([para(mark(1, 'a', run('商业'))), para(mark(2, 'b', run('秘密'))), para(run('保护') + fld(' REF a ') + fld(' REF b ') + run('是企业的责任。'))]), ''),
    d('R24 clean: 带圈 numbers {eq \\o\\ac(○,1)}… and a fraction {eq \\f(1,2)}', docx([para(fld(' eq \\o\\ac(○,1)') + run('准备材料 ') + fld(' eq \\o\\ac(○,2)') + run('提交审批 ') + fld(' eq \\f(1,2)') + run('的经费'))]), ''),
    d('R24 clean: 带圈 {eq \\o\\ac(○,机)}{eq \\o\\ac(○,密)}性 (机密性 is no marking)', docx([para(run('数据的') + fld(' eq \\o\\ac(○,机)') + fld(' eq \\o\\ac(○,密)') + run('性和完整性'))]), ''),
    r('R23 clean: an RTF letter with PAGE, a HYPERLINK and a DATE field with their results', `${gbk('通知')}\\par ${rfld('HYPERLINK "https://www.gov.cn/"', 'www.gov.cn')}\\par ${rfld('DATE \\\\@ "yyyy-MM-dd"', '2026-12-01')}\\par ${gbk('第')}${rfld('PAGE', '1')}${gbk('页')}`, ''),
    r('R23 clean: RTF 带圈 numbers and a SYMBOL star before an ordinary line', `${rfld(`eq \\\\o\\\\ac(${uni('○')},1)`)}${gbk('通知')} ${rfld('SYMBOL 171 \\\\f "Wingdings"')} ${gbk('见第一章总则')}`, ''),
    r('R2 RTF clean: the blank form, no level checked', levelsRtf([check(0), check(0), check(0)]), ''),
    r('R2 RTF clean: 机密 unchecked by \\ffres0 over a default of 1', levelsRtf([check(0, 0), check(1, 0), check(0, 0)]), ''),
    r('R2 RTF clean: a drop-down of levels left at 非密', `${gbk('密级：')}${dropdown(['非密', '秘密', '机密', '绝密'], 25, 0)}`, ''),
    d('R11 clean: 70 bookmarks open at once around a heading, no field fetching them', docx([para(Array.from({ length: 70 }, (_, i) => `<w:bookmarkStart w:id="${i}" w:name="_Hlk${i}"/>`).join('') + run('第一章 总则') + Array.from({ length: 70 }, (_, i) => `<w:bookmarkEnd w:id="${i}"/>`).join('')), para(run('见') + fld(' REF _Hlk1 \\h ', '第一章 总则'))]), ''),
    r('R11 RTF clean: a bookmark and a REF to a heading', `{\\*\\bkmkstart _Ref1}${gbk('第一章总则')}{\\*\\bkmkend _Ref1}\\par ${gbk('见')}${rfld('REF _Ref1 \\\\h')}`, ''),
  ];
}
