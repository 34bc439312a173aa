// Ninth red team (2 Dec), W4: LaTeX source whose marking a person reads once it is typeset, but whose characters
// stand apart in the source (a command, a group, a dimension, a comment between them), or whose star is a
// symbol command (\bigstar). The clean look-alikes are ordinary LaTeX: a thesis on 机密性 with formulas and
// footnote stars, a contract with 保密协议 and its spacing commands. Same samples through a gateway in
// gateway-evasions.test.ts.
import type { Sample } from './evasion-fixtures.js';

const tex = (body: string): Buffer =>
  Buffer.from(`\\documentclass[UTF8]{ctexart}\n\\usepackage{amssymb,pifont,bbding,xcolor}\n\\begin{document}\n\\title{关于年度工作的通知}\\maketitle\n${body}\n请各处室按时报送材料。\n\\end{document}\n`);
const s = (name: string, body: string, expect = 'classified-marking'): Sample => ({ name, filename: 'notice.tex', type: 'application/x-tex', body: tex(body), expect });

export function latexSamples(): Sample[] {
  return [
    s('W4: \\mbox{} between the characters, the star as \\bigstar', '机\\mbox{}密\\ensuremath{\\bigstar}10年'),
    s('W4: an empty group between the characters, $\\bigstar$', '机{}密$\\bigstar$10年'),
    s('W4: \\hspace{1em} between the characters', '机\\hspace{1em}密★10年'),
    s('W4: \\hspace*{} and \\kern with a dimension', '机\\hspace*{2pt}密\\kern-0.2em ★\\,10\\,年'),
    s('W4: \\hskip with stretch', '机\\hskip 0.5em plus 1fil 密★10年'),
    s('W4: \\quad between the characters', '机\\quad 密★10年'),
    s('W4: \\relax between the characters', '机\\relax 密★10年'),
    s('W4: \\bigstar as a word', '机密\\bigstar 10年'),
    s('W4: \\star in math', '绝密$\\star$长期'),
    s('W4: pifont \\ding{72}', '机密\\ding{72}10年'),
    s('W4: bbding \\FiveStar', '秘密\\FiveStar{}1年'),
    s('W4: a raised star before the period', '机密$^{\\bigstar}$10年'),
    s('W4: a comment between the characters', '机%这里是注释，排版后不可见\n  密★10年'),
    s('W4: \\phantom between the characters', '机\\phantom{文字}密★10年'),
    s('W4: \\textcolor with an empty argument', '机\\textcolor{white}{}密★10年'),
    s('W4: \\rule of no size', '机\\rule{0pt}{0pt}密★10年'),
    s('W4: \\- and \\/ in the period', '机\\-密\\bigstar 1\\/0年'),
  ];
}

export function latexCleanSamples(): Sample[] {
  const c = (name: string, body: string): Sample => ({ name, filename: 'paper.tex', type: 'application/x-tex', body: Buffer.from(body), expect: '' });
  return [
    c('W4 clean: a thesis on 机密性 with formulas, footnote stars and comments', String.raw`\documentclass[UTF8]{ctexart}
\usepackage{amsmath,amssymb}
\title{基于格的公钥加密方案的机密性分析}
\begin{document}
\maketitle
\section{引言}
数据的机密性\footnote{本文的机密性指语义安全。}、完整性和可用性是信息安全的三要素。
商业秘密$^{\star}$和工作秘密$^{\star\star}$受《保密协议》约束\cite{law2019}。
设 $G$ 为群，运算 $a \star b = a + b \bmod 10$，则机密性 $\mathsf{IND\text{-}CPA}$ 成立，
其中 $\bigstar$ 表示最优方案，$10^{3}$ 年内不可破解（见表~\ref{tab:1}）。
\begin{table}[h]\centering
\begin{tabular}{|c|c|}\hline 方案 & 机密性 \\ \hline A & $\star$ \\ B & $\bigstar$ \\ \hline\end{tabular}
\caption{机密性对比}\label{tab:1}\end{table}
保密期限\hspace{1em}10年\quad 密钥长度 $2^{10}$ 位。% 注释：密钥管理
秘密共享方案 $\star$ 10 年的研究表明……
\end{document}
`),
    c('W4 clean: a contract with 保密协议, spacing commands and a signature line', String.raw`\documentclass{article}
\usepackage{xeCJK}
\begin{document}
\begin{center}\textbf{\Large 保\quad 密\quad 协\quad 议}\end{center}
甲方\hspace{4em}乙方\hfill 日期：2026年12月2日\\[1ex]
第一条\enspace 乙方对甲方的商业秘密负有保密义务，保密期限为\underline{\hspace{2em}5\hspace{2em}}年。\\
第二条\enspace 本协议所称工作秘密，指……% 见附件
\vspace{2cm}
签字：\rule{4cm}{0.4pt}\qquad 盖章：\rule{4cm}{0.4pt}
\end{document}
`),
    c('W4 clean: lecture notes with \\star operators and a starred section', String.raw`\section*{密码学讲义：对称密码}
设 $f \star g$ 为卷积，$x^\star$ 为最优解；\textbf{定理 1}\ 密钥长度为 128 位时，暴力搜索需 $2^{128}$ 次。
\begin{itemize}\item 对称密码：AES、SM4；\item 非对称密码：RSA、SM2。\end{itemize}
% TODO: 补充秘密分享一节
`),
  ];
}
