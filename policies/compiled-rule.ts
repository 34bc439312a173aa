import type { Finding } from '../protocol/findings.js';
import type { Effect, Obligations } from './types.js';
import type { EvalContext } from './eval-context.js';
import type { MatchInfo, Test } from './match-tests.js';
import type { Period } from './rate-counters.js';
import { inWindow, type CompiledWindow } from './time-window.js';

// A rule after compilation: the tests of its match, and the parts that need
// more than metadata (findings, counters, the clock).

export interface CompiledWhen {
  kinds: ReadonlySet<string>;
  subkinds?: ReadonlySet<string>;
  countOver: number;
}

export interface CompiledLimit {
  what: 'transfers' | 'bytes';
  max: number;
  per: Period;
  by: 'principal' | 'route';
}

export interface CompiledRule {
  id: string;
  index: number;
  effect: Effect;
  shadow: boolean;
  description: string;
  line: number;
  column: number;
  /** metadata tests of `match` */
  meta: Test[];
  /** content tests of `match` (sniffed type, actual size) */
  content: Test[];
  when?: CompiledWhen;
  unless?: { meta: Test[]; content: Test[] };
  window?: CompiledWindow;
  limit?: CompiledLimit;
  obligations?: Obligations;
  info: MatchInfo;
  /** true when the rule cannot be decided before the content is known */
  needsContent: boolean;
}

export function whenFindings(w: CompiledWhen, findings: readonly Finding[]): { hits: Finding[]; count: number } {
  const hits: Finding[] = [];
  let count = 0;
  for (const f of findings) {
    if (!w.kinds.has(f.kind)) continue;
    if (w.subkinds && (f.subkind === undefined || !w.subkinds.has(f.subkind))) continue;
    hits.push(f);
    count += f.count ?? 1;
  }
  return { hits, count };
}

export function whenSays(w: CompiledWhen): string {
  const kinds = [...w.kinds].join(' or ');
  const sub = w.subkinds ? ` (${[...w.subkinds].join(' or ')})` : '';
  const article = /^[aeiou]/.test(kinds) ? 'an' : 'a';
  return w.countOver === 0 ? `there is ${article} ${kinds}${sub} finding` : `there are more than ${w.countOver} ${kinds}${sub} findings`;
}

export function windowSays(w: CompiledWindow): string {
  return `the time is ${w.outside ? 'outside' : 'within'} ${w.text}`;
}

export function windowHolds(w: CompiledWindow, ctx: EvalContext): boolean {
  return Number.isFinite(ctx.timeMs) && inWindow(w, ctx.timeMs);
}

export function counterKey(l: CompiledLimit, ctx: EvalContext): string {
  const who = l.by === 'principal' ? ctx.facts.principal : `${ctx.facts.source}>${ctx.facts.destination}`;
  return `${l.what}/${l.per}:${l.by}=${who}`;
}

export function limitSays(l: CompiledLimit): string {
  const amount = l.what === 'transfers' ? `${l.max} transfers` : `${l.max} bytes`;
  return `more than ${amount} per ${l.per} per ${l.by}`;
}
