import type { Finding } from '../protocol/findings.js';
import type { Label } from '../protocol/transfer.js';
import { counterKey, whenFindings, windowHolds, type CompiledLimit, type CompiledRule } from './compiled-rule.js';
import { makeContext, type EvalContext, type Stage } from './eval-context.js';
import { CounterStore, type CounterSource } from './rate-counters.js';
import { RuleCursor, RuleList } from './rule-index.js';
import type { Decision, Obligations, PolicyEngine, ShadowVerdict, TransferFacts } from './types.js';

// The evaluator. Rules are indexed by (source network, destination network)
// once, at load, and within a pair by the systems they name (rule-index.ts); a
// decision looks only at the rules that can match its pair and systems, in
// file order. Semantics (docs/policy-language.md): any matching enforce-mode
// deny wins; else any matching allow allows; else the default deny (rule null).
// Before content, rules that need content are "pending": a pending deny never
// denies on missing data, a pending allow lets the transfer proceed to inspection.

export interface RuleInfo {
  id: string;
  effect: 'allow' | 'deny';
  mode: 'enforce' | 'shadow';
  description: string;
  line: number;
  column: number;
  needsContent: boolean;
}

/** A counter an audit record did not keep: the record cannot be re-evaluated. */
export class MissingCounterError extends Error {
  readonly key: string;
  constructor(key: string) {
    super(`the record does not carry counter '${key}' that rule limits need`);
    this.key = key;
  }
}

interface Bucket {
  enforce: RuleList;
  shadow: RuleList;
}

const bucketOf = (rules: readonly CompiledRule[]): Bucket => {
  const b: Bucket = { enforce: new RuleList(), shadow: new RuleList() };
  for (const r of rules) (r.shadow ? b.shadow : b.enforce).add(r);
  return b;
};

const NO = 0;
const YES = 1;
const PENDING = 2;
type Outcome = typeof NO | typeof YES | typeof PENDING;

/** Filled by evalRule for the rule that matched; reused to spare allocations. */
interface Scratch {
  hits: Finding[] | undefined;
  limited: { key: string; value: number; limit: CompiledLimit } | undefined;
}

export function evalRule(rule: CompiledRule, ctx: EvalContext, counters: CounterSource, seen: Record<string, number>, scratch: Scratch): Outcome {
  scratch.hits = undefined;
  scratch.limited = undefined;
  for (const t of rule.meta) if (!t.holds(ctx)) return NO;
  if (rule.window && !windowHolds(rule.window, ctx)) return NO;
  let pending = false;
  const before = ctx.stage === 'before';
  if (rule.unless) {
    let holds = true;
    for (const t of rule.unless.meta) if (!t.holds(ctx)) { holds = false; break; }
    if (holds) {
      if (rule.unless.content.length === 0) return NO;
      if (before) pending = true;
      else if (rule.unless.content.every((t) => t.holds(ctx))) return NO;
    }
  }
  if (before) {
    if (rule.content.length > 0 || rule.when) pending = true;
  } else {
    for (const t of rule.content) if (!t.holds(ctx)) return NO;
    if (rule.when) {
      const w = whenFindings(rule.when, ctx.findings);
      if (w.count <= rule.when.countOver) return NO;
      scratch.hits = w.hits;
    }
  }
  if (rule.limit) {
    const l = rule.limit;
    const key = counterKey(l, ctx);
    const value = counters.get(key, l.per, ctx.timeMs);
    if (value === undefined) throw new MissingCounterError(key);
    seen[key] = value;
    let over: boolean;
    if (l.what === 'transfers') over = value + 1 > l.max;
    else {
      const size = before ? ctx.facts.declaredSize : ctx.facts.size ?? ctx.facts.declaredSize;
      // Before the body, an undeclared size is unknown: deny only once the volume is used up.
      over = size === undefined ? value >= l.max : value + size > l.max;
    }
    if (!over) return NO;
    scratch.limited = { key, value, limit: l };
  }
  return pending ? PENDING : YES;
}

export class CompiledPolicy implements PolicyEngine {
  readonly name: string;
  readonly hash: string;
  readonly defaultLabel: Label | undefined;
  readonly networks: readonly string[];
  readonly rules: readonly RuleInfo[];
  readonly compiled: readonly CompiledRule[];
  #index = new Map<string, Map<string, Bucket>>();
  #all: Bucket;
  #counters: CounterStore;
  #dimensions: CompiledLimit[];
  #scratch: Scratch = { hits: undefined, limited: undefined };
  #firstBucket = new Map<CompiledRule, Bucket>();
  #cursor = new RuleCursor();

  constructor(opts: { name: string; hash: string; networks: string[]; rules: CompiledRule[]; counters?: CounterStore; defaultLabel?: Label | undefined }) {
    this.name = opts.name;
    this.defaultLabel = opts.defaultLabel;
    this.hash = opts.hash;
    this.networks = opts.networks;
    this.compiled = opts.rules;
    this.rules = opts.rules.map((r) => ({ id: r.id, effect: r.effect, mode: r.shadow ? 'shadow' : 'enforce', description: r.description, line: r.line, column: r.column, needsContent: r.needsContent }));
    this.#counters = opts.counters ?? new CounterStore();
    this.#all = bucketOf(opts.rules);
    for (const s of opts.networks) {
      const row = new Map<string, Bucket>();
      for (const d of opts.networks) row.set(d, bucketOf([]));
      this.#index.set(s, row);
    }
    // One pass over the rules, each placed in the buckets of the pairs it can
    // match; rules come in file order, so every bucket stays in file order.
    for (const r of opts.rules) {
      const srcs = opts.networks.filter((n) => !r.info.from || r.info.from.some((g) => g.network.test(n)));
      const dsts = opts.networks.filter((n) => !r.info.to || r.info.to.some((g) => g.network.test(n)));
      let first: Bucket | undefined;
      for (const s of srcs) {
        for (const d of dsts) {
          if (r.info.direction && !r.info.direction.some(([a, b]) => a.test(s) && b.test(d))) continue;
          const b = this.#index.get(s)!.get(d)!;
          (r.shadow ? b.shadow : b.enforce).add(r);
          first ??= b;
        }
      }
      if (first) this.#firstBucket.set(r, first);
    }
    const dims = new Map<string, CompiledLimit>();
    for (const r of opts.rules) if (r.limit) dims.set(`${r.limit.what}/${r.limit.per}/${r.limit.by}`, r.limit);
    this.#dimensions = [...dims.values()];
  }

  get counters(): CounterStore {
    return this.#counters;
  }

  /** Rules that can match a transfer between these networks (all rules for an undeclared network). */
  candidates(sourceNetwork: string, destinationNetwork: string): Bucket {
    return this.#index.get(sourceNetwork)?.get(destinationNetwork) ?? this.#all;
  }

  /** Rules that can match no pair of declared networks. */
  unreachable(): CompiledRule[] {
    return this.compiled.filter((r) => !this.#firstBucket.has(r));
  }

  /** The rules sharing one network pair with `r` that can cover it (rule-index.ts), in file order: the lint looks at no other. */
  neighbours(r: CompiledRule): CompiledRule[] {
    const b = this.#firstBucket.get(r);
    if (!b) return [];
    return [...b.enforce.mayCover(r), ...b.shadow.mayCover(r)].sort((x, y) => x.index - y.index);
  }

  before(facts: TransferFacts): Decision {
    return this.decide('before', facts, [], this.#counters);
  }

  after(facts: TransferFacts, findings: Finding[]): Decision {
    return this.decide('after', facts, findings, this.#counters);
  }

  record(facts: TransferFacts): void {
    const ms = Date.parse(facts.time);
    if (!Number.isFinite(ms)) return;
    const ctx = makeContext('after', facts, []);
    for (const l of this.#dimensions) {
      const amount = l.what === 'transfers' ? 1 : facts.size ?? facts.declaredSize ?? 0;
      this.#counters.add(counterKey(l, ctx), l.per, ms, amount);
    }
  }

  /** Decide with an explicit counter source: the live store, or recorded counters for replay. */
  decide(stage: Stage, facts: TransferFacts, findings: readonly Finding[], counters: CounterSource): Decision {
    const ctx = makeContext(stage, facts, findings);
    const bucket = this.candidates(ctx.sourceNetwork, ctx.destinationNetwork);
    const seen: Record<string, number> = {};
    const sc = this.#scratch;
    let deny: CompiledRule | undefined;
    let denyHits: Finding[] | undefined;
    let denyLimited: Scratch['limited'];
    let allow: CompiledRule | undefined;
    let pendingAllow: CompiledRule | undefined;
    let obligations: Obligations | undefined;
    const enforce = bucket.enforce.walk(facts, this.#cursor);
    for (let rule = enforce.next(); rule !== undefined; rule = enforce.next()) {
      const o = evalRule(rule, ctx, counters, seen, sc);
      if (o === NO) continue;
      if (rule.effect === 'deny') {
        if (o === YES) {
          deny = rule;
          denyHits = sc.hits;
          denyLimited = sc.limited;
          break;
        }
      } else if (o === YES) {
        allow ??= rule;
        if (rule.obligations) obligations = mergeObligations(obligations, rule.obligations);
      } else pendingAllow ??= rule;
    }
    let shadow: ShadowVerdict[] | undefined;
    const shadowed = bucket.shadow.walk(facts, this.#cursor);
    for (let rule = shadowed.next(); rule !== undefined; rule = shadowed.next()) {
      if (evalRule(rule, ctx, counters, seen, sc) === YES) (shadow ??= []).push({ rule: rule.id, effect: rule.effect });
    }
    const d: Decision = deny
      ? this.#denied(deny, ctx, denyHits, denyLimited, counters)
      : allow
        ? { verdict: 'allow', rule: allow.id, reason: `Allowed by rule '${allow.id}': ${allow.description}`, policyHash: this.hash, ...(obligations ? { obligations } : {}) }
        : pendingAllow
          ? { verdict: 'allow', rule: pendingAllow.id, reason: `May proceed to inspection: rule '${pendingAllow.id}' can allow it once the content is known.`, policyHash: this.hash }
          : { verdict: 'deny', rule: null, reason: `No rule allows a ${facts.kind} from ${facts.source} to ${facts.destination} with label ${facts.label}; the default is deny.`, policyHash: this.hash };
    if (shadow) d.shadow = shadow;
    // Attach counters only when a limit was read (no Object.keys on the hot path).
    for (const _ in seen) {
      d.counters = seen;
      break;
    }
    return d;
  }

  #denied(rule: CompiledRule, ctx: EvalContext, hits: Finding[] | undefined, limited: Scratch['limited'], counters: CounterSource): Decision {
    const d: Decision = { verdict: 'deny', rule: rule.id, reason: `Denied by rule '${rule.id}': ${rule.description.replace(/\.$/, '')}`, policyHash: this.hash };
    if (hits?.length) {
      d.findings = hits;
      const n = hits.reduce((a, f) => a + (f.count ?? 1), 0);
      d.reason += ` (${n} ${[...new Set(hits.map((f) => f.kind))].join(', ')} finding${n === 1 ? '' : 's'})`;
    }
    if (limited) {
      const l = limited.limit;
      const need = l.what === 'transfers' ? 1 : (ctx.stage === 'before' ? ctx.facts.declaredSize : ctx.facts.size ?? ctx.facts.declaredSize) ?? 0;
      d.limited = true;
      const retry = counters.retryAfter?.(limited.key, l.per, ctx.timeMs, l.max, need);
      if (retry !== undefined) d.retryAfter = retry;
      d.reason += ` (limit: ${l.max} ${l.what} per ${l.per} per ${l.by}; ${limited.value} already counted${retry !== undefined ? `; retry in ${retry} s` : ''})`;
    }
    d.reason += '.';
    return d;
  }
}

function mergeObligations(a: Obligations | undefined, b: Obligations): Obligations {
  if (!a) return { ...b };
  const out: Obligations = { ...a };
  // The strictest obligation of the allowing rules applies.
  if (b.retainDays !== undefined) out.retainDays = Math.max(out.retainDays ?? 0, b.retainDays);
  if (b.requirePull) out.requirePull = true;
  return out;
}
