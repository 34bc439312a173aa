import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { GatewayContext } from './context.js';
import { sweepRetained } from './delivery/housekeeping.js';
import { removeSpool } from './delivery/settle.js';

// After a crash or kill -9: whatever was answered 202 is 'queued' and is
// delivered as usual; a transfer cut off while being forwarded is due again;
// a transfer whose upload ended without an answer ('accepted') is failed, its
// sender having been told nothing; spool files nothing refers to (uploads cut
// off midway, .part files) are removed.

export async function recover(ctx: GatewayContext): Promise<{ requeued: number; failed: number; orphans: number }> {
  const requeued = ctx.queue.requeueInterrupted();
  let failed = 0;
  for (const row of ctx.queue.withState('accepted')) {
    const reason = 'the gateway stopped before it acknowledged the upload; the sender was not answered and must send again';
    ctx.queue.failUnanswered(row.id, reason);
    await ctx.audit.append({
      event: 'failed', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination,
      size: row.size, sha256: row.sha256, details: { reason, recovered: true },
    });
    await removeSpool(ctx, row);
    failed++;
  }
  await sweepRetained(ctx);
  const live = ctx.queue.liveSpools();
  let orphans = 0;
  for (const name of await readdir(ctx.spoolDir)) {
    if (!live.has(name)) {
      await rm(join(ctx.spoolDir, name), { force: true });
      orphans++;
    }
  }
  return { requeued, failed, orphans };
}
