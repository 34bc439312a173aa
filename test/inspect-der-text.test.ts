import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { derTextCleanSamples, derTextSamples } from './der-text-fixtures.js';

// Seventh red team of 1 Dec, R27: text in clear inside DER (certificates, CMS signed-data, any record) is read
// as text; the integers of certificates, keys and CRLs are not. The same samples go through a gateway in
// gateway-evasions.test.ts.
t.setTimeout(120_000);

t.test('text inside DER is read', (t) => expectFound(t, derTextSamples()));

t.test('certificates, keys, CRLs and signatures of ordinary content stay clean', (t) => expectClean(t, derTextCleanSamples()));
