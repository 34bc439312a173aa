import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { yencCleanSamples, yencSamples } from './yenc-fixtures.js';

// Ninth red team, W6 (yenc-fixtures.ts). The same samples go through a gateway in gateway-evasions.test.ts.
t.setTimeout(120_000);

t.test('W6: yEncoded files are decoded and read', (t) => expectFound(t, yencSamples()));
t.test('W6: ordinary yEncoded files and a text quoting yEnc stay clean', (t) => expectClean(t, yencCleanSamples()));
