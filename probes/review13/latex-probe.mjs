import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const doc = (body) => `\\documentclass{ctexart}\n\\usepackage{amssymb}\n\\begin{document}\n\\section{关于年度工作的通知}\n各单位：\n\n${body}\n\n请按时报送。\n\\end{document}\n`;
const cases = {
  'char hex': '文件密级：机\\char"5BC6$\\bigstar$10年',
  'char both': '文件密级：\\char"673A\\char"5BC6★10年',
  'caret4': '文件密级：机^^^^5bc6★10年',
  'symbol': '文件密级：机\\symbol{"5BC6}★10年',
  'def macro': '\\def\\a{机}\\def\\b{密}文件密级：\\a\\b★10年',
  'newcommand': '\\newcommand{\\m}{密}文件密级：机\\m★10年',
  'unicode char decimal': '文件密级：机\\char23494★10年',
  'mbox plain': '文件密级：机\\mbox{}密$\\bigstar$10年',
  'textcolor white': '文件密级：机\\textcolor{white}{商业}密★10年',
  'llap overlay': '文件密级：机密\\llap{\\phantom{x}}★10年',
  'verb': '文件密级：\\verb|机|密★10年',
  'strut': '文件密级：机\\strut密★10年',
  'hbox to': '文件密级：机\\hbox to 1em{}密★10年',
  'raisebox': '文件密级：机\\raisebox{1pt}{密}★10年',
  'makebox': '文件密级：机\\makebox[1em][l]{密}★10年',
  'id kern': '身份证号：110101\\kern1pt 19900307\\kern1pt 7715',
  'id hspace': '身份证号：1101011990\\hspace{2pt}03077715',
};
for (const [name, body] of Object.entries(cases)) {
  const r = await inspectBytes(Buffer.from(doc(body)), {}, { filename: 'a.tex', declaredType: 'text/x-tex' });
  console.log(name.padEnd(20), JSON.stringify(kinds(r.findings)));
}
process.exit(0);
