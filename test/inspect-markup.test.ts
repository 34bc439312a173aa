// Issue 14, red team of 30 November 2026: markup that makes what a reader
// sees differ from the order of the bytes (ruby, bidi overrides, hidden
// runs, deletions, symbol fonts, fields, formulas; PDF text drawn out of
// order, in unreferenced objects, in appearance streams, in /ActualText and
// JavaScript). Each is found, whole and in small chunks; ordinary documents
// using the same markup give no finding. In-process: no gateway.
import t, { type Test } from 'tap';
import { ID } from './evasion-fixtures.js';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { deepNestingSamples, markupCleanSamples, markupSamples, pdfCleanSample, pdfSamples, shownCleanSamples, shownPdfCleanSamples, shownPdfSamples, shownSamples, type MarkupSample } from './markup-fixtures.js';

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

// Second red team, 30 November 2026: what the first reading did not apply.
t.test('markup as shown: class rules, off-screen, zero-size, transparent and scaled-away text, noscript, SVG titles, reordering by flex-direction, float, grid and position; Word moves, special vanish, half-point text; Excel substrings', async (t) => {
  await found(t, shownSamples(), 13);
});

t.test('markup as shown: ordinary pages with style sheets, floats, grids and hidden parts, a Word move, substring formulas give no finding', async (t) => {
  await clean(t, shownCleanSamples());
});

t.test('PDF: runs placed in device space (cm, TJ offsets), mirrored runs read reversed, with and without the font', async (t) => {
  await found(t, shownPdfSamples(ID), 97);
});

t.test('PDF: an ordinary document drawn through a scaled CTM, kerned runs and a rotated label gives no finding', async (t) => {
  await clean(t, shownPdfCleanSamples());
});

t.test('nesting past the bounds (formulas 10,000 deep, Word fields 20,000 deep) ends as inspection-limit:decode-depth, never silence', async (t) => {
  for (const s of deepNestingSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === 'inspection-limit' && f.subkind === 'decode-depth'), `${s.name} (${kinds(r.findings).join(', ')})`);
  }
});
