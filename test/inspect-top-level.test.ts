import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { topLevelCleanSamples, topLevelSamples } from './top-level-fixtures.js';

// Ninth red team, W5 (top-level-fixtures.ts). The same samples go through a gateway in gateway-evasions.test.ts.
t.setTimeout(120_000);

t.test('W5: a level word alone as a document\'s top line is a marking', (t) => expectFound(t, topLevelSamples()));
t.test('W5: level words in headings and prose stay clean', (t) => expectClean(t, topLevelCleanSamples()));
