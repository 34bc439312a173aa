import type { GatewayContext } from '../context.js';
import type { Receipt } from '../../protocol/receipt.js';
import { signReceipt } from '../receipts/sign-receipt.js';
import type { Transfer } from '../store/transfer-store.js';
import type { HopView } from '../routing/hop-view.js';
import { OneAtATime } from './one-at-a-time.js';
import { handedOutNote, handedOutOf } from './handed-out.js';

// How a transfer ends, whichever way it was delivered: a signed receipt, the
// queue row, the audit record, the spool file (kept only under a retention
// obligation), and the metrics, always together.

// One settlement of a transfer at a time, per gateway: each writes its audit
// record only after seeing, under the guard, that the transfer is still open.
const guards = new WeakMap<GatewayContext, OneAtATime>();
export function guarded<T>(ctx: GatewayContext, id: string, work: () => Promise<T>): Promise<T> {
  return guardsOf(ctx).run(id, work);
}

function guardsOf(ctx: GatewayContext): OneAtATime {
  let g = guards.get(ctx);
  if (!g) guards.set(ctx, (g = new OneAtATime()));
  return g;
}

/** Still waiting to be delivered or settled here, as the row says now (not as the caller read it). */
async function stillOpen(ctx: GatewayContext, id: string, states: readonly string[]): Promise<boolean> {
  const now = await ctx.queue.get(id);
  return now !== undefined && states.includes(now.state);
}

export function settleDelivered(ctx: GatewayContext, row: Transfer, deliveredTo: string, details: Record<string, unknown> = {}): Promise<Receipt | null> {
  return guarded(ctx, row.id, async () => {
    // A second acknowledgement, or one that lost the race with the expiry sweep, records nothing.
    if (!(await stillOpen(ctx, row.id, ['queued', 'forwarding']))) return null;
    return deliver(ctx, row, deliveredTo, details);
  });
}

async function deliver(ctx: GatewayContext, row: Transfer, deliveredTo: string, details: Record<string, unknown>): Promise<Receipt | null> {
  const now = Date.now();
  const receipt = signReceipt({
    type: 'delivered', transfer: row.id, sha256: row.sha256, size: row.size, source: row.source, destination: row.destination,
    time: new Date(now).toISOString(), gateway: ctx.identity, delivered_to: deliveredTo,
  }, ctx.keys);
  // The record first, then the row: the other order could leave a delivery the log
  // never mentions. A crash in between leaves the row 'forwarding' with its record
  // durable; recovery settles it delivered with the receipt the record states
  // (receipt_time and receipt_signature: recovery.ts), instead of sending it again.
  await ctx.audit.append({
    event: 'delivered', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination,
    size: row.size, sha256: row.sha256, details: { delivered_to: deliveredTo, attempts: row.attempts, receipt_signature: receipt.signature, receipt_time: receipt.time, ...details },
  });
  if (!(await ctx.queue.markDelivered(row.id, receipt, now))) {
    ctx.log.warn({ transfer: row.id }, 'delivered, but the transfer had already ended meanwhile (expired or acknowledged twice)');
    return null;
  }
  // Kept for the retention obligation (its clock set by markDelivered), else removed now.
  if (row.retainDays === null) await removeSpool(ctx, row);
  ctx.metrics.transfers.inc({ state: 'delivered' });
  ctx.metrics.bytesOut.inc(row.size);
  ctx.metrics.deliveryLatency.observe((now - row.created) / 1000);
  ctx.log.info({ transfer: row.id, destination: row.destination, attempts: row.attempts }, 'transfer delivered');
  return receipt;
}

/**
 * Many transfers delivered at once (a subscriber's cumulative acknowledgement): each
 * gets what settleDelivered gives one (a signed receipt, its `delivered` record, its
 * row), but under one guard for all, with one audit append and one set of row
 * changes in the same group commit, instead of a settlement each (issue #15).
 * `ids` are the transfers it may settle (guarded); `readOpen` reads, under the guard,
 * which rows still wait (one read for all): only those among `ids` are settled.
 * `withRows` is asked for in the same turn as the rows' changes, so a write it makes
 * (a subscription's acknowledgement mark) joins their group commit instead of one of its own.
 * Returns how many were settled here.
 */
export function settleDeliveredMany<R extends Transfer>(
  ctx: GatewayContext, ids: readonly string[], deliveredTo: string, readOpen: () => Promise<readonly R[]>, details: (row: R) => Record<string, unknown>,
  withRows?: () => void,
): Promise<number> {
  if (ids.length === 0) {
    withRows?.();
    return Promise.resolve(0);
  }
  const mine = new Set(ids);
  return guardsOf(ctx).runAll(ids, async () => {
    const todo = (await readOpen()).filter((r) => mine.has(r.id));
    const now = Date.now();
    const time = new Date(now).toISOString();
    const receipts = todo.map((row) => signReceipt({
      type: 'delivered', transfer: row.id, sha256: row.sha256, size: row.size, source: row.source, destination: row.destination,
      time, gateway: ctx.identity, delivered_to: deliveredTo,
    }, ctx.keys));
    // The records first, then the rows, as for one (see deliver).
    await ctx.audit.appendMany(todo.map((row, i) => ({
      event: 'delivered' as const, transferId: row.id, principal: row.principal, source: row.source, destination: row.destination,
      size: row.size, sha256: row.sha256, details: { delivered_to: deliveredTo, attempts: row.attempts, receipt_signature: receipts[i]!.signature, receipt_time: time, ...details(row) },
    })));
    const marking = todo.map((row, i) => ctx.queue.markDelivered(row.id, receipts[i]!, now));
    withRows?.();
    const marked = await Promise.all(marking);
    let settled = 0;
    let bytes = 0;
    const info = ctx.log.isLevelEnabled('info');
    for (let i = 0; i < todo.length; i++) {
      const row = todo[i]!;
      if (!marked[i]) {
        ctx.log.warn({ transfer: row.id }, 'delivered, but the transfer had already ended meanwhile (expired or acknowledged twice)');
        continue;
      }
      if (row.retainDays === null) await removeSpool(ctx, row);
      settled++;
      bytes += row.size;
      ctx.metrics.deliveryLatency.observe((now - row.created) / 1000);
      if (info) ctx.log.info({ transfer: row.id, destination: row.destination, attempts: row.attempts }, 'transfer delivered');
    }
    if (settled) {
      ctx.metrics.transfers.inc({ state: 'delivered' }, settled);
      ctx.metrics.bytesOut.inc(bytes);
    }
    return settled;
  });
}

export function settleFinal(ctx: GatewayContext, row: Transfer, state: 'failed' | 'expired' | 'denied', reason: string, details: Record<string, unknown> = {}, hops?: HopView[]): Promise<void> {
  return guarded(ctx, row.id, () => final(ctx, row, state, reason, details, hops));
}

async function final(ctx: GatewayContext, row: Transfer, state: 'failed' | 'expired' | 'denied', given: string, details: Record<string, unknown>, hops?: HopView[]): Promise<void> {
  // An acknowledgement (pull), an expiry or a cancel that settled it meanwhile wins, and records nothing here.
  if (!(await stillOpen(ctx, row.id, ['queued', 'forwarding']))) return;
  // Downloaded, sent to a subscriber or pushed with no answer already, never acknowledged: the end says so
  // (handed-out.ts). A push refused for good now was answered: that attempt left nothing with the receiver.
  const handed = state === 'denied' ? null : await handedOutOf(ctx, row, typeof details.status === 'number' ? row.attempts : undefined);
  const reason = handed ? `${given}${handedOutNote(handed)}` : given;
  // The record first, then the row, as for a delivery: the other order could leave an end the log never
  // mentions (a status 'denied' read before its record, CI 2 Dec). Killed in between, the row is still
  // open at the next start with its record durable; recovery settles it as recorded (recovery.ts).
  await ctx.audit.append({
    event: state, transferId: row.id, principal: row.principal, source: row.source, destination: row.destination,
    size: row.size, sha256: row.sha256, details: { reason, attempts: row.attempts, ...details, ...(handed ? { handed_out: handed } : {}) },
  });
  // Every settlement of this gateway runs under the guard, so the row is still open here.
  if (!(await ctx.queue.settle(row.id, state, reason, Date.now(), hops ?? null))) {
    ctx.log.warn({ transfer: row.id, state }, 'recorded as ended, but the transfer had already ended meanwhile');
    return;
  }
  // Retention is kept after delivery (obligations.retainDays); what never crossed is not kept.
  await removeSpool(ctx, row);
  ctx.metrics.transfers.inc({ state });
  ctx.log.warn({ transfer: row.id, destination: row.destination, state, reason }, `transfer ${state}`);
}

/** A message body kept in the queue database ('' spool) goes with its row's state (store/sqlite/message-store.ts triggers). */
export async function removeSpool(ctx: Pick<GatewayContext, 'spool'>, row: Pick<Transfer, 'spool'>): Promise<void> {
  if (!row.spool) return;
  await ctx.spool.remove(row.spool);
}

/** The next gateway holds the transfer durably now: this one waits for its outcome, and needs its copy no more. */
export async function settleRelayed(ctx: GatewayContext, row: Transfer, hops: HopView[], details: Record<string, unknown>): Promise<void> {
  await ctx.audit.append({
    event: 'forwarded', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination, size: row.size, sha256: row.sha256,
    details: { attempt: row.attempts, outcome: 'relayed', ...details },
  });
  if (!(await ctx.queue.markRelayed(row.id, hops, Date.now() + RELAY_POLL_FIRST_MS))) return;
  if (row.retainDays === null) await removeSpool(ctx, row);
  ctx.metrics.bytesOut.inc(row.size);
  ctx.log.info({ transfer: row.id, next_hop: details.next_hop, attempts: row.attempts }, 'transfer relayed to the next gateway');
}

/** First look at the outcome of a relayed transfer; then less and less often, up to RELAY_POLL_MAX_MS. */
export const RELAY_POLL_FIRST_MS = 100;
export const RELAY_POLL_MAX_MS = 5_000;

/** How a relayed transfer ended, as the gateways after this one settled it; recorded here as that gateway's word. */
export function settleRelayOutcome(ctx: GatewayContext, row: Transfer, o: RelayOutcomeWord, extra: Record<string, unknown> = {}): Promise<void> {
  return guarded(ctx, row.id, async () => {
    if (await stillOpen(ctx, row.id, ['forwarding', 'relayed', 'queued'])) await recordRelayOutcome(ctx, row, o, extra);
  });
}

type RelayOutcomeWord = { state: 'delivered' | 'denied' | 'failed' | 'expired'; hops: HopView[]; reason: string | null; receipt: Receipt | null };

async function recordRelayOutcome(ctx: GatewayContext, row: Transfer, o: RelayOutcomeWord, extra: Record<string, unknown>): Promise<void> {
  const last = o.hops[o.hops.length - 1];
  const decider = [...o.hops].reverse().find((h) => h.state === o.state) ?? last;
  // Recorded before a kill that came before its row's change (recovery.ts): the same outcome goes into the row only.
  const recorded = ctx.outcomesRecorded.get(row.id);
  ctx.outcomesRecorded.delete(row.id);
  if (recorded !== o.state) await ctx.audit.append({
    event: o.state, transferId: row.id, principal: row.principal, source: row.source, destination: row.destination, size: row.size, sha256: row.sha256,
    details: {
      by: decider?.gateway ?? null, next_hop: o.hops[0]?.gateway ?? null, reason: o.reason,
      ...(decider?.code ? { code: decider.code } : {}), ...(decider?.rule !== undefined ? { rule: decider.rule } : {}),
      ...(o.receipt ? { receipt_signature: o.receipt.signature } : {}), ...extra,
    },
  });
  const now = Date.now();
  if (!(await ctx.queue.settleRelayed(row.id, o.state, o.hops, o.reason, o.receipt, now))) return;
  // A copy kept under a retention obligation while the next gateway held the transfer: kept on only if it was delivered.
  if (o.state !== 'delivered' && row.retainDays !== null) await removeSpool(ctx, row);
  ctx.metrics.transfers.inc({ state: o.state });
  if (o.state === 'delivered') ctx.metrics.deliveryLatency.observe((now - row.created) / 1000);
  ctx.log.info({ transfer: row.id, state: o.state, by: decider?.gateway }, `relayed transfer ${o.state}`);
}
