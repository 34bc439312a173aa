import type { GatewayContext } from '../context.js';
import type { Transfer } from '../store/transfer-store.js';

// What of a transfer had already left this gateway towards its destination when
// it ends otherwise than delivered (cancelled, expired, withdrawn): its
// `handed-out` records (a pull download, a message sent to a subscriber), and
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

/** Only these are ever handed out before an acknowledgement; a push is recorded by its outcome. */
function mayHaveBeenHandedOut(row: Pick<Transfer, 'delivery'>): boolean {
  return row.delivery === 'pull' || row.delivery === 'subscribe' || row.delivery === 'relay';
}

/** The transfer's handed-out records as the log holds them now (records still riding are committed first). */
export async function handedOutOf(ctx: Pick<GatewayContext, 'audit' | 'auditReader'>, row: Pick<Transfer, 'id' | 'delivery'>): Promise<HandedOut | null> {
  if (!mayHaveBeenHandedOut(row)) return null;
  await ctx.audit.commitSoon();
  return handedOutIn(ctx, row.id);
}

/** The same from what is committed now, without waiting (a report to the gateway before). */
export function handedOutIn(ctx: Pick<GatewayContext, 'auditReader'>, id: string): HandedOut | null {
  let count = 0;
  let last: string | null = null;
  const to = new Set<string>();
  for (const r of ctx.auditReader.transferRecords(id)) {
    if (r.event === 'handed-out') {
      count++;
      last = r.time;
      const d = r.details === null ? null : (JSON.parse(r.details) as { handed_to?: unknown });
      if (typeof d?.handed_to === 'string') to.add(d.handed_to);
    } else if (r.details !== null && (r.event === 'failed' || r.event === 'expired')) {
      // Reported by the gateway further on, at a withdrawal (delivery/withdraw.ts): carried on as it was recorded.
      // A record's own count (from the records above it) has no reported_by, and is not counted twice.
      const h = (JSON.parse(r.details) as { handed_out?: Partial<HandedOut> & { reported_by?: unknown } }).handed_out;
      if (h && typeof h.reported_by === 'string' && typeof h.count === 'number' && h.count > 0) {
        count += h.count;
        for (const t of Array.isArray(h.to) ? h.to : []) if (typeof t === 'string') to.add(t);
        if (typeof h.last === 'string' && (last === null || h.last > last)) last = h.last;
      }
    }
  }
  return count ? { count, to: [...to], last } : null;
}

/** The words added to the reason of a transfer that ends undelivered after it was handed out. */
export function handedOutNote(h: HandedOut): string {
  return `; it had been handed out ${h.count === 1 ? 'once' : `${h.count} times`} before (to ${h.to.join(', ') || 'its destination'}${h.last ? `, last at ${h.last}` : ''}), unacknowledged: the destination may hold it`;
}
