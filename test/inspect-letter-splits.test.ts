import t from 'tap';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { letterSplitCleanSamples, letterSplitSamples } from './letter-splits-fixtures.js';

// N27 and 宓 for 密 (red team, 1 Dec b), whole and in chunks; the look-alikes beside them stay clean.

t.test('letters between the characters, and 宓 for 密, are the marking', async (t) => {
  for (const s of letterSplitSamples()) {
    for (const size of [s.body.length, 1, 4]) {
      const r = await inspectChunks(chunksOf(s.body, size), {}, { filename: s.filename, declaredType: s.type });
      t.ok(r.findings.some((f) => f.kind === 'classified-marking'), `${s.name}, chunks of ${size} (${kinds(r.findings).join(', ')})`);
    }
  }
});

t.test('mixed prose, code, pinyin, 宓 in its own words: clean', async (t) => {
  for (const s of letterSplitCleanSamples()) {
    for (const size of [s.body.length, 1, 4]) t.same(kinds((await inspectChunks(chunksOf(s.body, size), {}, { filename: s.filename, declaredType: s.type })).findings), [], `${s.name}, chunks of ${size}`);
  }
});

t.test('what the sample shows', async (t) => {
  const r = await inspectBytes('密x级x：x机x密\n');
  t.same(r.findings.map((f) => [f.subkind, f.sample]), [['机密', '密级：机密']]);
});
