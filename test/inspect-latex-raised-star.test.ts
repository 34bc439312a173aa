// A footnote star before a count in LaTeX (the closing note of 2 Dec, false refusals): `商业秘密$^\star$ 10 家` was
// refused classified-marking:秘密, the raised star read as the marking's because a digit followed it (latex-shown.ts
// RAISED). A period has its unit (年, 个月, 长期); a count after a footnote mark is none. A raised star before a
// period, and a star that is not raised, are still the marking's.
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';

const tex = (line: string): Buffer =>
  Buffer.from(`\\documentclass[UTF8]{ctexart}\n\\usepackage{amssymb}\n\\begin{document}\n\\section{年度执法情况}\n${line}\n请各处室按时报送材料。\n\\end{document}\n`);
const TEX = { filename: 'report.tex', declaredType: 'application/x-tex' };

t.test('a footnote star before a count is clean', async (t) => {
  for (const line of [
    '全年查处侵犯商业秘密$^\\star$ 10 家企业。\\footnote{$^\\star$ 含立案 3 家。}',
    '侵犯商业秘密$^{\\star}$10家，工作秘密$^{\\star\\star}$ 3 起。',
    '涉及商业秘密$^\\bigstar$ 12 项专利、5 个月内结案的 2 起。',
  ]) {
    t.same(kinds((await inspectBytes(tex(line), {}, TEX)).findings), [], line);
  }
});

t.test('a raised star before a period, and a star not raised, are still a marking', async (t) => {
  for (const line of [
    '机密$^\\star$10年',
    '机密$^\\star$ 10 年',
    '机密$^{\\bigstar}$\\,10\\,年',
    '秘密$^\\star$6个月',
    '机密$^\\star$十年',
    '绝密$^\\star$长期',
    '机密$^\\star$1\\/0年',
    '机密$\\star$ 10 家',
    '机密\\bigstar 10 家',
  ]) {
    t.ok(kinds((await inspectBytes(tex(line), {}, TEX)).findings).some((k) => k.startsWith('classified-marking')), line);
  }
});
