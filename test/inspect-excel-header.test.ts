import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { excelHeaderCleanSamples, excelHeaderSamples } from './excel-header-fixtures.js';

// Seventh red team of 1 Dec, R25: Excel page headers and footers read with Excel's codes removed, as printed. The
// same samples go through a gateway in gateway-evasions.test.ts.
t.test('a marking in an Excel header or footer split by a formatting code is read', (t) => expectFound(t, excelHeaderSamples()));

t.test('ordinary headers and footers stay clean', (t) => expectClean(t, excelHeaderCleanSamples()));
