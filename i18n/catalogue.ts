// Every message a person reads, in each language, behind one lookup. The
// catalogues are plain typed objects (en/, zh-CN/); i18next does the lookup,
// interpolation ({{name}}) and plurals, so no part of Ferry formats text itself.
import i18next, { type TFunction } from 'i18next';
import { en } from './en/index.js';
import type { Locale } from './locale.js';
import { zhCN } from './zh-CN/index.js';

export type Catalogue = typeof en;
export type Namespace = keyof Catalogue;

const CATALOGUES: Record<Locale, Catalogue> = { en, 'zh-CN': zhCN };

const instance = i18next.createInstance();
void instance.init({
  resources: { en: en as unknown as Record<string, object>, 'zh-CN': zhCN as unknown as Record<string, object> },
  ns: Object.keys(en),
  fallbackLng: 'en',
  initAsync: false,
  // Text goes to terminals, JSON and logs; HTML escaping is the page renderer's job.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The catalogue itself, for typed access: `messages('zh-CN').findings.kinds.keyword`. */
export function messages(locale: Locale): Catalogue {
  return CATALOGUES[locale];
}

/** A lookup bound to one language and namespace: `translator('zh-CN', 'cli')('sent', { id })`. */
export function translator(locale: Locale, ns: Namespace): TFunction {
  return instance.getFixedT(locale, ns);
}
