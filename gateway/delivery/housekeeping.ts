import type { GatewayContext } from '../context.js';
import { gatewayId } from '../../protocol/ferry-id.js';
import { removeSpool, settleFinal } from './settle.js';

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
 * promises the sender: the next gateways may still hold it, but this gateway
 * stops waiting and says so, naming the next hop and what it last said.
 */
export async function expireRelayed(ctx: GatewayContext, busy: (id: string) => boolean, now = Date.now()): Promise<number> {
  let n = 0;
  for (const row of await ctx.queue.relayedExpiredDue(now, SWEEP_BATCH)) {
    if (busy(row.id)) continue;
    const next = row.nextHop ? gatewayId(row.nextHop) : 'the next gateway';
    const seen = row.hops?.[0];
    const reason = `relayed to ${next}, which did not confirm delivery within ${Math.round(ctx.config.delivery.expireAfterMs / 1000)} s`
      + `${seen ? `; last seen there: ${seen.state} at ${seen.time}` : ''}${row.reason ? `; last error: ${row.reason}` : ''}`;
    if (!(await ctx.queue.expireRelayed(row.id, reason, now))) continue;
    await ctx.audit.append({
      event: 'expired', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination, size: row.size, sha256: row.sha256,
      details: { reason, next_hop: next, downstream_state: seen?.state ?? null, polls: row.polls, attempts: row.attempts },
    });
    // A copy kept under a retention obligation while the next gateway held the transfer goes too.
    await removeSpool(ctx, row);
    ctx.metrics.transfers.inc({ state: 'expired' });
    ctx.log.warn({ transfer: row.id, next_hop: next, downstream_state: seen?.state }, 'relayed transfer expired: the next gateway never confirmed it');
    n++;
  }
  return n;
}

/** Remove the spool files of settled transfers whose retention has run out (one batch; returns how many). */
export async function sweepRetained(ctx: GatewayContext, now = Date.now()): Promise<number> {
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
