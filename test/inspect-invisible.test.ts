// Third red team of 30 November: code points that show as nothing or as blank
// space between a marking's characters (33 or more crossed: each counted as
// one separator of 32), a marking right after '[' or '【', and the look-alikes
// (invisible-fixtures.ts). Each way through is inspected whole and in chunks
// of 5 bytes (an escape sequence or a surrogate pair cut at every place).
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { invisibleCleanSamples, invisibleSamples } from './invisible-fixtures.js';
import { checkSamples } from './helpers/sample-checks.js';

await checkSamples(t, invisibleSamples(), invisibleCleanSamples());

t.test('blanks ended by a line break or another separator still count in full', async (t) => {
  // As for spaces (text-scanner.ts MAX_SEP_RUN): a form's empty cell is no joint.
  const ctx = { filename: 'form.txt', declaredType: 'text/plain' };
  for (const [name, blank] of [['U+2800', '\u2800'], ['ESC', '\x1b'], ['U+FFFC', '\ufffc']] as const) {
    const r = await inspectBytes(`| 密级 |${blank.repeat(40)}|\n| 机密性评估报告 | 第一版 |\n`, {}, ctx);
    t.same(kinds(r.findings), [], `${name}: 密级 and 机密性 on the next row, 40 between and a '|'`);
  }
  const escapes = await inspectBytes(`密级${'\x1b[0m'.repeat(40)}\n机密性要求\n`, {}, ctx);
  t.same(kinds(escapes.findings), [], 'forty colour codes, then a line break');
});
