// Third red team of 30 November: code points that show as nothing or as blank
// space between a marking's characters (33 or more crossed: each counted as
// one separator of 32), a marking right after '[' or '【', and the look-alikes
// (invisible-fixtures.ts). Each way through is inspected whole and in chunks
// of 5 bytes (an escape sequence or a surrogate pair cut at every place).
import t from 'tap';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { invisibleCleanSamples, invisibleSamples } from './invisible-fixtures.js';

function chunked(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

t.test('each way through is reported, whole and in chunks of 5 bytes', async (t) => {
  for (const s of invisibleSamples()) {
    const ctx = { filename: s.filename, declaredType: s.type };
    const whole = await inspectBytes(s.body, {}, ctx);
    t.ok(whole.findings.some((f) => f.kind === s.expect), `${s.name}: ${s.expect} (${kinds(whole.findings).join(', ') || 'none'})`);
    const cut = await inspectChunks(chunked(s.body, 5), {}, ctx);
    t.ok(cut.findings.some((f) => f.kind === s.expect), `${s.name}, in chunks: ${s.expect} (${kinds(cut.findings).join(', ') || 'none'})`);
  }
});

t.test('the look-alikes give no finding', async (t) => {
  for (const s of invisibleCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
  }
});

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
