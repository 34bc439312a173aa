import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { dingbatCleanSamples, dingbatSamples } from './digit-dingbat-fixtures.js';

// Ninth red team, W7 (digit-dingbat-fixtures.ts). The same samples go through a gateway in gateway-evasions.test.ts.
t.setTimeout(120_000);

t.test('W7: digits as dingbats, parenthesized and full-stop digits, bopomofo splits are read', (t) => expectFound(t, dingbatSamples()));
t.test('W7: lists numbered in those forms and bopomofo readers stay clean', (t) => expectClean(t, dingbatCleanSamples()));
