import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { openPgpCleanSamples, openPgpSamples } from './openpgp-fixtures.js';

// Ninth red team, W3 (openpgp-fixtures.ts). The same samples go through a gateway in gateway-evasions.test.ts.
t.setTimeout(180_000);

t.test('W3: signed OpenPGP messages are read as the files they carry; encrypted ones are uninspectable', (t) => expectFound(t, openPgpSamples()));
t.test('W3: signed ordinary files, signatures and keys stay clean', (t) => expectClean(t, openPgpCleanSamples()));
