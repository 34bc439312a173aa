import t from 'tap';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';

// Ninth red team W4, what was left of it on 2 Dec: LaTeX whose marking is assembled from its own macros (defined in
// the preamble, far from the 密 the reading around it looks for), or given by character codes with commands and
// groups between them and the star as a command (`\char"673A\mbox{}\char"5BC6\bigstar 10年`). Both crossed: the
// macros were not expanded, and the views that decode `\char` do not read LaTeX as typeset. Read now with the
// macros expanded (gateway/inspect/markup/latex-macros.ts); ordinary LaTeX with macros stays clean.
t.setTimeout(120_000);

const FILLER = '这是一段普通的正文，用于填充篇幅，与密级无关的说明文字。'.repeat(60) + '\n';
const tex = (preamble: string, body: string): Buffer =>
  Buffer.from(`\\documentclass[UTF8]{ctexart}\n\\usepackage{amssymb}\n${preamble}\n\\begin{document}\n\\title{关于年度工作的通知}\\maketitle\n${FILLER}${body}\n${FILLER}请各处室按时报送材料。\n\\end{document}\n`);

const marked: Array<[string, Buffer]> = [
  ['\\newcommand pieces in the preamble', tex(String.raw`\newcommand{\a}{机}\newcommand{\z}{要}\newcommand{\b}{密}`, String.raw`\a\b★10年`)],
  ['\\def pieces in the preamble, the star a macro too', tex(String.raw`\def\x{机}\def\w{要}\def\y{密}\def\s{$\bigstar$}`, String.raw`\x\y\s 10年`)],
  ['a level word in one macro', tex(String.raw`\newcommand\lvl{机密}\newcommand\xing{性}`, String.raw`\lvl★10年`)],
  ['\\renewcommand changes a harmless macro into a piece', tex(String.raw`\newcommand{\m}{秘}\renewcommand{\m}{机}`, String.raw`\m 密★10年`)],
  ['a macro with an argument', tex(String.raw`\newcommand{\lv}[1]{#1密★10年}`, String.raw`\lv{机}`)],
  ['macros in macros (\\gdef, \\edef, \\let, \\providecommand, \\DeclareRobustCommand)', tex(String.raw`\gdef\p{机}\def\w{要}\edef\q{\p}\let\r\q\providecommand{\u}{密}\DeclareRobustCommand{\v}{\r\u}`, String.raw`\v$\star$10年`)],
  ['\\char codes with \\mbox{} between, the star a command', tex('', String.raw`\char"673A\mbox{}\char"5BC6\bigstar 10年`)],
  ['\\symbol in decimal with {} between, $\\bigstar$', tex('', String.raw`\symbol{26426}{}\symbol{23494}$\bigstar$10年`)],
  ['\\char in octal inside a macro', tex(String.raw`\def\k{\char'55706}`, String.raw`机\k\bigstar 10年`)],
];

const opts = { filename: 'notice.tex', declaredType: 'application/x-tex' };

t.test('a marking assembled from macros or character codes is read as typeset', async (t) => {
  for (const [name, body] of marked) {
    const k = kinds((await inspectBytes(body, {}, opts)).findings);
    t.ok(k.includes('classified-marking:机密'), `${name}: ${k.join(', ')}`);
  }
});

t.test('the same cut into chunks of 37 bytes (definitions and uses cut between chunks)', async (t) => {
  for (const [name, body] of marked.slice(0, 6)) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < body.length; i += 37) chunks.push(body.subarray(i, i + 37));
    const k = kinds((await inspectChunks(chunks, {}, opts)).findings);
    t.ok(k.includes('classified-marking:机密'), `${name}: ${k.join(', ')}`);
  }
});

t.test('expansion is bounded: a macro that calls itself, or doubles, is inspection-limit', async (t) => {
  for (const [name, pre, body] of [
    ['recursion', String.raw`\def\a{x\a}`, String.raw`\a`],
    ['doubling', String.raw`\def\a{xx}\def\b{\a\a}\def\c{\b\b}\def\d{\c\c}\def\e{\d\d}\def\f{\e\e}\def\g{\f\f}\def\h{\g\g}\def\i{\h\h}\def\j{\i\i}\def\k{\j\j}\def\l{\k\k}\def\m{\l\l}\def\n{\m\m}\def\o{\n\n}\def\p{\o\o}\def\q{\p\p}\def\r{\q\q}`, String.raw`\r\r\r\r`],
  ]) {
    const k = kinds((await inspectBytes(tex(pre!, body!), {}, opts)).findings);
    t.ok(k.includes('inspection-limit:latex-expansion'), `${name}: ${k.join(', ')}`);
  }
});

t.test('ordinary LaTeX with macros stays clean', async (t) => {
  const clean: Array<[string, Buffer]> = [
    ['a thesis with \\newcommand shorthands for 机密性 and 商业秘密', tex(String.raw`\newcommand{\jmx}{机密性}\newcommand{\sm}{商业秘密}\newcommand{\R}{\mathbb{R}}\def\bs{$\bigstar$}`, String.raw`数据的\jmx 与\sm 受保护，$x \in \R$，\bs 表示最优方案，10年内有效。`)],
    ['macros for a contract: 保密协议 and 工作秘密', tex(String.raw`\def\bm{保密}\def\xy{协议}\newcommand{\gz}[1]{工作#1}`, String.raw`\bm\xy 第一条：\gz{秘密}不得泄露，期限\char"0031\char"0030 年。`)],
    ['\\char codes of ordinary words', tex('', String.raw`\char"4FDD\mbox{}\char"5BC6\char"534F\char"8BAE 已签署，有效期 10 年。`)],
  ];
  for (const [name, body] of clean) t.same(kinds((await inspectBytes(body, {}, opts)).findings), [], name);
});
