import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { walCleanSamples, walSamples } from './sqlite-wal-fixtures.js';

// Ninth red team, W1 (sqlite-wal-fixtures.ts). The same samples go through a gateway in gateway-evasions.test.ts.
t.setTimeout(180_000);

t.test('W1: a SQLite -wal is read as its frames\' pages, row by row', (t) => expectFound(t, walSamples()));
t.test('W1: ordinary -wal files stay clean', (t) => expectClean(t, walCleanSamples()));
