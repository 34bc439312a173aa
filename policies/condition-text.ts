import { formatByteSize } from './byte-size.js';
import { translator } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/locale.js';

// What a rule's condition requires, and what a transfer had, in words of the
// reader's language (i18n/<lang>/policy.ts, cond): `ferry policy test`
// explains a near miss with them. The values (addresses, globs, labels,
// types, sizes) are the policy's and the transfer's own and stay as they are;
// --json keeps the English sentences.

export type Say =
  | { field: 'from' | 'to' | 'principal' | 'via' | 'direction' | 'label' | 'kind' | 'extension' | 'declaredType' | 'type'; any: string[] }
  | { field: 'hops' | 'declaredSize' | 'size'; min: number; max: number };

/** What the transfer had when there was nothing to compare, per field. */
const MISSING: Record<string, string> = { via: 'noneSystem', extension: 'none', declaredType: 'none', declaredSize: 'notDeclared', type: 'unknown', size: 'unknown' };

export function sayText(s: Say, locale: Locale): string {
  const t = translator(locale, 'policy');
  if ('any' in s) return t(`cond.${s.field}`, { any: s.any.join(t('cond.or')) });
  const fmt = s.field === 'hops' ? String : formatByteSize;
  const range = s.field === 'hops'
    ? (s.max === Number.POSITIVE_INFINITY ? t('cond.atLeast', { min: fmt(s.min) }) : t('cond.hopsRange', { min: fmt(s.min), max: fmt(s.max) }))
    : s.max === Number.POSITIVE_INFINITY ? t('cond.atLeast', { min: fmt(s.min) })
      : s.min === 0 ? t('cond.atMost', { max: fmt(s.max) }) : t('cond.between', { min: fmt(s.min), max: fmt(s.max) });
  return t(`cond.${s.field}`, { range });
}

/** "<condition> — it was <what the transfer had>". */
export function unmetText(s: Say, actual: string | undefined, locale: Locale): string {
  const t = translator(locale, 'policy');
  const had = actual ?? t(`cond.missing.${MISSING[s.field] ?? 'unknown'}`);
  return t('cond.itWas', { cond: sayText(s, locale), actual: had });
}
