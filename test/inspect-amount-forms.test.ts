// Eleven-digit amounts, measures and radix literals are no mobiles (red team 1 Dec (c) G3, G6, G7).
import t from 'tap';
import { amountFormCleanSamples, amountFormSamples } from './amount-form-fixtures.js';
import { expectClean, expectRefused } from './sample-checks.js';

t.test('amounts with a currency, a unit, cents or an account word, measures and radix literals cross', (t) => expectClean(t, amountFormCleanSamples()));
t.test('mobiles beside them stay refused', (t) => expectRefused(t, amountFormSamples()));
