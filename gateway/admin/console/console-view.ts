// What every page is rendered with: the reader's language, the administrator,
// the form token and the gateway's time zone; and the page shell around it.
import type { TFunction } from 'i18next';
import { messages, translator, type Catalogue } from '../../../i18n/catalogue.js';
import type { Locale } from '../../../i18n/locale.js';
import type { Administrator } from '../administrator.js';
import { pagesFor, type Page } from './console-access.js';
import { html, type Html, type Part } from './html.js';

export interface View {
  locale: Locale;
  m: Catalogue['console'];
  /** Messages with {{values}}. */
  t: TFunction;
  who: Administrator;
  csrf: string;
  zone: string;
  gateway: string;
  /** The request's path and query, for the language switch to come back to. */
  here: string;
}

export function makeView(locale: Locale, who: Administrator, csrf: string, zone: string, gateway: string, here: string): View {
  return { locale, m: messages(locale).console, t: translator(locale, 'console'), who, csrf, zone, gateway, here };
}

/** A time as text, in the gateway's zone. */
export function whenText(v: View, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(v.locale, { timeZone: v.zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(d);
}

/** A time in the gateway's zone, the stored UTC form in the title. */
export function when(v: View, iso: string | null | undefined): Html {
  if (!iso) return html`–`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return html`${iso}`;
  return html`<time datetime="${d.toISOString()}" title="${d.toISOString()}">${whenText(v, iso)}</time>`;
}

/** A transfer id short enough for a table and still telling (UUIDv7s share their time prefix). */
export function shortId(id: string): string {
  return `${id.slice(0, 8)}…${id.slice(-6)}`;
}

/** A name beside its stable code: 个人信息 <code>personal-data</code>. */
export function named(name: string | undefined, code: string): Html {
  return name && name !== code ? html`${name} <code>${code}</code>` : html`<code>${code}</code>`;
}

export function csrfField(v: View): Html {
  return html`<input type="hidden" name="csrf" value="${v.csrf}">`;
}

export function table(caption: string, head: string[], rows: Part[][], empty: string): Html {
  if (!rows.length) return html`<section><h2>${caption}</h2><p class="empty">${empty}</p></section>`;
  return html`<section><h2>${caption}</h2><table><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table></section>`;
}

export function layout(v: View, page: Page | null, title: string, body: Html): Html {
  const other: Locale = v.locale === 'zh-CN' ? 'en' : 'zh-CN';
  const nav = pagesFor(v.who.role).map((p) => html`<li><a href="/console/${p === 'overview' ? '' : p}"${p === page ? html` aria-current="page"` : ''}>${v.m.nav[p]}</a></li>`);
  return html`<!doctype html>
<html lang="${v.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf" content="${v.csrf}">
<title>${title} · ${v.m.title}</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${v.m.skip}</a>
<header>
<p class="brand">${v.m.title} <span>${v.t('gateway', { name: v.gateway })}</span></p>
<p class="who">${v.t('signedIn', { name: v.who.uri, role: v.m.roles[v.who.role] })} <code>${v.who.role}</code></p>
<p class="lang"><a href="/console/lang?to=${other}&amp;back=${encodeURIComponent(v.here)}" lang="${other}" hreflang="${other}">${v.m.otherLanguage}</a></p>
</header>
<nav aria-label="${v.m.title}"><ul>${nav}</ul></nav>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
<footer>${v.t('times', { zone: v.zone })}</footer>
</body>
</html>
`;
}
