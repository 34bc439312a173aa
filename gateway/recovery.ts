import type { GatewayContext } from './context.js';
import type { AuditSink } from './audit/audit-sink.js';
import type { SpoolStore } from './store/spool-store.js';
import type { TransferStore } from './store/transfer-store.js';
import { sweepRetained } from './delivery/housekeeping.js';
import { removeSpool } from './delivery/settle.js';
import { join } from 'node:path';
import { queryLog } from './audit/query-segments.js';
import { keyIdOf, verifyReceipt, type Receipt } from '../protocol/receipt.js';
import type { Transfer } from './store/transfer-store.js';

// After a crash or kill -9: whatever was answered 202 is 'queued' and is
// delivered as usual; a transfer cut off while being forwarded is due again;
// a transfer whose upload ended without an answer ('accepted') is failed, its
// sender having been told nothing, except a message to a subscription whose
// `accepted` record is in the audit log: it is answered before its row's move
// to 'queued' is committed (pipeline/accept-transfer.ts), so it is queued now
// (its publisher may or may not have had the 202: at least once, as on the
// wire; an idempotency key makes a resend a replay); uploads cut off midway (.part files in
// spool/incoming/) are removed. What it reads grows with the work that was in
// flight, not with the history: the queue's unsettled rows, the incoming
// directory, and the spool directory's own 257 entries; never the fan-out
// directories (a file a crash left there without its row goes to the spool
// scrub, delivery/spool-scrub.ts, a directory at a time).

export interface Recovered { requeued: number; failed: number; orphans: number; migrated: number; delivered: number }

/**
 * The node recovery works on, and its part of the stores: what it may have
 * left unfinished when it stopped. Today a gateway is one node over stores of
 * its own, so its part is the whole of them (nodeScope). On a backend shared
 * by several nodes, each node at start recovers only its own part, named by
 * `node`, while the others go on serving: the stores handed in here are then
 * that node's view of them, never another node's rows or spool.
 */
export interface RecoveryScope {
  /** the node recovered (the gateway's name) */
  node: string;
  queue: TransferStore;
  spool: SpoolStore;
  audit: Pick<AuditSink, 'append'>;
  /** Whether the audit log holds the transfer's `accepted` record (looked for in records from `since`, ms, on). */
  acceptanceRecorded(transferId: string, since: number): Promise<boolean>;
  /** The transfer's delivered receipt as its `delivered` record states it, verified with this gateway's key, or null. */
  deliveryRecorded(row: Transfer): Promise<Receipt | null>;
}

/** A gateway that is one node: its own name and its own stores. */
export function nodeScope(ctx: Pick<GatewayContext, 'config' | 'queue' | 'spool' | 'audit' | 'identity' | 'keys'>): RecoveryScope {
  // The live file and any segment sealed since (a seal may have come between the record and the crash).
  const firstRecord = async (transferId: string, event: string, since: number) => {
    const filter = { transferId, event, since: new Date(since).toISOString(), limit: 1 };
    for await (const record of queryLog(join(ctx.config.dataDir, 'audit.db'), filter)) return record;
    return null;
  };
  return {
    node: ctx.config.name, queue: ctx.queue, spool: ctx.spool, audit: ctx.audit,
    // A minute of slack for the clock: a record's time is taken after the row's.
    acceptanceRecorded: async (transferId, since) => (await firstRecord(transferId, 'accepted', since - 60_000)) !== null,
    deliveryRecorded: async (row) => {
      const r = await firstRecord(row.id, 'delivered', row.created - 60_000);
      const d = (r?.details ?? {}) as { delivered_to?: unknown; receipt_signature?: unknown; receipt_time?: unknown };
      if (typeof d.delivered_to !== 'string' || typeof d.receipt_signature !== 'string' || typeof d.receipt_time !== 'string') return null;
      const receipt: Receipt = {
        type: 'delivered', transfer: row.id, sha256: row.sha256, size: row.size, source: row.source, destination: row.destination,
        time: d.receipt_time, gateway: ctx.identity, delivered_to: d.delivered_to,
        key_id: keyIdOf(ctx.keys.signingPublicRaw), signature: d.receipt_signature,
      };
      // Only the receipt this gateway signed and recorded: anything else is no evidence of a delivery.
      return verifyReceipt(receipt, ctx.keys.signingPublicKey) ? receipt : null;
    },
  };
}

export async function recover(scope: RecoveryScope): Promise<Recovered> {
  const layout = await scope.spool.prepare();
  // A push whose `delivered` record is durable but whose row's change is not (killed between the two,
  // delivery/settle.ts: the record first): delivered, with the receipt that record states, not sent again.
  let delivered = 0;
  for (const row of await scope.queue.withState('forwarding')) {
    const receipt = await scope.deliveryRecorded(row);
    if (receipt && await scope.queue.markDelivered(row.id, receipt, Date.parse(receipt.time))) {
      if (row.retainDays === null) await removeSpool(scope, row);
      delivered++;
    }
  }
  let requeued = await scope.queue.requeueInterrupted();
  let failed = 0;
  for (const row of await scope.queue.withState('accepted')) {
    if (row.delivery === 'subscribe' && await scope.acceptanceRecorded(row.id, row.created)) {
      await scope.queue.markQueued(row.id);
      requeued++;
      continue;
    }
    const reason = 'the gateway stopped before it acknowledged the upload; the sender was not answered and must send again';
    await scope.queue.failUnanswered(row.id, reason);
    await scope.audit.append({
      event: 'failed', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination,
      size: row.size, sha256: row.sha256, details: { reason, recovered: true },
    });
    await removeSpool(scope, row);
    failed++;
  }
  await sweepRetained(scope);
  const orphans = layout.removed + await scope.spool.clearIncoming();
  return { requeued, failed, orphans, migrated: layout.moved, delivered };
}
