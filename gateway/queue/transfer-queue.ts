import Database from 'better-sqlite3';
import type { TransferKind, TransferState } from '../../protocol/transfer.js';
import { MessageStore } from './message-store.js';
import * as Q from './hot-queries.js';
import { migrateQueue } from './queue-migrations.js';

// The durable queue: one row per transfer, its own SQLite file. A row is
// written 'accepted' before the audit records are made durable and becomes
// 'queued' just before the sender gets its 202; the forwarder claims due rows
// ('forwarding') and settles them. synchronous=FULL: a committed row survives
// kill -9 and power loss alike.

export interface TransferRow {
  id: string;
  kind: TransferKind;
  /** a message's channel */
  channel: string | null;
  state: TransferState;
  principal: string;
  source: string;
  destination: string;
  label: string;
  filename: string | null;
  content_type: string | null;
  size: number;
  sha256: string;
  /** The spool file's name; '' when the content is a sealed body in the queue database (messages by subscription, files under spool.inline_max). */
  spool: string;
  /** push or pull: delivered here; relay: handed to the next-hop gateway of a route; subscribe: a message for a subscription */
  delivery: 'push' | 'pull' | 'relay' | 'subscribe';
  /** A message's sequence number on its (destination, channel), for delivery by subscription. */
  seq: number | null;
  idempotency_key: string | null;
  created: number;
  updated: number;
  expires_at: number;
  attempts: number;
  next_attempt_at: number;
  reason: string | null;
  receipt_accepted: string | null;
  receipt_delivered: string | null;
  /** the policy's retention obligation, in days; the clock starts at delivery */
  retain_days: number | null;
  /** set at delivery from retain_days; the spool file is kept until then */
  retain_until: number | null;
  delivered_at: number | null;
  /** the upstream gateway's name, when a peer handed this transfer on */
  via: string | null;
  /** JSON array of the gateway names the transfer passed before this one (signed by the upstream) */
  path: string | null;
  /** the next-hop gateway's name (delivery 'relay') */
  next_hop: string | null;
  /** JSON array of what the gateways after this one said (state, time, receipts, refusal), first one first */
  hops: string | null;
  /** how often the next hop was asked for the outcome of a relayed transfer */
  polls: number;
}

export type NewTransfer = Omit<TransferRow, 'state' | 'updated' | 'attempts' | 'next_attempt_at' | 'reason' | 'receipt_delivered' | 'delivered_at' | 'retain_until' | 'hops' | 'polls' | 'via' | 'path' | 'next_hop' | 'seq'>
  & Partial<Pick<TransferRow, 'via' | 'path' | 'next_hop'>>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS transfers (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL DEFAULT 'file',
  channel TEXT,
  state TEXT NOT NULL,
  principal TEXT NOT NULL,
  source TEXT NOT NULL,
  destination TEXT NOT NULL,
  label TEXT NOT NULL,
  filename TEXT,
  content_type TEXT,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  spool TEXT NOT NULL,
  delivery TEXT NOT NULL,
  idempotency_key TEXT,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  reason TEXT,
  receipt_accepted TEXT,
  receipt_delivered TEXT,
  retain_days INTEGER,
  retain_until INTEGER,
  delivered_at INTEGER,
  via TEXT,
  path TEXT,
  next_hop TEXT,
  hops TEXT,
  polls INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS transfers_idem ON transfers(principal, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS transfers_due ON transfers(state, next_attempt_at);
CREATE INDEX IF NOT EXISTS transfers_inbox ON transfers(destination, state) WHERE delivery = 'pull';
CREATE INDEX IF NOT EXISTS transfers_principal ON transfers(principal, id);
CREATE INDEX IF NOT EXISTS transfers_expiry ON transfers(expires_at) WHERE state IN ('queued', 'forwarding');
`;

const LATER_COLUMNS: Array<[string, string]> = [
  ['kind', "TEXT NOT NULL DEFAULT 'file'"],
  ['channel', 'TEXT'],
  ['retain_days', 'INTEGER'],
  ['seq', 'INTEGER'],
  ['via', 'TEXT'],
  ['path', 'TEXT'],
  ['next_hop', 'TEXT'],
  ['hops', 'TEXT'],
  ['polls', 'INTEGER NOT NULL DEFAULT 0'],
];

export class TransferQueue {
  readonly #db: Database.Database;
  readonly #stmts;
  /** Sequence numbers, sealed bodies and backlogs of messages by subscription. */
  readonly messages: MessageStore;
  #pending: Array<{ run: () => void; resolve: () => void; reject: (e: unknown) => void }> = [];
  #flushScheduled = false;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SCHEMA);
    this.#addMissingColumns();
    // After the columns it names exist in an older queue.db too.
    this.#db.exec('CREATE INDEX IF NOT EXISTS transfers_channel ON transfers(channel, source, destination, id) WHERE channel IS NOT NULL');
    this.messages = new MessageStore(this.#db);
    migrateQueue(this.#db);
    const db = this.#db;
    this.#stmts = {
      insert: db.prepare(`INSERT INTO transfers (id, kind, channel, state, principal, source, destination, label, filename, content_type, size, sha256, spool, delivery,
        idempotency_key, created, updated, expires_at, attempts, next_attempt_at, receipt_accepted, retain_days, via, path, next_hop, seq)
        VALUES (@id, @kind, @channel, 'accepted', @principal, @source, @destination, @label, @filename, @content_type, @size, @sha256, @spool, @delivery,
        @idempotency_key, @created, @created, @expires_at, 0, @created, @receipt_accepted, @retain_days, @via, @path, @next_hop, @seq)`),
      markQueued: db.prepare(`UPDATE transfers SET state = 'queued', updated = ?, reason = NULL WHERE id = ? AND state = 'accepted'`),
      get: db.prepare(Q.GET_SQL),
      byIdem: db.prepare(Q.BY_IDEM_SQL),
      due: db.prepare(Q.DUE_SQL),
      claim: db.prepare(`UPDATE transfers SET state = 'forwarding', attempts = attempts + 1, updated = ? WHERE id = ? AND state = 'queued'`),
      reschedule: db.prepare(`UPDATE transfers SET state = 'queued', next_attempt_at = ?, reason = ?, updated = ? WHERE id = ?`),
      // The retention clock starts at delivery: retain_until is set here, in the same write.
      delivered: db.prepare(`UPDATE transfers SET state = 'delivered', receipt_delivered = @receipt, delivered_at = @now, updated = @now, reason = NULL,
        retain_until = CASE WHEN retain_days IS NULL THEN NULL ELSE @now + retain_days * 86400000 END
        WHERE id = @id AND state IN ('queued', 'forwarding')`),
      inbox: db.prepare(Q.INBOX_SQL),
      expiredDue: db.prepare(Q.EXPIRED_DUE_SQL),
      nextDue: db.prepare(Q.NEXT_DUE_SQL),
      // Handed to the next gateway: this one waits for its outcome (asked now and then).
      relayed: db.prepare(`UPDATE transfers SET state = 'relayed', hops = @hops, polls = 0, next_attempt_at = @next, reason = NULL, updated = @now WHERE id = @id AND state = 'forwarding'`),
      relayedDue: db.prepare(Q.RELAYED_DUE_SQL),
      pollLater: db.prepare(`UPDATE transfers SET polls = polls + 1, next_attempt_at = @next, hops = COALESCE(@hops, hops), reason = @reason WHERE id = @id AND state = 'relayed'`),
      settleRelayed: db.prepare(`UPDATE transfers SET state = @state, hops = @hops, reason = @reason, receipt_delivered = @receipt, updated = @now,
        delivered_at = CASE WHEN @state = 'delivered' THEN @now ELSE NULL END,
        retain_until = CASE WHEN @state = 'delivered' AND retain_days IS NOT NULL THEN @now + retain_days * 86400000 ELSE NULL END
        WHERE id = @id AND state IN ('forwarding', 'relayed', 'queued')`),
      // A relayed transfer the next gateways never settled within its expiry (multi-hop).
      relayedExpiredDue: db.prepare(Q.RELAYED_EXPIRED_DUE_SQL),
      expireRelayed: db.prepare(`UPDATE transfers SET state = 'expired', reason = ?, updated = ? WHERE id = ? AND state = 'relayed'`),
      forgetUnanswered: db.prepare(`DELETE FROM transfers WHERE id = ? AND principal = ? AND state = 'failed' AND idempotency_key IS NULL`),
      counts: db.prepare(Q.COUNTS_SQL),
      byState: db.prepare(Q.BY_STATE_SQL),
      requeueForwarding: db.prepare(Q.REQUEUE_FORWARDING_SQL),
      unsettledSpools: db.prepare(Q.UNSETTLED_SPOOLS_SQL),
      retainedDue: db.prepare(Q.RETAINED_DUE_SQL),
      purgeSettled: db.prepare(Q.PURGE_SETTLED_SQL),
      failUnanswered: db.prepare(`UPDATE transfers SET state = 'failed', reason = ?, idempotency_key = NULL, updated = ? WHERE id = ? AND state = 'accepted'`),
      settle: db.prepare(`UPDATE transfers SET state = ?, reason = ?, updated = ?, hops = COALESCE(?, hops) WHERE id = ? AND state IN ('queued', 'forwarding')`),
      clearRetain: db.prepare(`UPDATE transfers SET retain_until = NULL WHERE id = ?`),
    };
  }

  /** Columns added after the first release of the schema, added to an older queue.db in place. */
  #addMissingColumns(): void {
    const have = new Set((this.#db.prepare('PRAGMA table_info(transfers)').all() as Array<{ name: string }>).map((c) => c.name));
    for (const [name, decl] of LATER_COLUMNS) {
      if (!have.has(name)) this.#db.exec(`ALTER TABLE transfers ADD COLUMN ${name} ${decl}`);
    }
  }

  /**
   * Group commit: writes asked for in the same turn of the event loop share one
   * transaction, so one fsync (synchronous=FULL) makes them all durable. Under
   * load this is what keeps small transfers from queueing behind each other's
   * fsyncs on the event loop. Each promise resolves once its write is durable.
   */
  #batch<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let result: T;
      this.#pending.push({ run: () => { result = run(); }, resolve: () => resolve(result), reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending.splice(0);
    try {
      this.#db.transaction(() => {
        for (const op of batch) op.run();
      })();
      for (const op of batch) op.resolve();
    } catch {
      // One write failed (say, a duplicate idempotency key) and rolled back the batch:
      // do each alone so that only the one at fault fails.
      for (const op of batch) {
        try {
          this.#db.transaction(op.run)();
          op.resolve();
        } catch (err) {
          op.reject(err);
        }
      }
    }
  }

  /** Durable once resolved. */
  insertAccepted(t: NewTransfer): Promise<void> {
    return this.#batch(() => void this.#stmts.insert.run({ via: null, path: null, next_hop: null, ...t, seq: null }));
  }

  /**
   * A message for a subscription: its sequence number is taken, and its sealed
   * body stored, in the transaction that inserts the row. Resolves with the
   * sequence once durable.
   */
  insertMessage(t: NewTransfer & { channel: string }, sealed: Buffer): Promise<number> {
    return this.#batch(() => {
      const seq = this.messages.takeSeq(t.destination, t.channel);
      this.#stmts.insert.run({ via: null, path: null, next_hop: null, ...t, seq });
      this.messages.insertBody(t.id, sealed);
      return seq;
    });
  }

  /**
   * A small file held in the queue database: its sealed body is stored in the
   * transaction that inserts the row, so the row's commit makes both durable
   * (no spool file, no directory fsync). Durable once resolved.
   */
  insertInline(t: NewTransfer, sealed: Buffer): Promise<void> {
    return this.#batch(() => {
      this.#stmts.insert.run({ via: null, path: null, next_hop: null, ...t, spool: '', seq: null });
      this.messages.insertBody(t.id, sealed);
    });
  }

  /** Moves a subscription's acknowledgement mark (group-committed). */
  ackMessages(destination: string, channel: string, seq: number): Promise<void> {
    return this.#batch(() => this.messages.ack(destination, channel, seq));
  }

  /** The last step before the 202: durable once resolved. */
  markQueued(id: string, now = Date.now()): Promise<void> {
    return this.#batch(() => void this.#stmts.markQueued.run(now, id));
  }

  get(id: string): TransferRow | undefined {
    return this.#stmts.get.get(id) as TransferRow | undefined;
  }

  findByIdempotencyKey(principal: string, key: string): TransferRow | undefined {
    return this.#stmts.byIdem.get(principal, key) as TransferRow | undefined;
  }

  /**
   * An upload that failed before its sender was answered. Its idempotency key is
   * released, so that the sender's retry with the same key is a new upload rather
   * than a replay of an answer it never got.
   */
  failUnanswered(id: string, reason: string, now = Date.now()): void {
    this.#stmts.failUnanswered.run(reason, now, id);
  }

  /** End a transfer that is still waiting for delivery; false when it had already ended (say, acknowledged meanwhile). */
  settle(id: string, state: 'failed' | 'expired' | 'denied', reason: string, now = Date.now(), hops: string | null = null): Promise<boolean> {
    return this.#batch(() => this.#stmts.settle.run(state, reason, now, hops, id).changes === 1);
  }

  /** The next gateway took the transfer (its 202 is durable there): wait for its outcome. */
  markRelayed(id: string, hops: string, firstPollAt: number, now = Date.now()): Promise<boolean> {
    return this.#batch(() => this.#stmts.relayed.run({ id, hops, next: firstPollAt, now }).changes === 1);
  }

  /** Relayed transfers whose next hop is due to be asked for the outcome. */
  relayedDue(limit: number, now = Date.now()): TransferRow[] {
    return this.#stmts.relayedDue.all(now, limit) as TransferRow[];
  }

  /** Not settled downstream yet: ask again at `next` (the hops seen so far kept). */
  pollLater(id: string, next: number, hops: string | null, reason: string | null): Promise<void> {
    return this.#batch(() => void this.#stmts.pollLater.run({ id, next, hops, reason }));
  }

  /** The outcome of a relayed transfer, as the gateways after this one settled it. */
  settleRelayed(id: string, state: 'delivered' | 'denied' | 'failed' | 'expired', hops: string, reason: string | null, receipt: string | null, now = Date.now()): Promise<boolean> {
    return this.#batch(() => this.#stmts.settleRelayed.run({ id, state, hops, reason, receipt, now }).changes === 1);
  }

  /** Relayed transfers past their expiry whose outcome never came back. */
  relayedExpiredDue(now = Date.now(), limit = 100): TransferRow[] {
    return this.#stmts.relayedExpiredDue.all(now, limit) as TransferRow[];
  }

  /** End a relayed transfer as expired; false when its outcome came back meanwhile. */
  expireRelayed(id: string, reason: string, now = Date.now()): Promise<boolean> {
    return this.#batch(() => this.#stmts.expireRelayed.run(reason, now, id).changes === 1);
  }

  /**
   * A relayed-in transfer this gateway failed before answering (kill -9 mid-upload): the
   * upstream retries it under the same id, which must then be free again.
   */
  forgetUnanswered(id: string, principal: string): boolean {
    return this.#stmts.forgetUnanswered.run(id, principal).changes === 1;
  }

  /** Claim up to `limit` push transfers that are due, moving them to 'forwarding'. */
  claimDue(limit: number, now = Date.now()): TransferRow[] {
    return this.#db.transaction(() => {
      const rows = this.#stmts.due.all(now, limit) as TransferRow[];
      for (const r of rows) this.#stmts.claim.run(now, r.id);
      return rows.map((r) => ({ ...r, state: 'forwarding' as const, attempts: r.attempts + 1 }));
    })();
  }

  reschedule(id: string, nextAttemptAt: number, reason: string, now = Date.now()): Promise<void> {
    return this.#batch(() => void this.#stmts.reschedule.run(nextAttemptAt, reason, now, id));
  }

  /** Resolves false when the transfer was no longer waiting for delivery. */
  markDelivered(id: string, receipt: string, now = Date.now()): Promise<boolean> {
    return this.#batch(() => this.#stmts.delivered.run({ receipt, now, id }).changes === 1);
  }

  inbox(destination: string, limit = 1000): TransferRow[] {
    return this.#stmts.inbox.all(destination, limit) as TransferRow[];
  }

  /** Up to `limit` transfers still waiting past their expiry, the longest expired first. */
  expiredDue(now = Date.now(), limit = 100): TransferRow[] {
    return this.#stmts.expiredDue.all(now, limit) as TransferRow[];
  }

  nextDueTime(): number | null {
    return (this.#stmts.nextDue.get() as { t: number | null }).t;
  }

  countsByState(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.#stmts.counts.all() as Array<{ state: string; n: number }>) out[r.state] = r.n;
    return out;
  }

  /** An operator's "retry now": due at once, if it is still waiting. */
  retryNow(id: string, now = Date.now()): boolean {
    return this.#db.prepare(`UPDATE transfers SET next_attempt_at = ?, updated = ? WHERE id = ? AND state = 'queued'`).run(now, now, id).changes === 1;
  }

  /** Newest first, filtered; `principal` null lists every sender's (the admin plane). */
  list(f: Q.ListFilter): TransferRow[] {
    const { sql, args } = Q.listSql(f);
    return this.#db.prepare(sql).all(...args) as TransferRow[];
  }

  withState(state: TransferState): TransferRow[] {
    return this.#stmts.byState.all(state) as TransferRow[];
  }

  /** After a crash, a transfer that was being forwarded is simply due again. */
  requeueInterrupted(now = Date.now()): number {
    return this.#stmts.requeueForwarding.run(now).changes;
  }

  /** Spool files of transfers not settled yet: the only ones a crash can have left without their row's say. */
  unsettledSpools(): Array<{ id: string; spool: string }> {
    return this.#stmts.unsettledSpools.all() as Array<{ id: string; spool: string }>;
  }

  /** Up to `limit` settled transfers whose retained content is due for removal, oldest first. */
  retainedDue(now = Date.now(), limit = 100): TransferRow[] {
    return this.#stmts.retainedDue.all(now, limit) as TransferRow[];
  }

  /**
   * Removes up to `limit` settled rows last changed before `before` that hold no
   * retained content; the audit log keeps their history. Group-committed.
   */
  purgeSettled(before: number, limit: number): Promise<number> {
    return this.#batch(() => this.#stmts.purgeSettled.run(before, limit).changes);
  }

  clearRetention(id: string): void {
    this.#stmts.clearRetain.run(id);
  }

  check(): void {
    this.#db.prepare('SELECT 1').get();
  }

  close(): void {
    if (this.#pending.length) this.#flush();
    this.#db.close();
  }
}
