// Third red team of 30 November: UTF-8 read as GBK and saved again, in UTF-8
// or in GBK (gbk-mojibake-fixtures.ts, utf8-as-gbk.ts). Each way through is
// inspected whole and in chunks of 5 bytes (the witness and the characters
// it is confirmed by cut across chunks); the look-alikes give no finding.
import t from 'tap';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { gbkMojibakeCleanSamples, gbkMojibakeSamples } from './gbk-mojibake-fixtures.js';

function chunked(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

t.test('each way through is reported, whole and in chunks of 5 bytes', async (t) => {
  for (const s of gbkMojibakeSamples()) {
    const ctx = { filename: s.filename, declaredType: s.type };
    const whole = await inspectBytes(s.body, {}, ctx);
    t.ok(whole.findings.some((f) => f.kind === s.expect), `${s.name}: ${s.expect} (${kinds(whole.findings).join(', ') || 'none'})`);
    const cut = await inspectChunks(chunked(s.body, 5), {}, ctx);
    t.ok(cut.findings.some((f) => f.kind === s.expect), `${s.name}, in chunks: ${s.expect} (${kinds(cut.findings).join(', ') || 'none'})`);
  }
});

t.test('the look-alikes give no finding', async (t) => {
  for (const s of gbkMojibakeCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
  }
});
