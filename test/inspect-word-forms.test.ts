import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { wordFormCleanSamples, wordFormSamples } from './word-form-fixtures.js';

// Seventh red team of 1 Dec, R2: Word legacy form fields rendered as Word shows them (☒/☐, the chosen entry). The
// same samples go through a gateway in gateway-evasions.test.ts.
t.test('a level chosen by a legacy form field is read', (t) => expectFound(t, wordFormSamples()));

t.test('forms with no level chosen stay clean', (t) => expectClean(t, wordFormCleanSamples()));
