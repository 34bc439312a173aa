import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { hzCleanSamples, hzSamples } from './review14-fixtures.js';

// review14: HZ (RFC 1843) was decoded with every ~ dropped, so a character whose trail byte is ~ (件, the last column
// of every GB2312 row) put the rest of its run a byte off, and an empty shift or a continuation between a marking's
// characters left `~{~}` or a line break in the view. review14-fixtures.ts; probes/review14/mail-probe.mjs.
t.setTimeout(120_000);

t.test('HZ text is read pair by pair: the marking is found', (t) => expectFound(t, hzSamples()));
t.test('HZ and HZ-looking text without a marking stays clean', (t) => expectClean(t, hzCleanSamples()));
