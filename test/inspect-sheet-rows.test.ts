import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { numberFormatCleanSamples, numberFormatSamples, sheetRowsCleanSamples, sheetRowsSamples } from './sheet-rows-fixtures.js';

// Seventh red team of 1 Dec, R3: an xlsx row's one-digit cells read in column order, as a CSV row's are. The same
// samples go through a gateway in gateway-evasions.test.ts.
t.test('an id one digit a cell in an xlsx is read', (t) => expectFound(t, sheetRowsSamples()));

t.test('sheets of small numbers stay clean', (t) => expectClean(t, sheetRowsCleanSamples()));

// R14: a number shown through a number format with digits of its own (`"138"00000000`), read through xl/styles.xml.
t.test('a mobile shown through a number format is read', (t) => expectFound(t, numberFormatSamples()));

t.test('amounts, dates, serials and landlines through number formats stay clean', (t) => expectClean(t, numberFormatCleanSamples()));
