import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { yencCleanSamples13, yencSamples13 } from './review13-fixtures.js';

// review13: a yEnc post's parts are one file (a marking cut between two parts crossed), and a CR inside a data line
// is no data (a CR every few characters made the memo decode to nonsense here; decoders ignore it). review13-fixtures.ts.
t.setTimeout(120_000);

t.test('yEnc parts joined and line breaks ignored: the memo is read', (t) => expectFound(t, yencSamples13()));
t.test('ordinary yEnc posts in parts or with CRs stay clean', (t) => expectClean(t, yencCleanSamples13()));
