import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { expectClean, expectFound } from './sample-checks.js';
import { accessCleanSamples, accessSamples, xlsbCleanSamples, xlsbSamples } from './xlsb-fixtures.js';

// Seventh red team of 1 Dec, R4: an .xlsb sheet's number cells (BrtCellReal, BrtShortReal, BrtCellRk) read as a
// CSV row's; R28: an Access database is uninspectable. The same samples go through a gateway in gateway-evasions.
t.test('numbers in an xlsb sheet are read', (t) => expectFound(t, xlsbSamples()));

t.test('an ordinary xlsb ledger stays clean', (t) => expectClean(t, xlsbCleanSamples()));

t.test('an Access database is uninspectable', (t) => expectFound(t, accessSamples()));

// Typed application/x-msaccess (file-type names none): its declared aliases agree, and that type is what an operator allows.
t.test('an Access database is typed application/x-msaccess, its aliases no mismatch', async (t) => {
  for (const s of accessSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), ['uninspectable:application/x-msaccess'], s.name);
    t.equal(r.sniffedType, 'application/x-msaccess', `${s.name}: sniffed type`);
  }
});

t.test('a text naming Access\'s signature stays clean', (t) => expectClean(t, accessCleanSamples()));
