// Which language a person reads. Simplified Chinese is the deployments' own
// language; English is the other. The CLI picks by --lang, then LANG/LC_ALL; a
// request's refusal picks by Accept-Language. Codes never change with the language.
import Negotiator from 'negotiator';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** What a person gets when nothing says otherwise: the console and `ferry init`'s operators read Chinese first. */
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export function isLocale(s: string): s is Locale {
  return (LOCALES as readonly string[]).includes(s);
}

/** Any tag of the two languages (zh, zh-Hans, zh_CN.UTF-8, en-GB…) to one of ours, or undefined. */
export function localeOf(tag: string | undefined): Locale | undefined {
  if (!tag) return undefined;
  const t = tag.trim().toLowerCase().replace(/_/g, '-').replace(/\..*$/, '');
  // Only Simplified Chinese is written; a Traditional-Chinese reader gets it rather than English.
  if (t === 'zh' || t.startsWith('zh-')) return 'zh-CN';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return undefined;
}

/**
 * The language of an HTTP answer from the request's Accept-Language (RFC 9110
 * 12.5.4, q-values honoured). No header, or none of ours: `fallback`.
 */
export function negotiate(acceptLanguage: string | undefined, fallback: Locale = 'en'): Locale {
  if (!acceptLanguage) return fallback;
  const ranked = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).languages();
  for (const tag of ranked) {
    if (tag === '*') return fallback;
    const l = localeOf(tag);
    if (l) return l;
  }
  return fallback;
}

/** The CLI's language: --lang, else LC_ALL, LC_MESSAGES, LANG (POSIX order); "C"/"POSIX" or unset is English. */
export function localeFromEnv(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Locale {
  for (const v of [flag, env.LC_ALL, env.LC_MESSAGES, env.LANG]) {
    if (!v) continue;
    const l = localeOf(v);
    if (l) return l;
    if (flag && v === flag) throw new Error(`Unknown language '${flag}': use zh-CN or en.`);
    return 'en';
  }
  return 'en';
}
