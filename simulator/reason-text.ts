import { translator } from '../i18n/catalogue.js';
import type { sim } from '../i18n/en/sim.js';
import type { Locale } from '../i18n/locale.js';

// Why a run is not valid, as data (report.json keeps it) and as a sentence in
// either language: report.json's `reasons` are the English sentences, the
// terminal says them in the reader's language.

export type ReasonKey = keyof typeof sim.reasons;
export interface Reason { key: ReasonKey; params: Record<string, string | number> }

export function reasonText(r: Reason, locale: Locale): string {
  return translator(locale, 'sim')(`reasons.${r.key}`, r.params);
}
