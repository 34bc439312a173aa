import type { GatewayContext } from '../context.js';
import type { Transfer } from '../store/transfer-store.js';

// What of a transfer had already left this gateway towards its destination when
// it ends otherwise than delivered (cancelled, expired, withdrawn): its
// `handed-out` records (a pull download, a message sent to a subscriber, a push attempt), and
// what a gateway further on reported the same way. A transfer that ends
// `failed` or `expired` after that is not one that "never reached" the other
// side: its reason and its record say how often and to whom it was handed out
// (docs/audit-log.md, "Content handed out").

export interface HandedOut {
  /** handed-out records of the transfer (here, or at the gateway further on that reported them) */
  count: number;
  /** who took it (certificate identities), or the gateway that reported it */
  to: string[];
  /** time of the last one */
  last: string | null;
}

/**
 * The transfer's handed-out records as the log holds them now (records still riding are committed first).
 * `answered`: the attempt whose answer is being settled now (a push refused for good), not yet on record.
 */
export async function handedOutOf(ctx: Pick<GatewayContext, 'audit' | 'auditReader'>, row: Pick<Transfer, 'id'>, answered?: number): Promise<HandedOut | null> {
  await ctx.audit.commitSoon();
  return handedOutIn(ctx, row.id, answered);
}

/**
 * The same from what is committed now, without waiting (a report to the gateway before). A push attempt the
 * receiver answered (its `forwarded` retry record holds the answer's status) left nothing with it that it did
 * not refuse: only attempts cut before an answer (a cut link, a timeout, a `kill -9`) count, beside every
 * download and every frame.
 */
export function handedOutIn(ctx: Pick<GatewayContext, 'auditReader'>, id: string, answered?: number): HandedOut | null {
  let count = 0;
  let last: string | null = null;
  const to = new Set<string>();
  const add = (time: string, by: unknown): void => {
    count++;
    if (last === null || time > last) last = time;
    if (typeof by === 'string') to.add(by);
  };
  // Push attempts by number, until an answer to them is found. A number may come twice (an attempt cut by a
  // crash before its claim was durable is claimed again under the same number): an answer settles the latest
  // attempt of its number before it, and the one cut stays counted.
  const pushes = new Map<number, Array<{ time: string; to: unknown }>>();
  const answer = (n: number): void => {
    const of = pushes.get(n);
    of?.pop();
    if (of?.length === 0) pushes.delete(n);
  };
  for (const r of ctx.auditReader.transferRecords(id)) {
    // Only the records read below are parsed (a status asks this of every record of the transfer).
    if (r.details === null || !(r.event === 'handed-out' || r.event === 'forwarded' || r.event === 'failed' || r.event === 'expired')) continue;
    const d = JSON.parse(r.details) as Record<string, unknown>;
    if (r.event === 'handed-out') {
      if (d.via === 'push' && typeof d.attempts === 'number') {
        const of = pushes.get(d.attempts);
        if (of) of.push({ time: r.time, to: d.handed_to });
        else pushes.set(d.attempts, [{ time: r.time, to: d.handed_to }]);
      }
      else add(r.time, d.handed_to);
    } else if (r.event === 'forwarded') {
      if (typeof d.status === 'number' && typeof d.attempt === 'number') answer(d.attempt);
    } else {
      // Reported by the gateway further on, at a withdrawal (delivery/withdraw.ts): carried on as it was recorded.
      // A record's own count (from the records above it) has no reported_by, and is not counted twice.
      const h = (d as { handed_out?: Partial<HandedOut> & { reported_by?: unknown } }).handed_out;
      if (h && typeof h.reported_by === 'string' && typeof h.count === 'number' && h.count > 0) {
        count += h.count;
        for (const t of Array.isArray(h.to) ? h.to : []) if (typeof t === 'string') to.add(t);
        if (typeof h.last === 'string' && (last === null || h.last > last)) last = h.last;
      }
    }
  }
  if (answered !== undefined) answer(answered);
  for (const of of pushes.values()) for (const p of of) add(p.time, p.to);
  return count ? { count, to: [...to], last } : null;
}

/** The words added to the reason of a transfer that ends undelivered after it was handed out. */
export function handedOutNote(h: HandedOut): string {
  return `; it had been handed out ${h.count === 1 ? 'once' : `${h.count} times`} before (to ${h.to.join(', ') || 'its destination'}${h.last ? `, last at ${h.last}` : ''}), unacknowledged: the destination may hold it`;
}
