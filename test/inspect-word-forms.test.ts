import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { wordFormCleanSamples, wordFormSamples } from './word-form-fixtures.js';

// Seventh red team of 1 Dec, R2: Word legacy form fields rendered as Word shows them (☒/☐, the chosen entry). The
// same samples go through a gateway in gateway-evasions.test.ts.
t.test('a level chosen by a legacy form field is read', async (t) => {
  for (const s of wordFormSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(kinds(r.findings).some((k) => k.startsWith(s.expect)), `${s.name}: ${s.expect} (${kinds(r.findings).join(', ')})`);
  }
});

t.test('forms with no level chosen stay clean', async (t) => {
  for (const s of wordFormCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
  }
});
