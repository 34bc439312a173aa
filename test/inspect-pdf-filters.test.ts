// Red team of 1 December 2026, PDF: text in a standard CJK font through a
// predefined CMap (N4: pdf.js was opened without its CMaps, so the page text
// was lost). Each way is found whole and in small chunks; ordinary documents
// written the same way give no finding. In-process: no gateway.
import t, { type Test } from 'tap';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { cjkCMapCleanSamples, cjkCMapSamples } from './pdf-filter-fixtures.js';
import type { MarkupSample } from './markup-fixtures.js';
import { PackagedCMaps } from '../gateway/inspect/pdf-cmaps.js';

type Sample = MarkupSample & { expect: string };

function chunked(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

async function found(t: Test, samples: Sample[]): Promise<void> {
  for (const s of samples) {
    const ctx = { filename: s.filename, declaredType: s.type };
    const whole = await inspectBytes(s.body, {}, ctx);
    t.ok(whole.findings.some((f) => f.kind === s.expect), `${s.name}: ${s.expect} (${kinds(whole.findings).join(', ')})`);
    const cut = await inspectChunks(chunked(s.body, 97), {}, ctx);
    t.ok(cut.findings.some((f) => f.kind === s.expect), `${s.name}, in chunks: ${s.expect} (${kinds(cut.findings).join(', ')})`);
  }
}

async function clean(t: Test, samples: Sample[]): Promise<void> {
  for (const s of samples) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
  }
}

t.test('N4: text in STSong-Light or MSung-Light through each predefined CMap is read (pdf.js with its packaged CMaps)', async (t) => {
  const samples = cjkCMapSamples();
  t.equal(samples.length, 9);
  await found(t, samples);
});

t.test('N4: ordinary reports in the same fonts give no finding', async (t) => {
  await clean(t, cjkCMapCleanSamples());
});

t.test('N4: the packaged CMaps are read from the package folder only; one that cannot be read is remembered', async (t) => {
  const c = new PackagedCMaps();
  const gb = await c.fetch({ kind: 'cMapUrl', filename: 'UniGB-UCS2-H.bcmap' });
  t.ok(gb.length > 1000, 'UniGB-UCS2-H is in the package');
  t.same([...c.missing], []);
  await t.rejects(c.fetch({ kind: 'cMapUrl', filename: '../package.json' }));
  await t.rejects(c.fetch({ kind: 'cMapUrl', filename: 'No-Such-CMap-H.bcmap' }));
  await t.rejects(c.fetch({ kind: 'standardFontDataUrl', filename: 'FoxitSans.pfb' }), 'nothing but CMaps');
  t.same([...c.missing].sort(), ['../package.json', 'No-Such-CMap-H']);
});
