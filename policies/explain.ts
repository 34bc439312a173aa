import type { Finding } from '../protocol/findings.js';
import { counterKey, limitSays, whenFindings, whenSays, windowHolds, windowSays, type CompiledRule } from './compiled-rule.js';
import { makeContext, type EvalContext, type Stage } from './eval-context.js';
import { localTime, DAY_NAMES } from './time-window.js';
import type { CompiledPolicy } from './policy-engine.js';
import type { CounterSource } from './rate-counters.js';
import type { TransferFacts } from './types.js';
import { sayText, unmetText } from './condition-text.js';
import { translator } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/locale.js';

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

function explainRule(r: CompiledRule, ctx: EvalContext, counters: CounterSource, locale: Locale): RuleExplanation {
  const say = translator(locale, 'policy');
  const failed: string[] = [];
  for (const t of [...r.meta, ...r.content]) {
    if (t.content && ctx.stage === 'before') continue;
    if (!t.holds(ctx)) failed.push(unmetText(t.says, t.actual(ctx), locale));
  }
  if (r.window && !windowHolds(r.window, ctx)) {
    const lt = Number.isFinite(ctx.timeMs) ? localTime(r.window.zone, ctx.timeMs) : undefined;
    failed.push(say('cond.itWas', { cond: windowSays(r.window, locale), actual: lt ? `${DAY_NAMES[lt.day]} ${hhmm(lt.minute)}` : say('cond.missing.invalidTime') }));
  }
  if (r.unless) {
    const tests = [...r.unless.meta, ...(ctx.stage === 'after' ? r.unless.content : [])];
    if (tests.every((t) => t.holds(ctx))) failed.push(say('cond.unless', { conds: tests.map((t) => sayText(t.says, locale)).join(say('cond.and')) }));
  }
  if (r.when && ctx.stage === 'after') {
    const w = whenFindings(r.when, ctx.findings);
    if (w.count <= r.when.countOver) failed.push(say('cond.found', { cond: whenSays(r.when, locale), n: w.count }));
  }
  if (r.limit) {
    const key = counterKey(r.limit, ctx);
    const v = counters.get(key, r.limit.per, ctx.timeMs);
    const size = r.limit.what === 'transfers' ? 1 : ctx.facts.size ?? ctx.facts.declaredSize ?? 0;
    if (v !== undefined && v + size <= r.limit.max) failed.push(say('cond.counted', { cond: limitSays(r.limit, locale), n: v }));
  }
  return { rule: r.id, effect: r.effect, mode: r.shadow ? 'shadow' : 'enforce', line: r.line, matched: failed.length === 0, failed };
}

/** Every rule of the policy, explained against one transfer, in words of `locale` (English for --json). */
export function explainAll(policy: CompiledPolicy, stage: Stage, facts: TransferFacts, findings: readonly Finding[], locale: Locale = 'en'): RuleExplanation[] {
  const ctx = makeContext(stage, facts, findings);
  return policy.compiled.map((r) => explainRule(r, ctx, policy.counters, locale));
}
