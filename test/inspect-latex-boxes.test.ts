import t from 'tap';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';

// Review13 (2 Dec, probes/review13/latex-probe.mjs): ways through the reading of LaTeX as typeset. TeX's caret
// notation (`^^^^5bc6` is 密 in XeTeX, `^^e5^^af^^86` its UTF-8 bytes in pdfTeX) was not undone; boxes show their
// text but the reading kept their sizes and positions as text (`\raisebox{1pt}{密}` read 1pt密, `\makebox[1em][l]`
// kept [l], `\hbox to 1em{}` kept `to 1em`); a saved box (`\sbox{\bx}{密}`) prints where `\usebox` uses it; and
// text a reader does not see (white, in a box as black as it, under a point, transparent, in a conditional's
// branch) split the marking in the source only. Read now: carets undone (markup/latex-carets.ts), saved boxes read as macros (latex-macros.ts), boxes'
// arguments dropped and their text read in place (latex-shown.ts), and each window read both as it stands and
// without what may be unseen (latex-unseen.ts). A thesis with boxes and colours, 商业秘密, 保密协议, 机密性 stay clean.
t.setTimeout(120_000);

const FILLER = '这是一段普通的正文，用于填充篇幅，与密级无关的说明文字。'.repeat(40) + '\n';
const tex = (body: string, preamble = ''): Buffer =>
  Buffer.from(`\\documentclass[UTF8]{ctexart}\n\\usepackage{amssymb,xcolor}\n${preamble}\n\\begin{document}\n\\section{关于年度工作的通知}\n${FILLER}各单位：\n\n文件密级：${body}\n\n${FILLER}请按时报送。\n\\end{document}\n`);
const opts = { filename: 'notice.tex', declaredType: 'application/x-tex' };

const marked: Array<[string, string, string?]> = [
  ['^^^^ and four hex digits (XeTeX, LuaTeX)', '机^^^^5bc6★10年'],
  ['both characters by ^^^^', '^^^^673a^^^^5bc6$\\bigstar$10年'],
  ['^^^^^^ and six hex digits', '机^^^^^^005bc6★10年'],
  ['^^ bytes of UTF-8 (pdfTeX with inputenc)', '机^^e5^^af^^86★10年'],
  ['机 by ^^ bytes, 密 as it is', '^^e6^^9c^^ba密★10年'],
  ['carets in a command name (\\d^^65f is \\def)', '机\\x★10年', '\\d^^65f\\x{密}'],
  ['\\raisebox{1pt}{密}', '机\\raisebox{1pt}{密}★10年'],
  ['\\raisebox with height and depth', '机\\raisebox{-0.2ex}[0pt][0pt]{密}$\\bigstar$10年'],
  ['\\makebox[1em][l]{密}', '机\\makebox[1em][l]{密}★10年'],
  ['\\framebox[2em][c]{机}', '\\framebox[2em][c]{机}密★10年'],
  ['\\hbox to 1em{}', '机\\hbox to 1em{}密★10年'],
  ['\\hbox spread with \\hss', '机\\hbox spread 2pt{\\hss}密★10年'],
  ['\\hbox to a register', '机\\hbox to 0.1\\linewidth{密}★10年'],
  ['\\lower1pt\\hbox{密}', '机\\lower1pt\\hbox{密}★10年'],
  ['\\parbox[t]{2em}{密}', '机\\parbox[t]{2em}{密}★10年'],
  ['\\scalebox{1.2}{密}', '机\\scalebox{1.2}{密}★10年'],
  ['\\resizebox{1em}{!}{密}', '机\\resizebox{1em}{!}{密}★10年'],
  ['\\rotatebox[origin=c]{0}{密}', '机\\rotatebox[origin=c]{0}{密}★10年'],
  ['\\vrule width 0pt height 1em', '机\\vrule width 0pt height 1em\\relax 密★10年'],
  ['\\penalty10000', '机\\penalty10000 密★10年'],
  ['\\verb|机|', '\\verb|机|密★10年'],
  ['\\textcolor{white}{商业}', '机\\textcolor{white}{商业}密★10年'],
  ['{\\color{white} 商业}', '机{\\color{white} 商业}密★10年'],
  ['\\color{white} up to \\color{black}', '机\\color{white}商业\\color{black}密★10年'],
  ['\\textcolor[rgb]{1,1,1}', '机\\textcolor[rgb]{1,1,1}{商业}密★10年'],
  ['\\textcolor[HTML]{FFFFFF}', '机\\textcolor[HTML]{FFFFFF}{商业}密★10年'],
  ['\\textcolor[gray]{0.99}', '机\\textcolor[gray]{0.99}{商业}密★10年'],
  ['xcolor black!3 (3% black on white)', '机\\textcolor{black!3}{商业}密★10年'],
  ['a colour the document defines', '机\\textcolor{paper}{商业}密★10年', '\\definecolor{paper}{rgb}{1,1,1}'],
  ['\\colorbox{black}{商业} (black on black)', '机\\colorbox{black}{商业}密★10年'],
  ['\\iffalse … \\fi', '机\\iffalse 商业\\ifx\\a\\b 秘书\\fi\\fi 密★10年'],
  ['the comment environment', '机\\begin{comment}商业\\end{comment}密★10年'],
  ['\\ifnum1=0 … \\fi (a branch not known to be taken)', '机\\ifnum1=0 商业\\fi 密★10年'],
  ['\\iftrue\\else … \\fi', '机\\iftrue\\else 商业\\fi 密★10年'],
  ['密 in the branch taken: \\ifnum1=1 密\\else 商业\\fi', '机\\ifnum1=1 密\\else 商业\\fi★10年'],
  ['密 in a \\newif branch', '机\\ifdraft\\relax 密\\else 商\\fi★10年', '\\newif\\ifdraft\\drafttrue'],
  ['密 in \\iffalse\\else', '机\\iffalse 商\\else 密\\fi★10年'],
  ['密 in an \\ifx branch', '机\\ifx\\a\\a 密\\fi★10年'],
  ['a \\newif conditional', '机\\ifdraft 商业\\fi 密★10年', '\\newif\\ifdraft'],
  ['{\\transparent{0} 商业}', '机{\\transparent{0}商业}密★10年'],
  ['\\texttransparent{0}{商业}', '机\\texttransparent{0}{商业}密★10年'],
  ['type under a point: \\fontsize{0.1pt}', '机{\\fontsize{0.1pt}{0pt}\\selectfont 商业}密★10年'],
  ['\\scalebox{0.01}{商业}', '机\\scalebox{0.01}{商业}密★10年'],
  ['\\resizebox{0.1pt}{!}{商业}', '机\\resizebox{0.1pt}{!}{商业}密★10年'],
  ['a footnote between the characters', '机\\footnote[3]{商业}密★10年'],
  ['a margin note between the characters', '机\\marginpar{商业}密★10年'],
  ['a saved box: lrbox', '机\\usebox{\\bx}★10年', '\\newsavebox{\\bx}\\begin{lrbox}{\\bx}\\raisebox{1pt}{密}\\end{lrbox}'],
  ['a saved box: \\sbox and \\usebox', '机\\usebox{\\bx}★10年', '\\newsavebox{\\bx}\\sbox{\\bx}{密}'],
  ['a saved box: \\setbox and \\box', '机\\box\\bx ★10年', '\\newsavebox\\bx\\setbox\\bx=\\hbox{\\raisebox{1pt}{密}}'],
];

t.test('a marking split by boxes, unseen text or caret notation is refused', async (t) => {
  for (const [name, body, pre] of marked) {
    const k = kinds((await inspectBytes(tex(body, pre), {}, opts)).findings);
    t.ok(k.some((x) => x.startsWith('classified-marking')), `${name}: ${k.join(', ')}`);
  }
});

t.test('the same cut into chunks of 29 bytes', async (t) => {
  for (const [name, body, pre] of marked.filter((_m, i) => i % 4 === 0)) {
    const b = tex(body, pre);
    const chunks: Buffer[] = [];
    for (let i = 0; i < b.length; i += 29) chunks.push(b.subarray(i, i + 29));
    const k = kinds((await inspectChunks(chunks, {}, opts)).findings);
    t.ok(k.some((x) => x.startsWith('classified-marking')), `${name}: ${k.join(', ')}`);
  }
});

t.test('ordinary LaTeX with boxes, colours and carets stays clean', async (t) => {
  const clean: Array<[string, string, string?]> = [
    ['a thesis on 机密性 with \\raisebox and \\textcolor', '数据的\\raisebox{0.5ex}{\\textbf{机密性}}与完整性，\\textcolor{red}{商业秘密}受法律保护，$x \\in \\mathbb{R}$，\\makebox[3em][l]{注}10年内有效。'],
    ['white text beside 机密性', '数据的机密性\\textcolor{white}{x}与可用性{\\color{white} 隐}同等重要，评分$\\bigstar$ 10 分。'],
    ['a contract: 保密协议 in boxes, a draft under \\iffalse', '\\framebox[6em][c]{保密协议}\\iffalse 草稿\\fi 第一条：\\colorbox{yellow}{工作秘密}不得泄露，期限\\hbox to 2em{\\hss 10\\hss}年。'],
    ['商业秘密 in a black box with white text', '侵犯\\colorbox{black}{\\textcolor{white}{商业秘密}}的行为 3 起。'],
    ['商业秘密 by ^^^^', '^^^^5546^^^^4e1a^^^^79d8^^^^5bc6的保护期限为 10 年。'],
    ['a macro package with \\catcode`\\^^M', '\\begingroup\\catcode`\\^^M=13 保密协议第二条\\endgroup', '\\def\\nl{\\catcode`\\^^M=12}'],
    ['conditionals, scaled and sized text around 商业秘密', '\\ifthenelse{\\equal{a}{b}}{草稿}{定稿}：\\scalebox{0.8}{商业秘密}与{\\fontsize{12pt}{14pt}\\selectfont 保密协议}\\ifdefined\\x 附件\\fi，{\\transparent{0.5}机密性}评估 10 年。', '\\usepackage{ifthen,graphicx,transparent}'],
    ['footnotes after 商业秘密 and 机密性', '商业秘密\\footnote{见《反不正当竞争法》第九条。}与数据的机密性\\marginpar{注}同等重要，$\\bigstar$ 10 分。'],
    ['set-up with lengths and penalties', '{\\parindent=0pt \\baselineskip 14pt \\penalty10000 机密性评估报告}，\\verb|x_1| 为变量。'],
  ];
  for (const [name, body, pre] of clean) t.same(kinds((await inspectBytes(tex(body, pre), {}, opts)).findings), [], name);
});
