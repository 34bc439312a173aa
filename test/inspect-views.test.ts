// The red team of 1 Dec 2026 (b): decoded views that were missing or cut short
// (views-fixtures.ts), whole and in small chunks; their clean look-alikes give
// no finding.
import t from 'tap';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { viewsCleanSamples, viewsSamples } from './views-fixtures.js';

function chunked(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

t.test('each way through is reported, whole and in chunks of 7 bytes', async (t) => {
  for (const s of viewsSamples()) {
    const whole = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(whole.findings.some((f) => f.kind === s.expect), `${s.cls} / ${s.name}: ${s.expect} (${kinds(whole.findings).join(', ')})`);
    const cut = await inspectChunks(chunked(s.body, 7), {}, { filename: s.filename, declaredType: s.type });
    t.ok(cut.findings.some((f) => f.kind === s.expect), `${s.cls} / ${s.name}, in chunks: ${s.expect} (${kinds(cut.findings).join(', ')})`);
  }
});

t.test('the ordinary files they look like give no finding', async (t) => {
  for (const s of viewsCleanSamples()) {
    const whole = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(whole.findings, [], `${s.name} (${whole.sniffedType})`);
    const cut = await inspectChunks(chunked(s.body, 61), {}, { filename: s.filename, declaredType: s.type });
    t.same(cut.findings, [], `${s.name}, in chunks`);
  }
});
