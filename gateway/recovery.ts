import type { GatewayContext } from './context.js';
import type { AuditSink } from './audit/audit-sink.js';
import type { SpoolStore } from './store/spool-store.js';
import type { TransferStore } from './store/transfer-store.js';
import { sweepRetained } from './delivery/housekeeping.js';
import { removeSpool } from './delivery/settle.js';
import { join } from 'node:path';
import { queryLog } from './audit/query-segments.js';
import { keyIdOf, verifyReceipt, type Receipt } from '../protocol/receipt.js';
import type { FinalState, Transfer } from './store/transfer-store.js';

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

export interface Recovered { requeued: number; failed: number; orphans: number; migrated: number; delivered: number; outcomes: number; ended: number }

/** An end this gateway recorded for a transfer: its state and its reason as the record states them. */
export interface OwnEnd { state: FinalState; reason: string }

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
  /**
   * The delivered receipts the audit log's last minutes state (DELIVERED_TAIL_MS before its last
   * record), by transfer, each verified with one of this gateway's signing keys: a settlement killed
   * between its record and its row's change was one of the last things the gateway did.
   */
  recentDeliveries(): Promise<Map<string, (row: Transfer) => Receipt | null>>;
  /**
   * The ends among the log's last minutes (as recentDeliveries), by transfer: `relayed`, the outcomes
   * the next hop reported (their record names who decided, `by`); `own`, this gateway's own ends
   * (failed, denied, expired: delivery/settle.ts records them before their row's change).
   */
  recentFinals(): Promise<{ relayed: Map<string, string>; own: Map<string, OwnEnd> }>;
}

/** How far before the log's last record a delivery recorded and not settled is looked for: a settlement's row change follows its record within a commit or two. */
export const DELIVERED_TAIL_MS = 2 * 60_000;

/** A gateway that is one node: its own name and its own stores. */
export function nodeScope(ctx: Pick<GatewayContext, 'config' | 'queue' | 'spool' | 'audit' | 'identity' | 'keys'>): RecoveryScope {
  // The live file and any segment sealed since (a seal may have come between the record and the crash).
  const firstRecord = async (transferId: string, event: string, since: number) => {
    const filter = { transferId, event, since: new Date(since).toISOString(), limit: 1 };
    for await (const record of queryLog(join(ctx.config.dataDir, 'audit.db'), filter)) return record;
    return null;
  };
  // The records of these events among the log's last DELIVERED_TAIL_MS (before its last record).
  // Measured back from the last record the gateway wrote before it stopped: not from the records a
  // recovery writes (`recovered: true`; a kill during a recovery leaves them last), else a downtime
  // longer than the tail would leave the settlements cut by the kill out of it.
  // Found once for the scope (both readings of the tail use it, and it must not move between them).
  const path = join(ctx.config.dataDir, 'audit.db');
  let tailSince: Promise<string | null> | null = null;
  const findTailSince = async (): Promise<string | null> => {
    for await (const r of queryLog(path, { descending: true, limit: 100_000 })) {
      if ((r.details as { recovered?: unknown } | null)?.recovered === true || r.event === 'started') continue;
      return new Date(Date.parse(r.time) - DELIVERED_TAIL_MS).toISOString();
    }
    return null;
  };
  async function* tail(events: string[]) {
    const since = await (tailSince ??= findTailSince());
    if (since === null) return;
    for (const event of events) yield* queryLog(path, { event, since });
  }
  return {
    node: ctx.config.name, queue: ctx.queue, spool: ctx.spool, audit: ctx.audit,
    // A minute of slack for the clock: a record's time is taken after the row's.
    acceptanceRecorded: async (transferId, since) => (await firstRecord(transferId, 'accepted', since - 60_000)) !== null,
    deliveryRecorded: async (row) => {
      const r = await firstRecord(row.id, 'delivered', row.created - 60_000);
      return r ? recordedReceipt(ctx, row, r.details) : null;
    },
    recentDeliveries: async () => {
      const out = new Map<string, (row: Transfer) => Receipt | null>();
      for await (const r of tail(['delivered'])) {
        if (r.transferId) out.set(r.transferId, (row) => recordedReceipt(ctx, row, r.details));
      }
      return out;
    },
    recentFinals: async () => {
      const relayed = new Map<string, string>();
      const own = new Map<string, OwnEnd>();
      for await (const r of tail(['delivered', 'denied', 'failed', 'expired'])) {
        if (!r.transferId || r.details === null || typeof r.details !== 'object') continue;
        const d = r.details as { by?: unknown; reason?: unknown; recovered?: unknown };
        // The next hop's outcome (settle.ts recordRelayOutcome names who decided: `by`).
        if ('by' in d) relayed.set(r.transferId, r.event);
        else if (r.event !== 'delivered' && d.recovered !== true) own.set(r.transferId, { state: r.event as FinalState, reason: typeof d.reason === 'string' ? d.reason : r.event });
      }
      return { relayed, own };
    },
  };
}

/**
 * The delivered receipt a `delivered` record of this gateway's states (its time, signature and
 * recipient; the rest is the row's), if it verifies with the gateway's signing key or one retired
 * since (a rotation while the gateway was down). A relayed transfer's record (another gateway's
 * receipt) or anything else does not: it is no evidence of a delivery from here.
 */
function recordedReceipt(ctx: Pick<GatewayContext, 'identity' | 'keys'>, row: Transfer, details: unknown): Receipt | null {
  const d = (details ?? {}) as { delivered_to?: unknown; receipt_signature?: unknown; receipt_time?: unknown };
  if (typeof d.delivered_to !== 'string' || typeof d.receipt_signature !== 'string' || typeof d.receipt_time !== 'string') return null;
  for (const key of [ctx.keys.signingPublicKey, ...ctx.keys.retiredSigning]) {
    const raw = Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url');
    const receipt: Receipt = {
      type: 'delivered', transfer: row.id, sha256: row.sha256, size: row.size, source: row.source, destination: row.destination,
      time: d.receipt_time, gateway: ctx.identity, delivered_to: d.delivered_to, key_id: keyIdOf(raw), signature: d.receipt_signature,
    };
    if (verifyReceipt(receipt, key)) return receipt;
  }
  return null;
}

/**
 * `outcomesRecorded` is filled with the relayed transfers whose outcome is in the log and not in
 * their rows, with that outcome: settle.ts writes the outcome the next hop reports again into the
 * row, and records it no second time if it is the same (fifth red team, F3).
 */
export async function recover(scope: RecoveryScope, outcomesRecorded: Map<string, string> = new Map()): Promise<Recovered> {
  const layout = await scope.spool.prepare();
  // Read before this recovery writes records of its own.
  const recentDelivered = await scope.recentDeliveries();
  const { relayed: recentOutcomes, own: recentEnds } = await scope.recentFinals();
  // A push whose `delivered` record is durable but whose row's change is not (killed between the two,
  // delivery/settle.ts: the record first): delivered, with the receipt that record states, not sent again.
  let delivered = 0;
  const settleRecorded = async (row: Transfer, receipt: Receipt | null): Promise<void> => {
    if (receipt && await scope.queue.markDelivered(row.id, receipt, Date.parse(receipt.time))) {
      if (row.retainDays === null) await removeSpool(scope, row);
      delivered++;
    }
  };
  for (const row of await scope.queue.withState('forwarding')) await settleRecorded(row, await scope.deliveryRecorded(row));
  // An end of this gateway's own (refused for good, cancelled, expired) recorded and not in its row (killed
  // between the two, delivery/settle.ts): settled as recorded, not tried again nor recorded a second time.
  let ended = 0;
  for (const [id, end] of recentEnds) {
    const row = await scope.queue.get(id);
    if (!row || (row.state !== 'queued' && row.state !== 'forwarding')) continue;
    if (await scope.queue.settle(id, end.state, end.reason)) {
      await removeSpool(scope, row);
      ended++;
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
  // The same for a subscriber's acknowledgement, a pull's and a push's: the rows they settle are
  // 'queued' again (or were never anything else on disk), so they would be sent and settled again,
  // with a second `delivered` record and a second receipt (fifth red team, F1 and F2). Those records
  // are among the log's last (a settlement changes its rows a commit after them).
  for (const [id, receiptFor] of recentDelivered) {
    const row = await scope.queue.get(id);
    if (row && (row.state === 'queued' || row.state === 'forwarding')) await settleRecorded(row, receiptFor(row));
  }
  // A relayed transfer's outcome recorded and not written into its row (killed between the two): still
  // 'relayed', it is asked for again; the answer goes into the row without a second final record.
  const relayed = new Set((await scope.queue.withState('relayed')).map((r) => r.id));
  if (relayed.size) for (const [id, outcome] of recentOutcomes) if (relayed.has(id)) outcomesRecorded.set(id, outcome);
  await sweepRetained(scope);
  const orphans = layout.removed + await scope.spool.clearIncoming();
  return { requeued, failed, orphans, migrated: layout.moved, delivered, outcomes: outcomesRecorded.size, ended };
}
