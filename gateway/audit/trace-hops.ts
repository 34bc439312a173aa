import type { TraceEvent } from './trace.js';

// The gateways one transfer crossed, read from the timeline `ferry log trace`
// joins (trace.ts): for each gateway whose log is at hand, whom it received
// the transfer from, where it sent it next and with what receipt, and how it
// ended there; before them, the gateways the signed envelope names (the path
// so far, as the upstream signed it); after them, the next hop named in the
// last log and what the gateways further on reported back. With one
// gateway's log (the console) this is as far as its records know; with every
// gateway's log (`ferry log trace --dir`) it is the whole path.

/** How a step is known. */
export type HopSeen =
  /** this gateway's own audit log is in the timeline */
  | 'log'
  /** named in the signed envelope a later gateway received (the path so far) */
  | 'envelope'
  /** named as the next hop by the gateway before it */
  | 'next-hop'
  /** named as the gateway that settled the transfer, reported back hop by hop */
  | 'reported';

export interface HopStep {
  /** the gateway's name (gw-extranet), without ferry://gateway/ */
  gateway: string;
  seen: HopSeen;
  /** whom this gateway received it from: the upstream gateway's name, or the sending system's address */
  from?: string;
  /** time of its 'received' record */
  received?: string;
  /** its last transfer record: the state it reached there */
  last?: { event: string; time: string; by?: string; code?: string; rule?: string | null };
  /** the next gateway it named (route via) */
  next?: string;
  /** handed to the next gateway: when, and the signature of that gateway's accepted receipt */
  relayed?: { time: string; receipt?: string };
}

const GATEWAY_PREFIX = 'ferry://gateway/';
const nameOf = (g: unknown): string | undefined => (typeof g === 'string' && g ? (g.startsWith(GATEWAY_PREFIX) ? g.slice(GATEWAY_PREFIX.length) : g) : undefined);
const ENDS = new Set(['accepted', 'queued', 'forwarded', 'delivered', 'denied', 'failed', 'expired']);

export function hopsOf(events: readonly TraceEvent[]): HopStep[] {
  // One step per gateway with a log, in the order the transfer reached them.
  const byGateway = new Map<string, { step: HopStep; path: string[]; first: string; source?: string }>();
  for (const e of events) {
    const name = nameOf(e.gateway) ?? '?';
    let g = byGateway.get(name);
    if (!g) byGateway.set(name, (g = { step: { gateway: name, seen: 'log' }, path: [], first: e.time }));
    const r = e.record;
    const d = (r.details ?? {}) as Record<string, unknown>;
    const s = g.step;
    if (r.event === 'received' && s.received === undefined) {
      s.received = r.time;
      s.from = nameOf(d.via) ?? r.source ?? undefined;
      if (Array.isArray(d.path)) g.path = d.path.filter((x): x is string => typeof x === 'string');
      if (r.source) g.source = r.source;
    }
    const next = nameOf(d.next_hop);
    if (next && (r.event === 'accepted' || r.event === 'queued' || r.event === 'forwarded')) s.next = next;
    if (r.event === 'forwarded' && d.outcome === 'relayed') s.relayed = { time: r.time, ...(typeof d.next_receipt_signature === 'string' ? { receipt: d.next_receipt_signature } : {}) };
    if (ENDS.has(r.event)) {
      s.last = {
        event: r.event, time: r.time,
        ...(nameOf(d.by) ? { by: nameOf(d.by)! } : {}),
        ...(typeof d.code === 'string' ? { code: d.code } : {}),
        ...(r.rule !== null || d.rule !== undefined ? { rule: (r.rule ?? d.rule ?? null) as string | null } : {}),
      };
    }
  }
  const logged = [...byGateway.values()].sort((a, b) => ((a.step.received ?? a.first) < (b.step.received ?? b.first) ? -1 : 1));
  const steps: HopStep[] = [];
  const known = new Set(logged.map((g) => g.step.gateway));
  // Before the first gateway at hand: the path its upstream signed, in order, from the original sender.
  const path = (logged[0]?.path ?? []).filter((name) => !known.has(name));
  path.forEach((name, i) => {
    const from = i === 0 ? logged[0]!.source : path[i - 1];
    steps.push({ gateway: name, seen: 'envelope', ...(from ? { from } : {}), next: path[i + 1] ?? logged[0]!.step.gateway });
    known.add(name);
  });
  for (const g of logged) steps.push(g.step);
  // After the last: the next hop it named, and the gateway that settled the transfer further on.
  const tail = logged[logged.length - 1]?.step;
  if (tail?.next && !known.has(tail.next)) steps.push({ gateway: tail.next, seen: 'next-hop' }), known.add(tail.next);
  const by = tail?.last?.by;
  if (by && !known.has(by)) steps.push({ gateway: by, seen: 'reported', last: { event: tail!.last!.event, time: tail!.last!.time } });
  return steps;
}

/** The path in one line, for `ferry log trace`: gw1 → gw2 → gw3 (brackets: known only from another gateway's word). */
export function hopsLine(steps: readonly HopStep[]): string {
  return steps.map((s) => (s.seen === 'log' ? s.gateway : `[${s.gateway}]`)).join(' → ');
}
