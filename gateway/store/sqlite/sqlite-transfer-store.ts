import Database from 'better-sqlite3';
import type { Receipt } from '../../../protocol/receipt.js';
import type { TransferState } from '../../../protocol/transfer.js';
import type { HopView } from '../../routing/hop-view.js';
import type { ChannelMessages, FinalState, ListFilter, NewTransfer, RelayOutcome, Transfer, TransferStore, Withdrawal } from '../transfer-store.js';
import { GroupCommit } from '../../durability/group-commit.js';
import { MessageStore } from './message-store.js';
import * as Q from './hot-queries.js';
import { migrateQueue } from './queue-migrations.js';
import { hopsText, insertParams, toTransfer, type TransferRow } from './transfer-row.js';

// The durable queue on SQLite: one row per transfer, its own file (queue.db).
// A row is written 'accepted' before the audit records are made durable and
// becomes 'queued' just before the sender gets its 202; the scheduler claims
// due rows ('forwarding') and settles them. synchronous=FULL: a committed row
// survives kill -9 and power loss alike. better-sqlite3 is synchronous, so each
// method below is one atomic step whatever the caller does between awaits.

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
  ['withdrawal', 'TEXT'],
];

export class SqliteTransferStore implements TransferStore {
  readonly #db: Database.Database;
  readonly #stmts;
  readonly #messages: MessageStore;
  readonly messages: ChannelMessages;
  readonly #commits: GroupCommit<Pending>;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SCHEMA);
    this.#addMissingColumns();
    // After the columns it names exist in an older queue.db too.
    this.#db.exec('CREATE INDEX IF NOT EXISTS transfers_channel ON transfers(channel, source, destination, id) WHERE channel IS NOT NULL');
    this.#messages = new MessageStore(this.#db);
    this.messages = channelMessages(this.#messages);
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
      // Only an attempt still in hand goes back in line: one cancelled or settled meanwhile stays as it is.
      reschedule: db.prepare(`UPDATE transfers SET state = 'queued', next_attempt_at = ?, reason = ?, updated = ? WHERE id = ? AND state = 'forwarding'`),
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
      // Withdrawal (delivery/withdraw.ts): asked of the next hop, due now; or done here, only while waiting (not while an attempt is in hand).
      requestWithdrawal: db.prepare(`UPDATE transfers SET withdrawal = @w, next_attempt_at = @now, updated = @now WHERE id = @id AND state = 'relayed' AND withdrawal IS NULL`),
      withdraw: db.prepare(`UPDATE transfers SET state = 'failed', withdrawal = @w, reason = @reason, updated = @now WHERE id = @id AND state = 'queued'`),
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
      retryNow: db.prepare(`UPDATE transfers SET next_attempt_at = ?, updated = ? WHERE id = ? AND state = 'queued'`),
    };
    this.#commits = new GroupCommit<Pending>({ commit: (batch) => this.#commit(batch) });
  }

  /** Columns added after the first release of the schema, added to an older queue.db in place. */
  #addMissingColumns(): void {
    const have = new Set((this.#db.prepare('PRAGMA table_info(transfers)').all() as Array<{ name: string }>).map((c) => c.name));
    for (const [name, decl] of LATER_COLUMNS) {
      if (!have.has(name)) this.#db.exec(`ALTER TABLE transfers ADD COLUMN ${name} ${decl}`);
    }
  }

  /** Each write is queued in the group commit when called (so writes keep the order they were asked in); resolves once durable. */
  #batch<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let result: T;
      this.#commits.push({ run: () => { result = run(); }, resolve: () => resolve(result), reject });
    });
  }

  #commit(batch: Pending[]): void {
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

  /** A read, answered now: better-sqlite3 is synchronous; a throw becomes a rejection. */
  #read<T>(run: () => T): Promise<T> {
    try {
      return Promise.resolve(run());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #rows(stmt: Database.Statement, ...args: unknown[]): Promise<Transfer[]> {
    return this.#read(() => (stmt.all(...args) as TransferRow[]).map(toTransfer));
  }

  insertAccepted(t: NewTransfer): Promise<void> {
    return this.#batch(() => void this.#stmts.insert.run(insertParams(t, null)));
  }

  insertMessage(t: NewTransfer & { channel: string }, sealed: Buffer): Promise<number> {
    return this.#batch(() => {
      const seq = this.#messages.takeSeq(t.destination, t.channel);
      this.#stmts.insert.run(insertParams(t, seq));
      this.#messages.insertBody(t.id, sealed);
      return seq;
    });
  }

  insertInline(t: NewTransfer, sealed: Buffer): Promise<void> {
    return this.#batch(() => {
      this.#stmts.insert.run(insertParams(t, null, ''));
      this.#messages.insertBody(t.id, sealed);
    });
  }

  ackMessages(destination: string, channel: string, seq: number): Promise<void> {
    return this.#batch(() => this.#messages.ack(destination, channel, seq));
  }

  markQueued(id: string, now = Date.now()): Promise<void> {
    return this.#batch(() => void this.#stmts.markQueued.run(now, id));
  }

  get(id: string): Promise<Transfer | undefined> {
    return this.#read(() => {
      const r = this.#stmts.get.get(id) as TransferRow | undefined;
      return r && toTransfer(r);
    });
  }

  findByIdempotencyKey(principal: string, key: string): Promise<Transfer | undefined> {
    return this.#read(() => {
      const r = this.#stmts.byIdem.get(principal, key) as TransferRow | undefined;
      return r && toTransfer(r);
    });
  }

  failUnanswered(id: string, reason: string, now = Date.now()): Promise<void> {
    return this.#read(() => void this.#stmts.failUnanswered.run(reason, now, id));
  }

  settle(id: string, state: FinalState, reason: string, now = Date.now(), hops: HopView[] | null = null): Promise<boolean> {
    return this.#batch(() => this.#stmts.settle.run(state, reason, now, hopsText(hops), id).changes === 1);
  }

  markRelayed(id: string, hops: HopView[], firstPollAt: number, now = Date.now()): Promise<boolean> {
    return this.#batch(() => this.#stmts.relayed.run({ id, hops: hopsText(hops), next: firstPollAt, now }).changes === 1);
  }

  relayedDue(limit: number, now = Date.now()): Promise<Transfer[]> {
    return this.#rows(this.#stmts.relayedDue, now, limit);
  }

  pollLater(id: string, next: number, hops: HopView[] | null, reason: string | null): Promise<void> {
    return this.#batch(() => void this.#stmts.pollLater.run({ id, next, hops: hopsText(hops), reason }));
  }

  settleRelayed(id: string, state: RelayOutcome, hops: HopView[], reason: string | null, receipt: Receipt | null, now = Date.now()): Promise<boolean> {
    return this.#batch(() => this.#stmts.settleRelayed.run({ id, state, hops: hopsText(hops), reason, receipt: receipt ? JSON.stringify(receipt) : null, now }).changes === 1);
  }

  relayedExpiredDue(now = Date.now(), limit = 100): Promise<Transfer[]> {
    return this.#rows(this.#stmts.relayedExpiredDue, now, limit);
  }

  expireRelayed(id: string, reason: string, now = Date.now()): Promise<boolean> {
    return this.#batch(() => this.#stmts.expireRelayed.run(reason, now, id).changes === 1);
  }

  requestWithdrawal(id: string, w: Withdrawal, now = Date.now()): Promise<boolean> {
    return this.#batch(() => this.#stmts.requestWithdrawal.run({ id, w: JSON.stringify(w), now }).changes === 1);
  }

  withdraw(id: string, w: Withdrawal, reason: string, now = Date.now()): Promise<boolean> {
    return this.#batch(() => this.#stmts.withdraw.run({ id, w: JSON.stringify(w), reason, now }).changes === 1);
  }

  forgetUnanswered(id: string, principal: string): Promise<boolean> {
    return this.#read(() => this.#stmts.forgetUnanswered.run(id, principal).changes === 1);
  }

  /** One transaction: the rows read are the rows claimed. */
  claimDue(limit: number, now = Date.now()): Promise<Transfer[]> {
    return this.#read(() => this.#db.transaction(() => {
      const rows = this.#stmts.due.all(now, limit) as TransferRow[];
      for (const r of rows) this.#stmts.claim.run(now, r.id);
      return rows.map((r) => toTransfer({ ...r, state: 'forwarding', attempts: r.attempts + 1, updated: now }));
    })());
  }

  reschedule(id: string, nextAttemptAt: number, reason: string, now = Date.now()): Promise<boolean> {
    return this.#batch(() => this.#stmts.reschedule.run(nextAttemptAt, reason, now, id).changes === 1);
  }

  markDelivered(id: string, receipt: Receipt, now = Date.now()): Promise<boolean> {
    return this.#batch(() => this.#stmts.delivered.run({ receipt: JSON.stringify(receipt), now, id }).changes === 1);
  }

  inbox(destination: string, limit = 1000): Promise<Transfer[]> {
    return this.#rows(this.#stmts.inbox, destination, limit);
  }

  expiredDue(now = Date.now(), limit = 100): Promise<Transfer[]> {
    return this.#rows(this.#stmts.expiredDue, now, limit);
  }

  nextDueTime(): Promise<number | null> {
    return this.#read(() => (this.#stmts.nextDue.get() as { t: number | null }).t);
  }

  countsByState(): Promise<Record<string, number>> {
    return this.#read(() => {
      const out: Record<string, number> = {};
      for (const r of this.#stmts.counts.all() as Array<{ state: string; n: number }>) out[r.state] = r.n;
      return out;
    });
  }

  retryNow(id: string, now = Date.now()): Promise<boolean> {
    return this.#read(() => this.#stmts.retryNow.run(now, now, id).changes === 1);
  }

  list(f: ListFilter): Promise<Transfer[]> {
    const { sql, args } = Q.listSql(f);
    return this.#read(() => (this.#db.prepare(sql).all(...args) as TransferRow[]).map(toTransfer));
  }

  withState(state: TransferState): Promise<Transfer[]> {
    return this.#rows(this.#stmts.byState, state);
  }

  requeueInterrupted(now = Date.now()): Promise<number> {
    return this.#read(() => this.#stmts.requeueForwarding.run(now).changes);
  }

  unsettledSpools(): Promise<Array<{ id: string; spool: string }>> {
    return this.#read(() => this.#stmts.unsettledSpools.all() as Array<{ id: string; spool: string }>);
  }

  retainedDue(now = Date.now(), limit = 100): Promise<Transfer[]> {
    return this.#rows(this.#stmts.retainedDue, now, limit);
  }

  purgeSettled(before: number, limit: number): Promise<number> {
    return this.#batch(() => this.#stmts.purgeSettled.run(before, limit).changes);
  }

  clearRetention(id: string): Promise<void> {
    return this.#read(() => void this.#stmts.clearRetain.run(id));
  }

  check(): Promise<void> {
    return this.#read(() => void this.#db.prepare('SELECT 1').get());
  }

  close(): Promise<void> {
    return this.#read(() => {
      if (this.#commits.size) this.#commits.flush();
      this.#db.close();
    });
  }
}

interface Pending { run: () => void; resolve: () => void; reject: (e: unknown) => void }

function channelMessages(m: MessageStore): ChannelMessages {
  const now = <T>(run: () => T): Promise<T> => {
    try {
      return Promise.resolve(run());
    } catch (err) {
      return Promise.reject(err);
    }
  };
  return {
    body: (id) => now(() => m.body(id)),
    head: (destination, channel) => now(() => m.head(destination, channel)),
    after: (destination, channel, seq, limit) => now(() => m.after(destination, channel, seq, limit)),
    waitingUpTo: (destination, channel, from, to) => now(() => m.waitingUpTo(destination, channel, from, to)),
    addKey: (sealed) => now(() => m.addKey(sealed)),
    key: (id) => now(() => m.key(id)),
  };
}
