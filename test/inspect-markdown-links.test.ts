import t from 'tap';
import { chunksOf, inspectChunks, kinds } from './inspect-fixtures.js';
import { markdownLinkCleanSamples, markdownLinkSamples } from './markdown-link-fixtures.js';

// N13 (red team, 1 Dec b): Markdown link texts, whole and in chunks; look-alikes stay clean.

t.test('a marking in link texts', async (t) => {
  for (const s of markdownLinkSamples()) {
    for (const size of [s.body.length, 7, 1000]) {
      const r = await inspectChunks(chunksOf(s.body, size), {}, { filename: s.filename, declaredType: s.type });
      t.ok(r.findings.some((f) => f.kind === 'classified-marking'), `${s.name}, chunks of ${size} (${kinds(r.findings).join(', ')})`);
    }
  }
});

t.test('links around 密 that read nothing', async (t) => {
  for (const s of markdownLinkCleanSamples()) {
    for (const size of [s.body.length, 7, 1000]) t.same(kinds((await inspectChunks(chunksOf(s.body, size), {}, { filename: s.filename, declaredType: s.type })).findings), [], `${s.name}, chunks of ${size}`);
  }
});
