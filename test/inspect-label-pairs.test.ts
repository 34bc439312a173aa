import t from 'tap';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { labelPairCleanSamples, labelPairSamples } from './label-pairs-fixtures.js';

// N22 (red team, 1 Dec b): the 密级 field as a key and a value apart is read
// as `密级：<value>` (label-pairs.ts), whole and in chunks; the same shapes
// with no level, and lists of the levels, stay clean.

const textual = (type: string): boolean => /^text\/|json|xml/.test(type);

t.test('a key and a value apart are the label', async (t) => {
  for (const s of labelPairSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === 'classified-marking'), `${s.name} (${kinds(r.findings).join(', ')})`);
    if (!textual(s.type)) continue;
    for (const size of [1, 7, 100]) {
      const c = await inspectChunks(chunksOf(s.body, size), {}, { filename: s.filename, declaredType: s.type });
      t.ok(c.findings.some((f) => f.kind === 'classified-marking'), `${s.name}, chunks of ${size} (${kinds(c.findings).join(', ')})`);
    }
  }
});

t.test('no level, a list of levels, a code list: clean', async (t) => {
  for (const s of labelPairCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
    if (!textual(s.type)) continue;
    for (const size of [1, 7, 100]) t.same(kinds((await inspectChunks(chunksOf(s.body, size), {}, { filename: s.filename, declaredType: s.type })).findings), [], `${s.name}, chunks of ${size}`);
  }
});

t.test('the sample names the label and its value', async (t) => {
  const r = await inspectBytes('文号,标题,密级\n1,通知,机密\n', {}, { filename: 'a.csv', declaredType: 'text/csv' });
  t.same(r.findings.map((f) => [f.kind, f.subkind, f.sample]), [['classified-marking', '机密', '密级：机密']]);
});
