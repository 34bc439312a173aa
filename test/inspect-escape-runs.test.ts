import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { escapeRunCleanSamples, escapeRunSamples } from './escape-run-fixtures.js';

// Eighth red team of 1 Dec, W5, W7, W8, W10: references without ';', quoted-printable in lower case, rsyslog's
// #ooo bytes, a mobile half in numerals and half in digits. The same samples go through a gateway in
// gateway-evasions.test.ts.
t.test('escapes and mixed numerals that crossed are read', (t) => expectFound(t, escapeRunSamples()));

t.test('their look-alikes stay clean', (t) => expectClean(t, escapeRunCleanSamples()));
