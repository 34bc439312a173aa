import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { sheetRowsCleanSamples, sheetRowsSamples } from './sheet-rows-fixtures.js';

// Seventh red team of 1 Dec, R3: an xlsx row's one-digit cells read in column order, as a CSV row's are. The same
// samples go through a gateway in gateway-evasions.test.ts.
t.test('an id one digit a cell in an xlsx is read', async (t) => {
  for (const s of sheetRowsSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(kinds(r.findings).some((k) => k.startsWith(s.expect)), `${s.name}: ${s.expect} (${kinds(r.findings).join(', ')})`);
  }
});

t.test('sheets of small numbers stay clean', async (t) => {
  for (const s of sheetRowsCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
  }
});
