import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { derTextCleanSamples, derTextSamples } from './der-text-fixtures.js';

// Seventh red team of 1 Dec, R27: text in clear inside DER (certificates, CMS signed-data, any record) is read
// as text; the integers of certificates, keys and CRLs are not. The same samples go through a gateway in
// gateway-evasions.test.ts.
t.setTimeout(120_000);

t.test('text inside DER is read', async (t) => {
  for (const s of derTextSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(kinds(r.findings).some((k) => k.startsWith(s.expect)), `${s.name}: ${s.expect} (${kinds(r.findings).join(', ')})`);
  }
});

t.test('certificates, keys, CRLs and signatures of ordinary content stay clean', async (t) => {
  for (const s of derTextCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
  }
});
