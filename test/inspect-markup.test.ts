// Issue 14, red team of 30 November 2026: markup that makes what a reader
// sees differ from the order of the bytes (ruby, bidi overrides, hidden
// runs, deletions, symbol fonts, fields, formulas; PDF text drawn out of
// order, in unreferenced objects, in appearance streams, in /ActualText and
// JavaScript). Each is found, whole and in small chunks; ordinary documents
// using the same markup give no finding. In-process: no gateway.
import t, { type Test } from 'tap';
import { ID } from './evasion-fixtures.js';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { markupCleanSamples, markupSamples, pdfCleanSample, pdfSamples, type MarkupSample } from './markup-fixtures.js';

function chunked(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

const expected = (s: MarkupSample): string => (/identity number/.test(s.name) ? 'personal-data' : 'classified-marking');

async function found(t: Test, samples: MarkupSample[], chunk: number): Promise<void> {
  for (const s of samples) {
    const ctx = { filename: s.filename, declaredType: s.type };
    const whole = await inspectBytes(s.body, {}, ctx);
    t.ok(whole.findings.some((f) => f.kind === expected(s)), `${s.name}: ${expected(s)} (${kinds(whole.findings).join(', ')})`);
    const cut = await inspectChunks(chunked(s.body, chunk), {}, ctx);
    t.ok(cut.findings.some((f) => f.kind === expected(s)), `${s.name}, in chunks of ${chunk}: (${kinds(cut.findings).join(', ')})`);
  }
}

async function clean(t: Test, samples: MarkupSample[]): Promise<void> {
  for (const s of samples) {
    const ctx = { filename: s.filename, declaredType: s.type };
    t.same((await inspectBytes(s.body, {}, ctx)).findings, [], s.name);
    t.same((await inspectChunks(chunked(s.body, 61), {}, ctx)).findings, [], `${s.name}, in chunks`);
  }
}

t.test('markup: hidden, annotation and deleted parts dropped, reversed runs re-reversed, reordered children put in order, symbols, fields and formulas evaluated', async (t) => {
  await found(t, markupSamples(), 13);
});

t.test('markup: ordinary documents with ruby, bidi, hidden parts, fields and formulas give no finding', async (t) => {
  await clean(t, markupCleanSamples());
});

t.test('PDF: text in position order, every stream object, appearances, ActualText, JavaScript', async (t) => {
  await found(t, pdfSamples(ID), 97);
});

t.test('PDF: an ordinary document with positioned text gives no finding', async (t) => {
  await clean(t, [pdfCleanSample()]);
});
