import type { Finding } from '../protocol/findings.js';
import type { Effect, Obligations } from './types.js';
import type { EvalContext } from './eval-context.js';
import type { MatchInfo, Test } from './match-tests.js';
import type { Period } from './rate-counters.js';
import { inWindow, type CompiledWindow } from './time-window.js';
import { translator } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/locale.js';

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

export function whenSays(w: CompiledWhen, locale: Locale = 'en'): string {
  const t = translator(locale, 'policy');
  const kinds = [...w.kinds].join(t('cond.or'));
  const sub = w.subkinds ? t('cond.subkinds', { subkinds: [...w.subkinds].join(t('cond.or')) }) : '';
  if (w.countOver > 0) return t('cond.whenMore', { n: w.countOver, kinds, sub });
  return t(/^[aeiou]/.test(kinds) ? 'cond.whenAn' : 'cond.whenA', { kinds, sub });
}

export function windowSays(w: CompiledWindow, locale: Locale = 'en'): string {
  return translator(locale, 'policy')(w.outside ? 'cond.windowOutside' : 'cond.window', { window: w.text });
}

export function windowHolds(w: CompiledWindow, ctx: EvalContext): boolean {
  return Number.isFinite(ctx.timeMs) && inWindow(w, ctx.timeMs);
}

export function counterKey(l: CompiledLimit, ctx: EvalContext): string {
  const who = l.by === 'principal' ? ctx.facts.principal : `${ctx.facts.source}>${ctx.facts.destination}`;
  return `${l.what}/${l.per}:${l.by}=${who}`;
}

export function limitSays(l: CompiledLimit, locale: Locale = 'en'): string {
  const t = translator(locale, 'policy');
  return t('cond.limit', { amount: t(l.what === 'transfers' ? 'cond.transfers' : 'cond.bytes', { n: l.max }), per: l.per, by: l.by });
}
