import t from 'tap';
import { chunksOf, inspectChunks, kinds } from './inspect-fixtures.js';
import { verticalCleanSamples, verticalSamples } from './vertical-fixtures.js';

// N16 (red team, 1 Dec b): text written vertically, whole and in chunks; short lines beside it stay clean.

t.test('a marking read down a column', async (t) => {
  for (const s of verticalSamples()) {
    for (const size of [s.body.length, 1, 5]) {
      const r = await inspectChunks(chunksOf(s.body, size), {}, { filename: s.filename, declaredType: s.type });
      t.ok(r.findings.some((f) => f.kind === 'classified-marking'), `${s.name}, chunks of ${size} (${kinds(r.findings).join(', ')})`);
    }
  }
});

t.test('short lines that read nothing down their columns', async (t) => {
  for (const s of verticalCleanSamples()) {
    for (const size of [s.body.length, 1, 5]) t.same(kinds((await inspectChunks(chunksOf(s.body, size), {}, { filename: s.filename, declaredType: s.type })).findings), [], `${s.name}, chunks of ${size}`);
  }
});
