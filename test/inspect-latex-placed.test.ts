import t from 'tap';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';

// Review13 (2 Dec), what was left of LaTeX: characters drawn in another order than they stand in the source, by
// a box of no width (`\rlap{\kern1em 密}机\kern1em ★10年` prints 机密★10年: 密 stands first, is drawn second) or a
// negative space (`\kern1em 密\kern-2em 机`), and a marking in a later branch of an `\ifcase` (only the first was
// read) or in the else branch of a test. Read now in the order drawn (gateway/inspect/markup/latex-placed.ts; a
// negative space not known puts what it moves in each gap before it) and with each branch taken
// (latex-conditionals.ts). Ordinary LaTeX with \rlap in math, \llap in tables, \ifcase in date macros stays clean.
t.setTimeout(120_000);

const FILLER = '这是一段普通的正文，用于填充篇幅，与密级无关的说明文字。'.repeat(40) + '\n';
const tex = (body: string, preamble = ''): Buffer =>
  Buffer.from(`\\documentclass[UTF8]{ctexart}\n\\usepackage{amssymb,mathtools}\n${preamble}\n\\begin{document}\n\\section{关于年度工作的通知}\n${FILLER}各单位：\n\n${body}\n\n${FILLER}请按时报送。\n\\end{document}\n`);
const opts = { filename: 'notice.tex', declaredType: 'application/x-tex' };

const marked: Array<[string, string, string?]> = [
  ['\\rlap: 密 drawn after 机', '文件密级：\\rlap{\\kern1em 密}机\\kern1em ★10年'],
  ['\\rlap with \\hspace', '文件密级：\\rlap{\\hspace{1em}密}机\\hspace{1em}★10年'],
  ['\\llap: 机 drawn before 密', '文件密级：密\\llap{机\\kern1em}★10年'],
  ['\\clap', '文件密级：\\clap{\\kern3em 密}机\\kern1em ★10年'],
  ['\\mathrlap in math', '文件密级：$\\mathrlap{\\kern1em\\text{密}}$机\\kern1em ★10年'],
  ['\\makebox[0pt][l]', '文件密级：\\makebox[0pt][l]{\\hspace{1em}密}机\\hspace{1em}★10年'],
  ['\\makebox[0pt][r]', '文件密级：密\\makebox[0pt][r]{机\\hspace{1em}}★10年'],
  ['\\hbox to 0pt with \\hss', '文件密级：\\hbox to 0pt{\\hskip1em 密\\hss}机\\hskip1em ★10年'],
  ['\\hbox to\\z@ (LaTeX\'s zero)', '文件密级：\\hbox to\\z@{\\hskip1em 密\\hss}机\\hskip1em ★10年'],
  ['\\makebox[\\z@][l]', '文件密级：\\makebox[\\z@][l]{\\hskip1em 密}机\\hskip1em ★10年'],
  ['\\kern-2em between', '文件密级：\\kern1em 密\\kern-2em 机\\kern1em ★10年'],
  ['\\hspace{-2em} between', '文件密级：\\hspace{1em}密\\hspace{-2em}机\\hspace{1em}★10年'],
  ['\\hskip in points', '文件密级：\\hskip10pt 密\\hskip-20pt 机\\hskip10pt $\\bigstar$10年'],
  ['a negative space not known, into a gap before it', '文件密级：机\\kern1em ★10年\\kern-\\mylen 密'],
  ['\\hspace{-\\widthof{…}} into a phantom\'s room', '文件密级：机\\phantom{商}★10年\\hspace{-\\widthof{商★10年}}密\\hspace{\\mylen}'],
  ['\\ifcase: 密 in the third branch', '文件密级：机\\ifcase2 商\\or 业\\or 密\\else 务\\fi★10年'],
  ['\\ifcase on a count: 密 in the second', '文件密级：机\\ifcase\\month\\or 商\\or 密\\fi★10年'],
  ['\\ifnum … \\else 密', '文件密级：机\\ifnum1=0 商业\\else 密\\fi★10年'],
  ['\\ifcase in a macro', '文件密级：\\lv★10年', '\\newcommand{\\lv}{机\\ifcase\\value{page}\\or 商\\or 密\\fi}'],
];

t.test('a marking drawn in another order, or in a later branch, is refused', async (t) => {
  for (const [name, body, pre] of marked) {
    const k = kinds((await inspectBytes(tex(body, pre), {}, opts)).findings);
    t.ok(k.some((x) => x.startsWith('classified-marking')), `${name}: ${k.join(', ')}`);
  }
});

t.test('the same cut into chunks of 31 bytes', async (t) => {
  for (const [name, body, pre] of marked.filter((_m, i) => i % 3 === 0)) {
    const k = kinds((await inspectChunks(chunksOf(tex(body, pre), 31), {}, opts)).findings);
    t.ok(k.some((x) => x.startsWith('classified-marking')), `${name}: ${k.join(', ')}`);
  }
});

t.test('ordinary LaTeX with laps, negative spaces and \\ifcase stays clean', async (t) => {
  const clean: Array<[string, string, string?]> = [
    ['a thesis: \\rlap and \\mathrlap in math beside 机密性', '数据的机密性定义为 $\\Pr[\\mathrlap{b = b\'}\\phantom{x}] \\le \\tfrac12 + \\epsilon$，其中 $\\rlap{$\\bar{k}$}k$ 为密钥，评分 $\\bigstar$ 10 分，\\llap{注：}商业秘密不在此列。'],
    ['a table with \\llap and \\hspace{-\\tabcolsep}', '\\begin{tabular}{ll}\\hspace{-\\tabcolsep}项目 & 说明\\\\ \\llap{*}工作秘密 & 保密期限 10 年\\\\ \\makebox[0pt][l]{注}保密协议 & 已签署\\end{tabular}'],
    ['negative spaces around 商业秘密 and 保密协议', '\\noindent\\hspace{-\\parindent}商业秘密\\kern-0.1em 的保护\\hspace{-0.5em}与保密协议\\kern-\\fontdimen2\\font 第 10 条。'],
    ['a date macro with \\ifcase', '日期：\\the\\year 年\\ifcase\\month\\or 一\\or 二\\or 三\\or 四\\or 五\\or 六\\or 七\\or 八\\or 九\\or 十\\or 十一\\or 十二\\fi 月，工作秘密 10 年内有效。'],
    ['\\ifx choosing between 商业秘密 and 工作秘密', '\\ifx\\kind\\empty 商业\\else 工作\\fi 秘密的保护，\\ifnum\\value{page}>1 续\\fi 保密期限 10 年。', '\\def\\kind{}'],
  ];
  for (const [name, body, pre] of clean) t.same(kinds((await inspectBytes(tex(body, pre), {}, opts)).findings), [], name);
});
