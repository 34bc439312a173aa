// Content typed text from its head, with regions that are not text after it
// (text-tail-fixtures.ts): each region of encrypted or compressed bytes is
// judged as binary content is, block by block (opaque-regions.ts), and the
// content is refused `uninspectable`; the text it looks like stays clean.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { encrypted, prose, textTailCleanSamples, textTailSamples } from './text-tail-fixtures.js';

t.test('regions that are not text after a text head are uninspectable', async (t) => {
  for (const s of textTailSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === 'uninspectable'), `${s.name}: ${kinds(r.findings).join(', ')}`);
  }
  const r = await inspectBytes(Buffer.concat([prose(4100), encrypted(100_000)]), {}, { filename: 'memo.txt', declaredType: 'text/plain' });
  t.same(kinds(r.findings), ['uninspectable:text/plain'], 'the red team\'s sample: uninspectable, typed text');
  const f = r.findings.find((x) => x.kind === 'uninspectable');
  t.equal(f?.offset, 4096, 'the finding gives the first 4 KiB block that is not text');
});

t.test('a region that is not text, wherever it sits', async (t) => {
  // 5 KiB of encrypted bytes is caught at any offset (measured at every 128 bytes of a 4 KiB stride, in prose
  // and in Chinese): here at 16 offsets of that stride, between two parts of prose.
  let refused = 0;
  const starts = Array.from({ length: 16 }, (_, k) => 8192 + k * 256 + (k % 3));
  for (const at of starts) {
    const r = await inspectBytes(Buffer.concat([prose(at), encrypted(5120, at & 255), prose(20_000)]), {}, { filename: 'a.txt' });
    if (r.findings.some((x) => x.kind === 'uninspectable')) refused++;
  }
  t.equal(refused, starts.length, '5 KiB encrypted between text parts, at each offset');
});

t.test('text that looks like it stays clean', async (t) => {
  for (const s of textTailCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], `${s.name}: clean`);
  }
  const worker = readFileSync(new URL('../../node_modules/pdfjs-dist/legacy/build/pdf.worker.mjs', import.meta.url));
  t.same(kinds((await inspectBytes(worker, {}, { filename: 'pdf.worker.mjs', declaredType: 'text/javascript' })).findings), [], 'the pdf.js worker: clean');
});

t.test('base64 of random bytes in JSON is judged as before: the decoded run, as binary', async (t) => {
  const json = Buffer.from(JSON.stringify({ name: 'report', data: randomBytes(30_000).toString('base64') }));
  t.same(kinds((await inspectBytes(json, {}, { filename: 'a.json', declaredType: 'application/json' })).findings), ['uninspectable:application/octet-stream']);
});
