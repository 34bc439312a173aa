import type { CompiledRule } from './compiled-rule.js';
import { said, type Said } from '../i18n/problem-text.js';
import { globCovers, type CompiledGlob } from './glob.js';
import type { AddressGlob, MatchInfo, SizeRange } from './match-tests.js';

// Warnings about rules that can never decide. Conservative: a warning is given
// only when it is certain (a covering rule with no conditions beyond its match),
// so an operator can trust every one of them.

export interface LintWarning extends Said {
  rule: CompiledRule;
}

const globsCover = (a: readonly CompiledGlob[], b: readonly CompiledGlob[]) => b.every((g) => a.some((o) => globCovers(o, g)));
const addrCover = (a: readonly AddressGlob[], b: readonly AddressGlob[]) => b.every((g) => a.some((o) => globCovers(o.glob, g.glob)));
const setCover = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...b].every((x) => a.has(x));
const rangeCover = (a: SizeRange, b: SizeRange) => a.min <= b.min && a.max >= b.max;

/** Does every transfer that `b` matches also match `a` (on the match block alone)? */
export function matchCovers(a: MatchInfo, b: MatchInfo): boolean {
  const need = <K extends keyof MatchInfo>(k: K, cover: (x: NonNullable<MatchInfo[K]>, y: NonNullable<MatchInfo[K]>) => boolean) =>
    a[k] === undefined || (b[k] !== undefined && cover(a[k]!, b[k]!));
  return (
    need('from', addrCover) &&
    need('to', addrCover) &&
    need('principal', globsCover) &&
    need('direction', (x, y) => y.every(([s, d]) => x.some(([os, od]) => globCovers(os, s) && globCovers(od, d)))) &&
    need('label', setCover) &&
    need('kind', setCover) &&
    need('extension', globsCover) &&
    need('declaredType', globsCover) &&
    need('type', globsCover) &&
    need('size', rangeCover) &&
    need('declaredSize', rangeCover)
  );
}

const unconditional = (r: CompiledRule) => !r.when && !r.window && !r.unless && !r.limit && !r.shadow;

/** `neighbours(r)`: the rules that share a network pair with r, in file order; only they can cover it. */
export function lintRules(rules: readonly CompiledRule[], unreachable: readonly CompiledRule[], neighbours: (r: CompiledRule) => readonly CompiledRule[] = () => rules): LintWarning[] {
  const out: LintWarning[] = [];
  const dead = new Set(unreachable);
  for (const r of unreachable) out.push({ rule: r, ...said('policy.unreachable', { rule: r.id }) });
  for (const r of rules) {
    if (dead.has(r)) continue;
    const near = neighbours(r);
    if (r.effect === 'allow') {
      const deny = near.find((d) => d !== r && d.effect === 'deny' && unconditional(d) && !dead.has(d) && matchCovers(d.info, r.info));
      if (deny) {
        out.push({ rule: r, ...said('policy.neverAllows', { rule: r.id, deny: deny.id, line: deny.line }) });
        continue;
      }
    }
    if (r.obligations || r.shadow) continue;
    // Among rules of one effect, the first in file order is named as the decider.
    const earlier = near.find((e) => e.index < r.index && e.effect === r.effect && unconditional(e) && !dead.has(e) && matchCovers(e.info, r.info));
    if (earlier) out.push({ rule: r, ...said('policy.shadowed', { rule: r.id, effect: r.effect, earlier: earlier.id, line: earlier.line }) });
  }
  return out;
}
