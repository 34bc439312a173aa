// Eleven-digit amounts, measures and radix literals are no mobiles (red team 1 Dec (c) G3, G6, G7).
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { amountFormCleanSamples, amountFormSamples } from './amount-form-fixtures.js';

t.test('amounts with a currency, a unit, cents or an account word, measures and radix literals cross', async (t) => {
  for (const s of amountFormCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
  }
});

t.test('mobiles beside them stay refused', async (t) => {
  for (const s of amountFormSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(kinds(r.findings).some((k) => k.startsWith(s.expect)), `${s.name}: ${kinds(r.findings).join(', ')}`);
  }
});
