// In-process checks of fixture samples: each refused one names its finding, each clean one has none.
import type { Test } from 'tap';
import type { Sample } from './evasion-fixtures.js';
import { inspectBytes, kinds } from './inspect-fixtures.js';

export async function expectFound(t: Test, samples: Sample[]): Promise<void> {
  for (const s of samples) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(kinds(r.findings).some((k) => k.startsWith(s.expect)), `${s.name}: ${s.expect} (${kinds(r.findings).join(', ')})`);
  }
}

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
