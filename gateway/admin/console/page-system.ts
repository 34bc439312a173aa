// System (sysadmin): listeners, routes, peers, destinations, the queue per
// destination, and retry now or cancel for a transfer still to deliver.
import type { GatewayConfig } from '../../config/gateway-config.js';
import type { Transfer } from '../../store/transfer-store.js';
import { html, type Html } from './html.js';
import { csrfField, named, table, when, type View } from './console-view.js';
import type { Notice } from './page-policy.js';

export interface Listeners {
  networks: Record<string, number>;
  admin: number;
  api: number;
}

export function systemPage(v: View, config: GatewayConfig, ports: Listeners, waiting: Transfer[], notice: Notice | null): Html {
  const m = v.m.system;
  const states = v.m.states as Record<string, string>;
  const host = (h: string) => (h.includes(':') ? `[${h}]` : h);
  const byDest = new Map<string, Record<string, number>>();
  for (const r of waiting) {
    const c = byDest.get(r.destination) ?? {};
    c[r.state] = (c[r.state] ?? 0) + 1;
    byDest.set(r.destination, c);
  }
  const action = (what: 'retry' | 'cancel', id: string, label: string) =>
    html`<form method="post" action="/console/system/${what}" class="inline">${csrfField(v)}<input type="hidden" name="id" value="${id}"><button type="submit"${what === 'cancel' ? html` class="secondary"` : ''} aria-label="${label} ${id}">${label}</button></form>`;
  return html`${notice ? html`<p class="notice ${notice.ok ? '' : 'bad'}" role="status">${notice.text}</p>` : ''}
<div class="grid">
${table(m.listeners, [m.network, m.address], [
    ...config.networks.map((n) => [html`<code>${n.name}</code>`, `${host(n.listen.host)}:${ports.networks[n.name] ?? n.listen.port}`]),
    [m.adminPlane, `${host(config.admin!.listen.host)}:${ports.admin}`],
    [m.console, `${host(config.admin!.apiListen.host)}:${ports.api}`],
  ], v.m.none)}
${table(m.routes, [m.to, m.via, m.url], [...config.routing.routes.values()].map((r) => [html`<code>${r.network}</code>`, html`<code>${r.via}</code>`, r.url]), v.m.none)}
${table(m.peers, [m.peer, m.network], [...config.routing.peers.values()].map((p) => [html`<code>${p.name}</code>`, p.networks.join(', ')]), v.m.none)}
${table(m.destinations, [m.destination, m.delivery, m.url], [...config.destinations].map(([id, d]) => [html`<code>${id}</code>`, html`<code>${d.delivery}</code>`, d.url ?? '–']), v.m.none)}
${table(m.queue, [m.destination, m.state], [...byDest].map(([d, c]) => [html`<code>${d}</code>`, Object.entries(c).map(([s, n]) => html`${named(states[s], s)}: ${n} `)]), m.nothingQueued)}
</div>
${table(m.queued, [v.m.transfers.transfer, m.destination, m.state, m.attempts, m.nextAttempt, m.lastReason, ''], waiting.map((r) => [
    html`<code>${r.id}</code>`, r.destination, named(states[r.state], r.state), r.attempts, when(v, new Date(r.nextAttemptAt).toISOString()), r.reason ?? '–',
    html`${action('retry', r.id, m.retry)} ${action('cancel', r.id, m.cancel)}`,
  ]), m.nothingQueued)}`;
}
