import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { GatewayContext } from '../context.js';
import { signReceipt, type Receipt } from '../receipts/receipt.js';
import type { TransferRow } from '../queue/transfer-queue.js';

// How a transfer ends, whichever way it was delivered: a signed receipt, the
// queue row, the audit record, the spool file (kept only under a retention
// obligation), and the metrics, always together.

export async function settleDelivered(ctx: GatewayContext, row: TransferRow, deliveredTo: string, details: Record<string, unknown> = {}): Promise<Receipt | null> {
  const now = Date.now();
  const receipt = signReceipt({
    type: 'delivered', transfer: row.id, sha256: row.sha256, size: row.size, source: row.source, destination: row.destination,
    time: new Date(now).toISOString(), gateway: ctx.identity, delivered_to: deliveredTo,
  }, ctx.keys);
  // The record first, then the row: a crash in between can at worst deliver again
  // (the destination dedupes by idempotency key, and the log shows both), whereas
  // the other order could leave a delivery the log never mentions.
  await ctx.audit.append({
    event: 'delivered', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination,
    size: row.size, sha256: row.sha256, details: { delivered_to: deliveredTo, attempts: row.attempts, receipt_signature: receipt.signature, ...details },
  });
  if (!(await ctx.queue.markDelivered(row.id, JSON.stringify(receipt), now))) {
    ctx.log.warn({ transfer: row.id }, 'delivered, but the transfer had already ended meanwhile (expired or acknowledged twice)');
    return null;
  }
  // Kept for the retention obligation (its clock set by markDelivered), else removed now.
  if (row.retain_days === null) await removeSpool(ctx, row);
  ctx.metrics.transfers.inc({ state: 'delivered' });
  ctx.metrics.bytesOut.inc(row.size);
  ctx.metrics.deliveryLatency.observe((now - row.created) / 1000);
  ctx.log.info({ transfer: row.id, destination: row.destination, attempts: row.attempts }, 'transfer delivered');
  return receipt;
}

export async function settleFinal(ctx: GatewayContext, row: TransferRow, state: 'failed' | 'expired', reason: string, details: Record<string, unknown> = {}): Promise<void> {
  // Conditional: a transfer acknowledged (pulled) meanwhile stays delivered.
  if (!(await ctx.queue.settle(row.id, state, reason))) return;
  await ctx.audit.append({
    event: state, transferId: row.id, principal: row.principal, source: row.source, destination: row.destination,
    size: row.size, sha256: row.sha256, details: { reason, attempts: row.attempts, ...details },
  });
  // Retention is kept after delivery (obligations.retainDays); what never crossed is not kept.
  await removeSpool(ctx, row);
  ctx.metrics.transfers.inc({ state });
  ctx.log.warn({ transfer: row.id, destination: row.destination, state, reason }, `transfer ${state}`);
}

/** A message body kept in the queue database ('' spool) goes with its row's state (queue/message-store.ts triggers). */
export async function removeSpool(ctx: GatewayContext, row: Pick<TransferRow, 'spool'>): Promise<void> {
  if (!row.spool) return;
  await rm(join(ctx.spoolDir, row.spool), { force: true });
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
