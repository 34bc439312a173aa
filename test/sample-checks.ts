// Samples (evasion-fixtures.ts Sample) inspected in-process: the clean ones must have no finding, the others
// the finding they expect (its kind, or kind:subkind, as a prefix).
import type { Test } from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

export async function expectClean(t: Test, samples: Sample[]): Promise<void> {
  for (const s of samples) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), [], s.name);
  }
}

export async function expectRefused(t: Test, samples: Sample[]): Promise<void> {
  for (const s of samples) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(kinds(r.findings).some((k) => k.startsWith(s.expect)), `${s.name}: ${kinds(r.findings).join(', ')}`);
  }
}
