import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { excelHeaderCleanSamples, excelHeaderSamples } from './excel-header-fixtures.js';

// Seventh red team of 1 Dec, R25: Excel page headers and footers read with Excel's codes removed, as printed. The
// same samples go through a gateway in gateway-evasions.test.ts.
t.test('a marking in an Excel header or footer split by a formatting code is read', async (t) => {
  for (const s of excelHeaderSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(kinds(r.findings).some((k) => k.startsWith(s.expect)), `${s.name}: ${s.expect} (${kinds(r.findings).join(', ')})`);
  }
});

t.test('ordinary headers and footers stay clean', async (t) => {
  for (const s of excelHeaderCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
  }
});
