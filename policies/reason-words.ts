import type { Stage } from './eval-context.js';
import type { CompiledPolicy } from './policy-engine.js';
import type { Decision, TransferFacts } from './types.js';
import { translator } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/locale.js';

// The decision's reason said again in the reader's language, for the
// terminal of `ferry policy test`. The engine writes one English sentence
// (it goes into the audit log and the sender's answer); here the same parts —
// the rule, its description as the author wrote it, the findings, the limit —
// are put into the catalogue's sentence. English readers get the engine's own.

export function reasonIn(d: Decision, policy: CompiledPolicy, stage: Stage, facts: TransferFacts, locale: Locale): string {
  if (locale === 'en') return d.reason;
  const t = translator(locale, 'policy');
  if (d.rule === null) return t('why.defaultDeny', { kind: facts.kind, source: facts.source, destination: facts.destination, label: facts.label });
  const rule = policy.compiled.find((r) => r.id === d.rule);
  if (!rule) return d.reason;
  const description = rule.description.replace(/[.。]$/, '');
  if (d.verdict === 'allow') {
    return stage === 'before' && rule.needsContent ? t('why.pending', { rule: rule.id }) : t('why.allowed', { rule: rule.id, description });
  }
  let s = t('why.denied', { rule: rule.id, description });
  if (d.findings?.length) {
    const n = d.findings.reduce((a, f) => a + (f.count ?? 1), 0);
    s += t('why.findings', { n, kinds: [...new Set(d.findings.map((f) => f.kind))].join(', ') });
  }
  if (d.limited && rule.limit) {
    const l = rule.limit;
    const prefix = `${l.what}/${l.per}:${l.by}=`;
    const counted = Object.entries(d.counters ?? {}).find(([k]) => k.startsWith(prefix))?.[1] ?? '?';
    s += t('why.limit', { max: l.max, what: l.what, per: l.per, by: l.by, counted, retry: d.retryAfter !== undefined ? t('why.retry', { seconds: d.retryAfter }) : '' });
  }
  return s + t('why.end');
}
