// Word's obfuscated embedded fonts are read as fonts (red team 1 Dec (c) G5).
import t from 'tap';
import { odttfCleanSamples, odttfSamples } from './odttf-fixtures.js';
import { expectClean, expectRefused } from './sample-checks.js';

t.test('a docx with an embedded font crosses', (t) => expectClean(t, odttfCleanSamples()));
t.test('a marking in its name table, or an .odttf that is no font, is refused', (t) => expectRefused(t, odttfSamples()));
