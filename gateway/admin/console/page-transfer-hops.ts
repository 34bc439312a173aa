// One transfer's path across gateways, on its timeline page: the steps this
// gateway's records know (hopsOf, the same reading `ferry log trace` prints),
// with what the next gateways reported back while this one waited for them.
import type { HopStep } from '../../audit/trace-hops.js';
import { html, type Html } from './html.js';
import { named, table, when, type View } from './console-view.js';

/** A later gateway's word about the transfer, as this one stored it (the queue row's hops). */
export interface ReportedHop {
  state: string;
  time: string;
}

export function hopsSection(v: View, steps: readonly HopStep[], reported: ReadonlyMap<string, ReportedHop>, here: string): Html {
  // A transfer that never left this gateway and came from a system: nothing to show beyond the timeline.
  if (steps.length < 2) return html``;
  const m = v.m.transfers.hops;
  const events = v.m.events as Record<string, string>;
  const states = v.m.states as Record<string, string>;
  return table(m.title, [m.number, m.gateway, m.seen, m.from, m.reached, m.next, m.relayReceipt, m.reported], steps.map((s, i) => {
    const r = reported.get(s.gateway);
    return [
      i + 1,
      s.gateway === here ? html`<strong>${s.gateway}</strong> (${m.here})` : s.gateway,
      (m.seenAs as Record<string, string>)[s.seen] ?? s.seen,
      s.from ?? '–',
      s.last ? html`${named(events[s.last.event], s.last.event)} ${when(v, s.last.time)}${s.last.code ? html` <code>${s.last.code}</code>` : ''}${s.last.by && s.last.by !== s.gateway ? html` ${v.t('transfers.hops.by', { gateway: s.last.by })}` : ''}` : '–',
      s.next ?? '–',
      s.relayed ? html`${when(v, s.relayed.time)}${s.relayed.receipt ? html` <code title="${s.relayed.receipt}">${s.relayed.receipt.slice(0, 16)}…</code>` : ''}` : '–',
      r ? html`${named(states[r.state], r.state)} ${when(v, r.time)}` : '–',
    ];
  }), v.m.none);
}
