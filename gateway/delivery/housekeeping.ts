import type { GatewayContext } from '../context.js';
import { removeSpool, settleFinal } from './settle.js';

// Work on transfers that is due with time rather than with an attempt:
// expiry (push, relay and pull rows alike) and the end of retention.

/** End the transfers still waiting past their expiry, with the last error as the reason. */
export async function expireDue(ctx: GatewayContext, busy: (id: string) => boolean, now = Date.now()): Promise<number> {
  let n = 0;
  for (const row of ctx.queue.expiredDue(now)) {
    if (busy(row.id)) continue;
    await settleFinal(ctx, row, 'expired', `not delivered within ${Math.round(ctx.config.delivery.expireAfterMs / 1000)} s${row.reason ? `; last error: ${row.reason}` : ''}`);
    n++;
  }
  return n;
}

/** Remove the spool files of settled transfers whose retention has run out. */
export async function sweepRetained(ctx: GatewayContext, now = Date.now()): Promise<number> {
  let n = 0;
  for (const row of ctx.queue.retainedDue(now)) {
    await removeSpool(ctx, row);
    ctx.queue.clearRetention(row.id);
    n++;
  }
  return n;
}
