import type { Finding } from '../protocol/findings.js';
import { counterKey, limitSays, whenFindings, whenSays, windowHolds, windowSays, type CompiledRule } from './compiled-rule.js';
import { makeContext, type EvalContext, type Stage } from './eval-context.js';
import { localTime, DAY_NAMES } from './time-window.js';
import type { CompiledPolicy } from './policy-engine.js';
import type { CounterSource } from './rate-counters.js';
import type { TransferFacts } from './types.js';

// Why each rule did or did not match: every condition is checked (no short
// circuit) and the ones that failed are said in words, with what the transfer had.

export interface RuleExplanation {
  rule: string;
  effect: 'allow' | 'deny';
  mode: 'enforce' | 'shadow';
  line: number;
  matched: boolean;
  /** conditions that did not hold, e.g. "the label is public or internal — it was sensitive" */
  failed: string[];
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function explainRule(r: CompiledRule, ctx: EvalContext, counters: CounterSource): RuleExplanation {
  const failed: string[] = [];
  for (const t of [...r.meta, ...r.content]) {
    if (t.content && ctx.stage === 'before') continue;
    if (!t.holds(ctx)) failed.push(`${t.says} — it was ${t.actual(ctx)}`);
  }
  if (r.window && !windowHolds(r.window, ctx)) {
    const lt = Number.isFinite(ctx.timeMs) ? localTime(r.window.zone, ctx.timeMs) : undefined;
    failed.push(`${windowSays(r.window)} — it was ${lt ? `${DAY_NAMES[lt.day]} ${hhmm(lt.minute)}` : 'not a valid time'}`);
  }
  if (r.unless) {
    const tests = [...r.unless.meta, ...(ctx.stage === 'after' ? r.unless.content : [])];
    if (tests.every((t) => t.holds(ctx))) failed.push(`unless ${tests.map((t) => t.says).join(' and ')} — and it was so`);
  }
  if (r.when && ctx.stage === 'after') {
    const w = whenFindings(r.when, ctx.findings);
    if (w.count <= r.when.countOver) failed.push(`${whenSays(r.when)} — found ${w.count}`);
  }
  if (r.limit) {
    const key = counterKey(r.limit, ctx);
    const v = counters.get(key, r.limit.per, ctx.timeMs);
    const size = r.limit.what === 'transfers' ? 1 : ctx.facts.size ?? ctx.facts.declaredSize ?? 0;
    if (v !== undefined && v + size <= r.limit.max) failed.push(`${limitSays(r.limit)} — ${v} counted so far`);
  }
  return { rule: r.id, effect: r.effect, mode: r.shadow ? 'shadow' : 'enforce', line: r.line, matched: failed.length === 0, failed };
}

/** Every rule of the policy, explained against one transfer. */
export function explainAll(policy: CompiledPolicy, stage: Stage, facts: TransferFacts, findings: readonly Finding[]): RuleExplanation[] {
  const ctx = makeContext(stage, facts, findings);
  return policy.compiled.map((r) => explainRule(r, ctx, policy.counters));
}
