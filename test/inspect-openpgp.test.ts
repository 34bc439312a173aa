import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { openPgpCleanSamples, openPgpSamples } from './openpgp-fixtures.js';
import { requires } from './helpers/requires.js';

// Ninth red team, W3 (openpgp-fixtures.ts). The same samples go through a gateway in gateway-evasions.test.ts.
t.setTimeout(180_000);

t.test('W3: signed OpenPGP messages are read as the files they carry; encrypted ones are uninspectable', (t) => expectFound(t, openPgpSamples()));
t.test('W3: signed ordinary files, signatures and keys stay clean', (t) => expectClean(t, openPgpCleanSamples()));

// The samples above include those gpg makes only where gpg is installed: here, each of them was made.
t.test('gpg made each of its samples', { skip: requires('gpg') }, (t) => {
  t.equal(openPgpSamples().filter((s) => /^W3: gpg /.test(s.name)).length, 10, 'ten messages signed or encrypted by gpg');
  t.equal(openPgpCleanSamples().filter((s) => /^W3 clean: (gpg |a detached|an armoured detached|an exported)/.test(s.name)).length, 8, 'eight ordinary signed files, signatures and keys');
  t.end();
});
