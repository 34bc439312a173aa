// Overview (every role): the last day's events and refusals, the queue,
// health and what expires soon. The #live part is re-rendered by the server
// and pushed over server-sent events.
import { isFindingKind } from '../../../protocol/findings.js';
import { messages } from '../../../i18n/catalogue.js';
import type { ExpiryItem } from '../../trust/gateway-trust.js';
import type { HealthReport } from '../health-checks.js';
import type { Overview } from './console-queries.js';
import { html, type Html } from './html.js';
import { named, table, when, whenText, type View } from './console-view.js';

export interface OverviewData {
  stats: Overview;
  queue: Record<string, number>;
  health: HealthReport;
  expiries: ExpiryItem[];
  now: number;
}

function bar(n: number, max: number, cls = ''): Html {
  const w = max ? Math.max(2, Math.round((n / max) * 160)) : 0;
  return html`<span class="bar ${cls}" style="width:${w}px"></span> ${n}`;
}

export function overviewLive(v: View, d: OverviewData): Html {
  const m = v.m.overview;
  const status = !d.health.ready ? 'not-ready' : d.health.degraded.length ? 'degraded' : 'ready';
  const events = Object.entries(d.stats.events).sort((a, b) => b[1] - a[1]);
  const maxHour = Math.max(0, ...d.stats.byHour.map((h) => h.decided));
  const findingName = (k: string) => (isFindingKind(k) ? messages(v.locale).findings.kinds[k] : undefined);
  const eventName = (e: string) => (v.m.events as Record<string, string>)[e];
  const stateName = (s: string) => (v.m.states as Record<string, string>)[s];
  return html`<p>${v.t('overview.window', { records: d.stats.records })} · <span class="warn">${m.live}</span> · ${v.t('overview.updated', { time: whenText(v, new Date(d.now).toISOString()) })}</p>
<div class="grid">
<section><h2>${m.health}</h2>
<p class="${status === 'ready' ? 'good' : 'bad'}">${named(m.status[status], status)}</p>
${[...d.health.reasons, ...d.health.degraded].length
    ? html`<ul>${[...d.health.reasons, ...d.health.degraded].map((r) => html`<li>${r}</li>`)}</ul>`
    : html`<p class="empty">${m.noReasons}</p>`}
</section>
${table(m.queue, [m.state, m.count], Object.entries(d.queue).filter(([, n]) => n > 0).map(([s, n]) => [named(stateName(s), s), n]), v.m.none)}
${table(m.events, [m.event, m.count], events.map(([e, n]) => [named(eventName(e), e), n]), v.m.none)}
${table(m.byRule, [m.rule, m.count], d.stats.deniedByRule.map((r) => [html`<code>${r.rule}</code>`, bar(r.n, d.stats.deniedByRule[0]!.n, 'deny')]), v.m.none)}
${table(m.byFinding, [m.finding, m.count], d.stats.deniedByFinding.map((r) => [named(findingName(r.kind), r.kind), bar(r.n, d.stats.deniedByFinding[0]!.n, 'deny')]), v.m.none)}
${table(m.expiries, [m.kind, m.name, m.expires, m.daysLeft], d.expiries.map((e) => {
    const days = Math.floor((e.notAfter.getTime() - d.now) / 86_400_000);
    return [named(m.expiryKinds[e.kind], e.kind), e.name, when(v, e.notAfter.toISOString()), html`<span class="${days < 30 ? 'bad' : ''}">${days}</span>`];
  }), v.m.none)}
</div>
${table(m.perHour, [m.hour, m.decisions, m.refusals], d.stats.byHour.map((h) => [when(v, `${h.hour}:00:00Z`), bar(h.decided, maxHour), bar(h.denied, maxHour, 'deny')]), v.m.none)}`;
}

export function overviewPage(v: View, d: OverviewData): Html {
  return html`<div id="live" aria-live="polite">${overviewLive(v, d)}</div>`;
}
