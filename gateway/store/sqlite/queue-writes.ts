import type Database from 'better-sqlite3';
import type { WriteResult } from '../../durability/writer-thread.js';
import type { Receipt } from '../../../protocol/receipt.js';
import type { HopView } from '../../routing/hop-view.js';
import type { FinalState, NewTransfer, RelayOutcome, Transfer, Withdrawal } from '../transfer-store.js';
import { MessageStore } from './message-store.js';
import * as Q from './hot-queries.js';
import { hopsText, insertParams, toTransfer, type TransferRow } from './transfer-row.js';

// Every write to queue.db, on the connection that owns writing: the queue
// writer's thread (queue-writer-thread.ts). Each method is one atomic step
// inside the batch's transaction; the times are the caller's (taken when the
// write was asked for), so a batch committed later changes nothing in them.

/** A sealed body as it crosses the thread boundary (a Buffer arrives as a Uint8Array). */
type Bytes = Uint8Array;
const buf = (b: Bytes): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

export class QueueWrites {
  readonly #db: Database.Database;
  readonly #m: MessageStore;
  readonly #s;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#m = new MessageStore(db);
    this.#s = {
      insert: db.prepare(`INSERT INTO transfers (id, kind, channel, state, principal, source, destination, label, filename, content_type, size, sha256, spool, delivery,
        idempotency_key, created, updated, expires_at, attempts, next_attempt_at, receipt_accepted, retain_days, via, path, next_hop, seq)
        VALUES (@id, @kind, @channel, 'accepted', @principal, @source, @destination, @label, @filename, @content_type, @size, @sha256, @spool, @delivery,
        @idempotency_key, @created, @created, @expires_at, 0, @created, @receipt_accepted, @retain_days, @via, @path, @next_hop, @seq)`),
      markQueued: db.prepare(`UPDATE transfers SET state = 'queued', updated = ?, reason = NULL WHERE id = ? AND state = 'accepted'`),
      due: db.prepare(Q.DUE_SQL),
      claim: db.prepare(`UPDATE transfers SET state = 'forwarding', attempts = attempts + 1, updated = ? WHERE id = ? AND state = 'queued'`),
      // Only an attempt still in hand goes back in line: one cancelled or settled meanwhile stays as it is.
      reschedule: db.prepare(`UPDATE transfers SET state = 'queued', next_attempt_at = ?, reason = ?, updated = ? WHERE id = ? AND state = 'forwarding'`),
      // The retention clock starts at delivery: retain_until is set here, in the same write.
      delivered: db.prepare(`UPDATE transfers SET state = 'delivered', receipt_delivered = @receipt, delivered_at = @now, updated = @now, reason = NULL,
        retain_until = CASE WHEN retain_days IS NULL THEN NULL ELSE @now + retain_days * 86400000 END
        WHERE id = @id AND state IN ('queued', 'forwarding')`),
      // Handed to the next gateway: this one waits for its outcome (asked now and then).
      relayed: db.prepare(`UPDATE transfers SET state = 'relayed', hops = @hops, polls = 0, next_attempt_at = @next, reason = NULL, updated = @now WHERE id = @id AND state = 'forwarding'`),
      pollLater: db.prepare(`UPDATE transfers SET polls = polls + 1, next_attempt_at = @next, hops = COALESCE(@hops, hops), reason = @reason WHERE id = @id AND state = 'relayed'`),
      settleRelayed: db.prepare(`UPDATE transfers SET state = @state, hops = @hops, reason = @reason, receipt_delivered = @receipt, updated = @now,
        delivered_at = CASE WHEN @state = 'delivered' THEN @now ELSE NULL END,
        retain_until = CASE WHEN @state = 'delivered' AND retain_days IS NOT NULL THEN @now + retain_days * 86400000 ELSE NULL END
        WHERE id = @id AND state IN ('forwarding', 'relayed', 'queued')`),
      expireRelayed: db.prepare(`UPDATE transfers SET state = 'expired', reason = ?, updated = ? WHERE id = ? AND state = 'relayed'`),
      // Withdrawal (delivery/withdraw.ts): asked of the next hop, due now; or done here, only while waiting (not while an attempt is in hand).
      requestWithdrawal: db.prepare(`UPDATE transfers SET withdrawal = @w, next_attempt_at = @now, updated = @now WHERE id = @id AND state = 'relayed' AND withdrawal IS NULL`),
      withdraw: db.prepare(`UPDATE transfers SET state = 'failed', withdrawal = @w, reason = @reason, updated = @now WHERE id = @id AND state = 'queued'`),
      forgetUnanswered: db.prepare(`DELETE FROM transfers WHERE id = ? AND principal = ? AND state = 'failed' AND idempotency_key IS NULL`),
      requeueForwarding: db.prepare(Q.REQUEUE_FORWARDING_SQL),
      purgeSettled: db.prepare(Q.PURGE_SETTLED_SQL),
      failUnanswered: db.prepare(`UPDATE transfers SET state = 'failed', reason = ?, idempotency_key = NULL, updated = ? WHERE id = ? AND state = 'accepted'`),
      settle: db.prepare(`UPDATE transfers SET state = ?, reason = ?, updated = ?, hops = COALESCE(?, hops) WHERE id = ? AND state IN ('queued', 'forwarding')`),
      clearRetain: db.prepare(`UPDATE transfers SET retain_until = NULL WHERE id = ?`),
      retryNow: db.prepare(`UPDATE transfers SET next_attempt_at = ?, updated = ? WHERE id = ? AND state = 'queued'`),
    };
  }

  insertAccepted(t: NewTransfer): void {
    this.#s.insert.run(insertParams(t, null));
  }

  /** The sequence number is taken in the same transaction as the row and its body. */
  insertMessage(t: NewTransfer & { channel: string }, sealed: Bytes): number {
    const seq = this.#m.takeSeq(t.destination, t.channel);
    this.#s.insert.run(insertParams(t, seq));
    this.#m.insertBody(t.id, buf(sealed));
    return seq;
  }

  insertInline(t: NewTransfer, sealed: Bytes): void {
    this.#s.insert.run(insertParams(t, null, ''));
    this.#m.insertBody(t.id, buf(sealed));
  }

  ackMessages(destination: string, channel: string, seq: number): void {
    this.#m.ack(destination, channel, seq);
  }

  markSent(destination: string, channel: string, seq: number): void {
    this.#m.markSent(destination, channel, seq);
  }

  addKey(sealed: Bytes, now: number): number {
    return this.#m.addKey(buf(sealed), now);
  }

  markQueued(id: string, now: number): void {
    this.#s.markQueued.run(now, id);
  }

  failUnanswered(id: string, reason: string, now: number): void {
    this.#s.failUnanswered.run(reason, now, id);
  }

  forgetUnanswered(id: string, principal: string): boolean {
    return this.#s.forgetUnanswered.run(id, principal).changes === 1;
  }

  /** The rows read are the rows claimed: both in the batch's transaction. */
  claimDue(limit: number, now: number): Transfer[] {
    const rows = this.#s.due.all(now, limit) as TransferRow[];
    for (const r of rows) this.#s.claim.run(now, r.id);
    return rows.map((r) => toTransfer({ ...r, state: 'forwarding', attempts: r.attempts + 1, updated: now }));
  }

  reschedule(id: string, nextAttemptAt: number, reason: string, now: number): boolean {
    return this.#s.reschedule.run(nextAttemptAt, reason, now, id).changes === 1;
  }

  retryNow(id: string, now: number): boolean {
    return this.#s.retryNow.run(now, now, id).changes === 1;
  }

  markDelivered(id: string, receipt: Receipt, now: number): boolean {
    return this.#s.delivered.run({ receipt: JSON.stringify(receipt), now, id }).changes === 1;
  }

  settle(id: string, state: FinalState, reason: string, now: number, hops: HopView[] | null): boolean {
    return this.#s.settle.run(state, reason, now, hopsText(hops), id).changes === 1;
  }

  markRelayed(id: string, hops: HopView[], firstPollAt: number, now: number): boolean {
    return this.#s.relayed.run({ id, hops: hopsText(hops), next: firstPollAt, now }).changes === 1;
  }

  pollLater(id: string, next: number, hops: HopView[] | null, reason: string | null): void {
    this.#s.pollLater.run({ id, next, hops: hopsText(hops), reason });
  }

  settleRelayed(id: string, state: RelayOutcome, hops: HopView[], reason: string | null, receipt: Receipt | null, now: number): boolean {
    return this.#s.settleRelayed.run({ id, state, hops: hopsText(hops), reason, receipt: receipt ? JSON.stringify(receipt) : null, now }).changes === 1;
  }

  expireRelayed(id: string, reason: string, now: number): boolean {
    return this.#s.expireRelayed.run(reason, now, id).changes === 1;
  }

  requestWithdrawal(id: string, w: Withdrawal, now: number): boolean {
    return this.#s.requestWithdrawal.run({ id, w: JSON.stringify(w), now }).changes === 1;
  }

  withdraw(id: string, w: Withdrawal, reason: string, now: number): boolean {
    return this.#s.withdraw.run({ id, w: JSON.stringify(w), reason, now }).changes === 1;
  }

  requeueInterrupted(now: number): number {
    return this.#s.requeueForwarding.run(now).changes;
  }

  purgeSettled(before: number, limit: number): number {
    return this.#s.purgeSettled.run(before, limit).changes;
  }

  clearRetention(id: string): void {
    this.#s.clearRetain.run(id);
  }

  /** One batch in one transaction; when one write fails (a repeated idempotency key), each again alone, so only that one fails. */
  commit(ops: readonly WriteOp[]): WriteResult[] {
    try {
      return this.#db.transaction(() => ops.map((o) => ({ ok: true as const, value: this.#apply(o) })))();
    } catch {
      return ops.map((o) => {
        try {
          return { ok: true as const, value: this.#db.transaction(() => this.#apply(o))() };
        } catch (err) {
          const e = err as Error & { code?: string };
          return { ok: false as const, error: { name: e.name, message: e.message, code: e.code } };
        }
      });
    }
  }

  #apply(o: WriteOp): unknown {
    return (this[o.op] as (...a: unknown[]) => unknown).apply(this, o.args);
  }
}

export type WriteName = Exclude<{ [K in keyof QueueWrites]: QueueWrites[K] extends (...a: never[]) => unknown ? K : never }[keyof QueueWrites], 'commit'>;
export interface WriteOp { op: WriteName; args: unknown[] }
export type { WriteResult };
