// Table cells and paragraphs read apart in the markup view and PDF lines (red team 1 Dec (c) G2).
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { tableCellCleanSamples, tableCellSamples } from './table-cell-fixtures.js';

t.test('tables and paragraphs whose neighbouring cells only look like a mobile or a marking cross', async (t) => {
  for (const s of tableCellCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
  }
});

t.test('runs of one paragraph, a marking over two cells, digit boxes and adjacent PDF runs are still read together', async (t) => {
  for (const s of tableCellSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(kinds(r.findings).some((k) => k.startsWith(s.expect)), `${s.name}: ${kinds(r.findings).join(', ')}`);
  }
});
