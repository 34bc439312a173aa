import t from 'tap';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';

// Review13 (2 Dec), what was left of LaTeX: category codes the document changes. `\catcode`\|=0` makes `|mbox{}`
// a command, `\catcode`\Q=9` has TeX ignore every Q between the characters of a marking, `\catcode`\Q=14` makes Q
// a comment, `\catcode`\<=1` a brace, `\catcode`\Q=13` Q a macro defined as 密: the readings of LaTeX knew TeX's
// standard codes only, and the marking crossed. Read now with the text written in the standard codes
// (gateway/inspect/markup/latex-catcodes.ts, in the view `(latex expanded)`); a change not modelled (the
// character given by a register) before a 密 is `inspection-limit:latex-catcode`. \makeatletter, \obeylines, expl3
// and package code that makes characters other stay clean.
t.setTimeout(120_000);

const FILLER = '这是一段普通的正文，用于填充篇幅，与密级无关的说明文字。'.repeat(40) + '\n';
const tex = (preamble: string, body: string): Buffer =>
  Buffer.from(`\\documentclass[UTF8]{ctexart}\n\\usepackage{amssymb}\n${preamble}\n\\begin{document}\n\\section{关于年度工作的通知}\n${FILLER}各单位：\n\n${body}\n\n${FILLER}请按时报送。\n\\end{document}\n`);
const opts = { filename: 'notice.tex', declaredType: 'application/x-tex' };

const marked: Array<[string, string, string]> = [
  ['| made an escape: |relax between', '\\catcode`\\|=0', '文件密级：机|relax 密★10年'],
  ['| made an escape: |mbox{}', '\\catcode`\\|=0 ', '文件密级：机|mbox{}密$\\bigstar$10年'],
  ['Q ignored (catcode 9)', '\\catcode`\\Q=9', '文件密级：机QQQ密★10年'],
  ['a Chinese character ignored', '\\catcode`\\商=9', '文件密级：机商密★10年'],
  ['the code in hexadecimal and by its number', '\\catcode"51=9 \\catcode 90=9', '文件密级：机QZ密★10年'],
  ['Q a comment (catcode 14)', '\\catcode`\\Q=14', '文件密级：机Q商业\n密★10年'],
  ['< and > braces', '\\catcode`\\<=1 \\catcode`\\>=2', '文件密级：机\\textcolor<white><商业>密★10年'],
  ['Q active, defined as 密', '\\catcode`\\Q=\\active \\defQ{密}', '文件密级：机Q★10年'],
  ['Q active, \\def in the body', '', '\\catcode`\\Q=13 \\defQ{密}文件密级：机Q★10年'],
  ['expl3: \\char_set_catcode_ignore:N', '\\ExplSyntaxOn\\char_set_catcode_ignore:N Q\\ExplSyntaxOff', '文件密级：机QQ密★10年'],
  ['a \\global change outlives its group', '{\\global\\catcode`\\Q=9 }', '文件密级：机QQQ密★10年'],
  ['the escape itself by caret notation', '\\catcode`\\^^7c=0', '文件密级：机|relax 密★10年'],
];

t.test('a marking read otherwise under changed category codes is refused', async (t) => {
  for (const [name, pre, body] of marked) {
    const k = kinds((await inspectBytes(tex(pre, body), {}, opts)).findings);
    t.ok(k.some((x) => x.startsWith('classified-marking')), `${name}: ${k.join(', ')}`);
  }
});

t.test('the same cut into chunks of 23 bytes', async (t) => {
  for (const [name, pre, body] of marked.filter((_m, i) => i % 3 === 0)) {
    const k = kinds((await inspectChunks(chunksOf(tex(pre, body), 23), {}, opts)).findings);
    t.ok(k.some((x) => x.startsWith('classified-marking')), `${name}: ${k.join(', ')}`);
  }
});

t.test('a change not modelled before a 密 is inspection-limit', async (t) => {
  for (const [name, pre] of [
    ['the character by a register', '\\makeatletter\\count@=81 \\catcode\\count@=9 \\makeatother'],
    ['the code by a macro', '\\def\\ign{9}\\catcode`\\Q=\\ign'],
  ]) {
    const k = kinds((await inspectBytes(tex(pre!, '文件密级：机QQ密★10年'), {}, opts)).findings);
    t.ok(k.includes('inspection-limit:latex-catcode') || k.some((x) => x.startsWith('classified-marking')), `${name}: ${k.join(', ')}`);
    t.ok(k.includes('inspection-limit:latex-catcode'), `${name}: limit: ${k.join(', ')}`);
  }
});

t.test('ordinary LaTeX with category code changes stays clean', async (t) => {
  const clean: Array<[string, string, string]> = [
    ['\\makeatletter and \\catcode`\\@=11 around 商业秘密', '\\makeatletter\\catcode`\\@=11 \\def\\th@x{\\@tempa}\\catcode`\\@=12 \\makeatother', '商业秘密与工作秘密的保护，\\verb|x@y| 10 年。'],
    ['\\obeylines and an active end of line', '{\\catcode`\\^^M=13 \\gdef\\myobey{\\catcode`\\^^M=13 \\def^^M{\\par}}}', '{\\obeylines 保密协议\n第二条 商业秘密\n}10 年。'],
    ['package code making specials other in a loop', '\\makeatletter\\def\\sanitize{\\count@=128 \\loop\\catcode\\count@=12 \\advance\\count@ 1 \\ifnum\\count@<256 \\repeat\\let\\do\\@makeother\\dospecials}\\makeatother', '\\sanitize 机密性评估与商业秘密 10 年。'],
    ['a saved and restored code', '\\edef\\restorebar{\\catcode`\\noexpand\\|=\\the\\catcode`\\|}\\catcode`\\|=12 \\restorebar', '机密性|商业秘密|保密协议 10 年。'],
    ['expl3 syntax around 工作秘密', '\\ExplSyntaxOn\\cs_new:Npn \\my_fn:n #1 { #1 }\\char_set_catcode_other:N \\~\\ExplSyntaxOff', '工作秘密的保护\\ifnum\\catcode`\\~=13 ~\\fi 10 年。'],
    ['a change not modelled, ended with its group before any 密', '\\makeatletter{\\count@=81 \\catcode\\count@=9 }\\makeatother', '机密性评估与商业秘密 10 年。'],
    ['a local escape ended with its group', '{\\catcode`\\|=0 |gdef|bar{——}}', '商业|bar 秘密与保密|relax 协议 10 年。'],
  ];
  for (const [name, pre, body] of clean) t.same(kinds((await inspectBytes(tex(pre, body), {}, opts)).findings), [], name);
});
