import type { GatewayContext } from './context.js';
import { sweepRetained } from './delivery/housekeeping.js';
import { removeSpool } from './delivery/settle.js';

// After a crash or kill -9: whatever was answered 202 is 'queued' and is
// delivered as usual; a transfer cut off while being forwarded is due again;
// a transfer whose upload ended without an answer ('accepted') is failed, its
// sender having been told nothing; uploads cut off midway (.part files in
// spool/incoming/) are removed. What it reads grows with the work that was in
// flight, not with the history: the queue's unsettled rows, the incoming
// directory, and the spool directory's own 257 entries; never the fan-out
// directories (a file a crash left there without its row goes to the spool
// scrub, delivery/spool-scrub.ts, a directory at a time).

export interface Recovered { requeued: number; failed: number; orphans: number; migrated: number }

export async function recover(ctx: GatewayContext): Promise<Recovered> {
  const layout = await ctx.spool.prepare();
  const requeued = await ctx.queue.requeueInterrupted();
  let failed = 0;
  for (const row of await ctx.queue.withState('accepted')) {
    const reason = 'the gateway stopped before it acknowledged the upload; the sender was not answered and must send again';
    await ctx.queue.failUnanswered(row.id, reason);
    await ctx.audit.append({
      event: 'failed', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination,
      size: row.size, sha256: row.sha256, details: { reason, recovered: true },
    });
    await removeSpool(ctx, row);
    failed++;
  }
  await sweepRetained(ctx);
  const orphans = layout.removed + await ctx.spool.clearIncoming();
  return { requeued, failed, orphans, migrated: layout.moved };
}
