import type { GatewayContext } from '../context.js';
import { removeSpool, settleFinal } from './settle.js';

// Work on transfers that is due with time rather than with an attempt:
// expiry (push, relay and pull rows alike), the end of retention, and the
// purge of settled rows past their keeping time. Each call takes one bounded
// batch through an index (queue/hot-queries.ts), so a turn of the event loop
// costs the same after months of history; a full batch says "call again soon".

/** Transfers expired, spool files removed, per call. */
export const SWEEP_BATCH = 100;
/** Settled rows removed per call (one group-committed DELETE). */
export const PURGE_BATCH = 500;

/** End the transfers still waiting past their expiry, with the last error as the reason. */
export async function expireDue(ctx: GatewayContext, busy: (id: string) => boolean, now = Date.now()): Promise<number> {
  let n = 0;
  for (const row of ctx.queue.expiredDue(now, SWEEP_BATCH)) {
    if (busy(row.id)) continue;
    await settleFinal(ctx, row, 'expired', `not delivered within ${Math.round(ctx.config.delivery.expireAfterMs / 1000)} s${row.reason ? `; last error: ${row.reason}` : ''}`);
    n++;
  }
  return n;
}

/** Remove the spool files of settled transfers whose retention has run out (one batch; returns how many). */
export async function sweepRetained(ctx: GatewayContext, now = Date.now()): Promise<number> {
  let n = 0;
  for (const row of ctx.queue.retainedDue(now, SWEEP_BATCH)) {
    await removeSpool(ctx, row);
    ctx.queue.clearRetention(row.id);
    n++;
  }
  return n;
}

/** Remove one batch of settled rows kept past delivery.keep_settled; the audit log keeps their history. */
export function purgeSettled(ctx: GatewayContext, now = Date.now()): Promise<number> {
  return ctx.queue.purgeSettled(now - ctx.config.delivery.keepSettledMs, PURGE_BATCH);
}
