import type { Finding } from '../protocol/findings.js';
import type { Decision } from './types.js';
import { translator } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/locale.js';

// Words for people, shared by the policy commands, in the reader's language
// (i18n/*/policy.ts). Kinds, rule ids, verdicts and hashes stay as they are.

export function findingText(f: Finding, locale: Locale = 'en'): string {
  const t = translator(locale, 'policy');
  const parts: string[] = [f.kind];
  if (f.subkind) parts.push(f.subkind);
  if ((f.count ?? 1) > 1) parts.push(`×${f.count}`);
  if (f.path) parts.push(t('finding.in', { path: f.path }));
  if (f.offset !== undefined) parts.push(t('finding.offset', { offset: f.offset }));
  if (f.sample) parts.push(`(${f.sample})`);
  return parts.join(' ');
}

/** The decision in lines; `reason` is the decision's reason in the reader's words (reason-words.ts), the engine's own by default. */
export function decisionLines(d: Decision, locale: Locale = 'en', reason: string = d.reason): string[] {
  const t = translator(locale, 'policy');
  const lines = [t('verdict', { verdict: d.verdict }), t('rule', { rule: d.rule ?? t('defaultDeny') }), t('reason', { reason })];
  if (d.findings?.length) lines.push(t('findingsCounted'), ...d.findings.map((f) => `  ${findingText(f, locale)}`));
  if (d.obligations) lines.push(t('obligations', { list: Object.entries(d.obligations).map(([k, v]) => `${k}=${String(v)}`).join(', ') }));
  if (d.limited) lines.push(t('limited', { seconds: d.retryAfter ?? '?' }));
  if (d.shadow?.length) lines.push(...d.shadow.map((s) => t('shadow', { rule: s.rule, effect: s.effect })));
  if (d.counters) lines.push(...Object.entries(d.counters).map(([k, v]) => t('counter', { key: k, value: v })));
  lines.push(t('policyHash', { hash: d.policyHash }));
  return lines;
}
