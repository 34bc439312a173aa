import type { Finding } from '../protocol/findings.js';
import type { Stage } from './eval-context.js';
import type { CompiledPolicy } from './policy-engine.js';
import type { CounterSource } from './rate-counters.js';
import type { Decision, TransferFacts } from './types.js';

// The two decisions the gateway makes, in order, for one transfer: before the
// body (a deny ends it there), then after inspection. Used by `policy test`
// and by policy test suites so they decide exactly as the gateway does.

export interface DryRun {
  stage: Stage;
  decision: Decision;
  before: Decision;
}

export function dryRun(policy: CompiledPolicy, facts: TransferFacts, findings: readonly Finding[], counters: CounterSource = policy.counters): DryRun {
  const before = policy.decide('before', facts, [], counters);
  if (before.verdict === 'deny') return { stage: 'before', decision: before, before };
  return { stage: 'after', decision: policy.decide('after', facts, findings, counters), before };
}

/** Counters given by hand (a test case, a replay): a key not given counts as 0. */
export function fixedCounters(values: Record<string, number>): CounterSource {
  return { get: (key) => values[key] ?? 0 };
}
