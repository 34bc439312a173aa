import Database from 'better-sqlite3';
import type { Receipt } from '../../../protocol/receipt.js';
import type { TransferState } from '../../../protocol/transfer.js';
import type { HopView } from '../../routing/hop-view.js';
import type { ChannelMessages, FinalState, ListFilter, NewTransfer, RelayOutcome, Transfer, TransferStore, Withdrawal } from '../transfer-store.js';
import { MessageStore } from './message-store.js';
import * as Q from './hot-queries.js';
import { migrateQueue } from './queue-migrations.js';
import { QueueWriter } from './queue-writer.js';
import { toTransfer, type TransferRow } from './transfer-row.js';

// The durable queue on SQLite: one row per transfer, its own file (queue.db).
// A row is written 'accepted' before the audit records are made durable and
// becomes 'queued' just before the sender gets its 202; the scheduler claims
// due rows ('forwarding') and settles them. synchronous=FULL: a committed row
// survives kill -9 and power loss alike.
//
// Writes run on the queue writer's thread (queue-writer.ts), which owns the
// writing connection and commits each group of writes in one transaction, so
// the fsync never holds the event loop; each write is one atomic step there,
// applied in the order it was asked for. Reads run here, on a connection of
// their own that may only read (query_only), and see every write whose
// promise has resolved (WAL: a commit is visible to the next read).

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
  readonly #writer: QueueWriter;
  readonly messages: ChannelMessages;
  /** accepted → queued asked and not yet committed, by id: reads already show these rows queued. */
  readonly #marking = new Map<string, Promise<void>>();

  constructor(path: string) {
    // The schema and its migrations first, on this connection, before the writer thread opens its own.
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SCHEMA);
    this.#addMissingColumns();
    // After the columns it names exist in an older queue.db too.
    this.#db.exec('CREATE INDEX IF NOT EXISTS transfers_channel ON transfers(channel, source, destination, id) WHERE channel IS NOT NULL');
    const messages = new MessageStore(this.#db, (id) => this.#marking.has(id));
    migrateQueue(this.#db);
    // From here this connection only reads: every write goes to the writer thread.
    this.#db.pragma('query_only = ON');
    this.#writer = new QueueWriter(path);
    this.messages = channelMessages(messages, this.#writer);
    const db = this.#db;
    this.#stmts = {
      get: db.prepare(Q.GET_SQL),
      byIdem: db.prepare(Q.BY_IDEM_SQL),
      inbox: db.prepare(Q.INBOX_SQL),
      expiredDue: db.prepare(Q.EXPIRED_DUE_SQL),
      nextDue: db.prepare(Q.NEXT_DUE_SQL),
      relayedDue: db.prepare(Q.RELAYED_DUE_SQL),
      relayedExpiredDue: db.prepare(Q.RELAYED_EXPIRED_DUE_SQL),
      counts: db.prepare(Q.COUNTS_SQL),
      byState: db.prepare(Q.BY_STATE_SQL),
      unsettledSpools: db.prepare(Q.UNSETTLED_SPOOLS_SQL),
      retainedDue: db.prepare(Q.RETAINED_DUE_SQL),
    };
  }

  /** Columns added after the first release of the schema, added to an older queue.db in place. */
  #addMissingColumns(): void {
    const have = new Set((this.#db.prepare('PRAGMA table_info(transfers)').all() as Array<{ name: string }>).map((c) => c.name));
    for (const [name, decl] of LATER_COLUMNS) {
      if (!have.has(name)) this.#db.exec(`ALTER TABLE transfers ADD COLUMN ${name} ${decl}`);
    }
  }

  /** Why writes are refused (the writer thread stopped), or null. */
  get failure(): string | null {
    return this.#writer.failure;
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
    return this.#writer.write('insertAccepted', t);
  }

  insertMessage(t: NewTransfer & { channel: string }, sealed: Buffer): Promise<number> {
    return this.#writer.write('insertMessage', t, sealed);
  }

  insertInline(t: NewTransfer, sealed: Buffer): Promise<void> {
    return this.#writer.write('insertInline', t, sealed);
  }

  ackMessages(destination: string, channel: string, seq: number): Promise<void> {
    return this.#writer.write('ackMessages', destination, channel, seq);
  }

  markQueued(id: string, now = Date.now()): Promise<void> {
    return this.#writer.write('markQueued', id, now);
  }

  markAnswered(id: string, now = Date.now()): Promise<void> {
    const p = this.#writer.writeSoon('markQueued', id, now);
    this.#marking.set(id, p);
    // A move that failed leaves its row accepted on disk (the writer is gone; recovery decides at the next start).
    const done = (): void => {
      if (this.#marking.get(id) === p) this.#marking.delete(id);
    };
    p.then(done, done);
    return p;
  }

  /** A row as the gateway sees it: queued already once its mark is asked for. */
  #seen(t: Transfer): Transfer {
    return t.state === 'accepted' && this.#marking.has(t.id) ? { ...t, state: 'queued' } : t;
  }

  get(id: string): Promise<Transfer | undefined> {
    return this.#read(() => {
      const r = this.#stmts.get.get(id) as TransferRow | undefined;
      return r && this.#seen(toTransfer(r));
    });
  }

  findByIdempotencyKey(principal: string, key: string): Promise<Transfer | undefined> {
    return this.#read(() => {
      const r = this.#stmts.byIdem.get(principal, key) as TransferRow | undefined;
      return r && this.#seen(toTransfer(r));
    });
  }

  failUnanswered(id: string, reason: string, now = Date.now()): Promise<void> {
    return this.#writer.write('failUnanswered', id, reason, now);
  }

  settle(id: string, state: FinalState, reason: string, now = Date.now(), hops: HopView[] | null = null): Promise<boolean> {
    return this.#writer.write('settle', id, state, reason, now, hops);
  }

  markRelayed(id: string, hops: HopView[], firstPollAt: number, now = Date.now()): Promise<boolean> {
    return this.#writer.write('markRelayed', id, hops, firstPollAt, now);
  }

  relayedDue(limit: number, now = Date.now()): Promise<Transfer[]> {
    return this.#rows(this.#stmts.relayedDue, now, limit);
  }

  pollLater(id: string, next: number, hops: HopView[] | null, reason: string | null): Promise<void> {
    return this.#writer.write('pollLater', id, next, hops, reason);
  }

  settleRelayed(id: string, state: RelayOutcome, hops: HopView[], reason: string | null, receipt: Receipt | null, now = Date.now()): Promise<boolean> {
    return this.#writer.write('settleRelayed', id, state, hops, reason, receipt, now);
  }

  relayedExpiredDue(now = Date.now(), limit = 100): Promise<Transfer[]> {
    return this.#rows(this.#stmts.relayedExpiredDue, now, limit);
  }

  expireRelayed(id: string, reason: string, now = Date.now()): Promise<boolean> {
    return this.#writer.write('expireRelayed', id, reason, now);
  }

  requestWithdrawal(id: string, w: Withdrawal, now = Date.now()): Promise<boolean> {
    return this.#writer.write('requestWithdrawal', id, w, now);
  }

  withdraw(id: string, w: Withdrawal, reason: string, now = Date.now()): Promise<boolean> {
    return this.#writer.write('withdraw', id, w, reason, now);
  }

  forgetUnanswered(id: string, principal: string): Promise<boolean> {
    return this.#writer.write('forgetUnanswered', id, principal);
  }

  /** On the writer thread, in one transaction: the rows read are the rows claimed. */
  claimDue(limit: number, now = Date.now()): Promise<Transfer[]> {
    return this.#writer.write('claimDue', limit, now);
  }

  reschedule(id: string, nextAttemptAt: number, reason: string, now = Date.now()): Promise<boolean> {
    return this.#writer.write('reschedule', id, nextAttemptAt, reason, now);
  }

  markDelivered(id: string, receipt: Receipt, now = Date.now()): Promise<boolean> {
    return this.#writer.write('markDelivered', id, receipt, now);
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
    return this.#writer.write('retryNow', id, now);
  }

  list(f: ListFilter): Promise<Transfer[]> {
    const { sql, args } = Q.listSql(f);
    return this.#read(() => (this.#db.prepare(sql).all(...args) as TransferRow[]).map(toTransfer));
  }

  withState(state: TransferState): Promise<Transfer[]> {
    return this.#rows(this.#stmts.byState, state);
  }

  requeueInterrupted(now = Date.now()): Promise<number> {
    return this.#writer.write('requeueInterrupted', now);
  }

  unsettledSpools(): Promise<Array<{ id: string; spool: string }>> {
    return this.#read(() => this.#stmts.unsettledSpools.all() as Array<{ id: string; spool: string }>);
  }

  retainedDue(now = Date.now(), limit = 100): Promise<Transfer[]> {
    return this.#rows(this.#stmts.retainedDue, now, limit);
  }

  purgeSettled(before: number, limit: number): Promise<number> {
    return this.#writer.write('purgeSettled', before, limit);
  }

  clearRetention(id: string): Promise<void> {
    return this.#writer.write('clearRetention', id);
  }

  /** Throws when the queue cannot be read, or when it can no longer be written (the writer thread stopped). */
  check(): Promise<void> {
    return this.#read(() => {
      if (this.#writer.failure) throw new Error(this.#writer.failure);
      this.#db.prepare('SELECT 1').get();
    });
  }

  async close(): Promise<void> {
    await this.#writer.close();
    this.#db.close();
  }
}

/** Reads on this thread; a new data key through the writer. */
function channelMessages(m: MessageStore, writer: QueueWriter): ChannelMessages {
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
    toSend: (destination, channel, seq, limit) => now(() => m.toSend(destination, channel, seq, limit)),
    waitingUpTo: (destination, channel, from, to) => now(() => m.waitingUpTo(destination, channel, from, to)),
    markSent: (destination, channel, seq) => writer.writeSoon('markSent', destination, channel, seq),
    sentUpTo: (destination, channel) => now(() => m.sentUpTo(destination, channel)),
    addKey: (sealed) => writer.write('addKey', sealed, Date.now()),
    key: (id) => now(() => m.key(id)),
  };
}
