import type { GatewayContext } from '../context.js';
import { gatewayId } from '../../protocol/ferry-id.js';
import { removeSpool, settleFinal } from './settle.js';
import { requestWithdrawal } from './withdraw.js';

// Work on transfers that is due with time rather than with an attempt:
// expiry (push, relay and pull rows alike), the end of retention, and the
// purge of settled rows past their keeping time. Each call takes one bounded
// batch through an index (store/sqlite/hot-queries.ts), so a turn of the event loop
// costs the same after months of history; a full batch says "call again soon".

/** Transfers expired, spool files removed, per call. */
export const SWEEP_BATCH = 100;
/** Settled rows removed per call (one group-committed DELETE). */
export const PURGE_BATCH = 500;

/** End the transfers still waiting past their expiry, with the last error as the reason. */
export async function expireDue(ctx: GatewayContext, busy: (id: string) => boolean, now = Date.now()): Promise<number> {
  let n = 0;
  for (const row of await ctx.queue.expiredDue(now, SWEEP_BATCH)) {
    if (busy(row.id)) continue;
    await settleFinal(ctx, row, 'expired', `not delivered within ${Math.round(ctx.config.delivery.expireAfterMs / 1000)} s${row.reason ? `; last error: ${row.reason}` : ''}`);
    n++;
  }
  return n;
}

/**
 * A relayed transfer whose outcome never came back within the expiry the config
 * promises the sender: this gateway stops waiting and withdraws it from the next
 * gateway (delivery/withdraw.ts), naming the next hop and what it last said. It
 * ends 'expired' here once the next gateway confirms it holds it no more, or as it
 * ended there if that was first (delivered: the source is never told otherwise).
 */
export async function expireRelayed(ctx: GatewayContext, busy: (id: string) => boolean, now = Date.now()): Promise<number> {
  let n = 0;
  for (const row of await ctx.queue.relayedExpiredDue(now, SWEEP_BATCH)) {
    if (busy(row.id)) continue;
    const next = row.nextHop ? gatewayId(row.nextHop) : 'the next gateway';
    const seen = row.hops?.[0];
    const reason = `relayed to ${next}, which did not confirm delivery within ${Math.round(ctx.config.delivery.expireAfterMs / 1000)} s`
      + `${seen ? `; last seen there: ${seen.state} at ${seen.time}` : ''}${row.reason ? `; last error: ${row.reason}` : ''}`;
    if (await requestWithdrawal(ctx, row, 'expired', reason, { polls: row.polls, attempts: row.attempts })) n++;
  }
  return n;
}

/** Remove the spool files of settled transfers whose retention has run out (one batch; returns how many). */
export async function sweepRetained(ctx: Pick<GatewayContext, 'queue' | 'spool'>, now = Date.now()): Promise<number> {
  let n = 0;
  for (const row of await ctx.queue.retainedDue(now, SWEEP_BATCH)) {
    await removeSpool(ctx, row);
    await ctx.queue.clearRetention(row.id);
    n++;
  }
  return n;
}

/** Remove one batch of settled rows kept past delivery.keep_settled; the audit log keeps their history. */
export function purgeSettled(ctx: GatewayContext, now = Date.now()): Promise<number> {
  return ctx.queue.purgeSettled(now - ctx.config.delivery.keepSettledMs, PURGE_BATCH);
}
