import type { Test } from 'tap';
import { inspectBytes, inspectChunks, kinds } from '../inspect-fixtures.js';
import type { Sample } from '../evasion-fixtures.js';

/** b cut into pieces of size bytes. */
export function chunked(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

/**
 * Each way through is inspected in-process whole and in chunks of 5 bytes
 * (whatever is read across a chunk's edge cut at every place) and must be
 * reported with its kind; each look-alike must give no finding at all.
 */
export async function checkSamples(t: Test, ways: Sample[], clean: Sample[]): Promise<void> {
  await t.test('each way through is reported, whole and in chunks of 5 bytes', async (t) => {
    for (const s of ways) {
      const ctx = { filename: s.filename, declaredType: s.type };
      const whole = await inspectBytes(s.body, {}, ctx);
      t.ok(whole.findings.some((f) => f.kind === s.expect), `${s.name}: ${s.expect} (${kinds(whole.findings).join(', ') || 'none'})`);
      const cut = await inspectChunks(chunked(s.body, 5), {}, ctx);
      t.ok(cut.findings.some((f) => f.kind === s.expect), `${s.name}, in chunks: ${s.expect} (${kinds(cut.findings).join(', ') || 'none'})`);
    }
  });
  await t.test('the look-alikes give no finding', async (t) => {
    for (const s of clean) {
      const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
      t.same(kinds(r.findings), [], s.name);
    }
  });
}
