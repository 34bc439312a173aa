import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { latexCleanSamples, latexSamples } from './latex-fixtures.js';

// Ninth red team, W4 (latex-fixtures.ts): LaTeX read as typeset around a 密 (markup/latex-shown.ts).
t.setTimeout(120_000);

t.test('W4: markings split or starred by LaTeX commands are read as typeset', (t) => expectFound(t, latexSamples()));
t.test('W4: ordinary LaTeX with 机密性, 保密协议 and formulas stays clean', (t) => expectClean(t, latexCleanSamples()));
