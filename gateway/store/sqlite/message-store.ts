import type Database from 'better-sqlite3';
import type { ChannelHead, StoredMessage, Transfer } from '../transfer-store.js';
import { toTransfer, type TransferRow } from './transfer-row.js';

// Small files (spool.inline_max) keep their sealed body in message_bodies too, under
// their own triggers (queue-migrations.ts, step 5); they take no sequence number.
//
// Messages delivered by subscription live beside the transfer rows, in the same
// queue.db: the sealed body in message_bodies (no spool file, no directory fsync),
// and per (destination, channel) the last sequence number given, the cumulative
// acknowledgement, and the backlog (what waits). The sequence is taken in the
// transaction that inserts the row; the backlog and the bodies follow the row's
// state through triggers, so whichever path settles a transfer (ack, expiry,
// failure, recovery, retention sweep) they stay exact, crash or no crash.

export const MESSAGE_SCHEMA = `
CREATE UNIQUE INDEX IF NOT EXISTS transfers_seq ON transfers(destination, channel, seq) WHERE seq IS NOT NULL;
CREATE TABLE IF NOT EXISTS channel_heads (
  destination TEXT NOT NULL,
  channel TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0,
  acked_seq INTEGER NOT NULL DEFAULT 0,
  backlog_count INTEGER NOT NULL DEFAULT 0,
  backlog_bytes INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (destination, channel)
) STRICT;
CREATE TABLE IF NOT EXISTS channel_sent (
  destination TEXT NOT NULL,
  channel TEXT NOT NULL,
  sent_seq INTEGER NOT NULL,
  PRIMARY KEY (destination, channel)
) STRICT;
CREATE TABLE IF NOT EXISTS message_bodies (
  transfer_id TEXT PRIMARY KEY,
  sealed BLOB NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS message_keys (
  id INTEGER PRIMARY KEY,
  sealed BLOB NOT NULL,
  created INTEGER NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS message_in AFTER INSERT ON transfers WHEN NEW.seq IS NOT NULL BEGIN
  UPDATE channel_heads SET backlog_count = backlog_count + 1, backlog_bytes = backlog_bytes + NEW.size
    WHERE destination = NEW.destination AND channel = NEW.channel;
END;
CREATE TRIGGER IF NOT EXISTS message_settled AFTER UPDATE OF state ON transfers
  WHEN NEW.seq IS NOT NULL AND OLD.state IN ('accepted', 'queued', 'forwarding') AND NEW.state NOT IN ('accepted', 'queued', 'forwarding') BEGIN
  UPDATE channel_heads SET backlog_count = backlog_count - 1, backlog_bytes = backlog_bytes - NEW.size
    WHERE destination = NEW.destination AND channel = NEW.channel;
  DELETE FROM message_bodies WHERE transfer_id = NEW.id AND (NEW.state <> 'delivered' OR NEW.retain_until IS NULL);
END;
CREATE TRIGGER IF NOT EXISTS message_retention_over AFTER UPDATE OF retain_until ON transfers
  WHEN NEW.seq IS NOT NULL AND NEW.retain_until IS NULL AND NEW.state IN ('delivered', 'failed', 'expired') BEGIN
  DELETE FROM message_bodies WHERE transfer_id = NEW.id;
END;
`;

/** A subscription's next messages, and what a cumulative acknowledgement settles: read through transfers_seq (test/queue-plans). */
export const MESSAGES_AFTER_SQL = `SELECT t.*, b.sealed FROM transfers t LEFT JOIN message_bodies b ON b.transfer_id = t.id
  WHERE t.destination = ? AND t.channel = ? AND t.seq > ? AND t.seq IS NOT NULL ORDER BY t.seq LIMIT ?`;
export const MESSAGES_UP_TO_SQL = `SELECT * FROM transfers WHERE destination = ? AND channel = ? AND seq > ? AND seq <= ? AND state IN ('accepted', 'queued') ORDER BY seq`;

export class MessageStore {
  readonly #stmts;
  /** Whether an 'accepted' row's move to 'queued' is asked for (answered; its commit may follow): read as queued. */
  readonly #answered: (id: string) => boolean;

  constructor(db: Database.Database, answered: (id: string) => boolean = () => false) {
    this.#answered = answered;
    db.exec(MESSAGE_SCHEMA);
    this.#stmts = {
      nextSeq: db.prepare(`INSERT INTO channel_heads (destination, channel, last_seq) VALUES (?, ?, 1)
        ON CONFLICT (destination, channel) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq`).pluck(),
      insertBody: db.prepare(`INSERT INTO message_bodies (transfer_id, sealed) VALUES (?, ?)`),
      body: db.prepare(`SELECT sealed FROM message_bodies WHERE transfer_id = ?`).pluck(),
      head: db.prepare(`SELECT last_seq AS lastSeq, acked_seq AS ackedSeq, backlog_count AS backlogCount, backlog_bytes AS backlogBytes FROM channel_heads WHERE destination = ? AND channel = ?`),
      after: db.prepare(MESSAGES_AFTER_SQL),
      upTo: db.prepare(MESSAGES_UP_TO_SQL),
      ack: db.prepare(`UPDATE channel_heads SET acked_seq = MAX(acked_seq, ?) WHERE destination = ? AND channel = ?`),
      sent: db.prepare(`SELECT sent_seq FROM channel_sent WHERE destination = ? AND channel = ?`).pluck(),
      markSent: db.prepare(`INSERT INTO channel_sent (destination, channel, sent_seq) VALUES (?, ?, ?)
        ON CONFLICT (destination, channel) DO UPDATE SET sent_seq = MAX(sent_seq, excluded.sent_seq)`),
      addKey: db.prepare(`INSERT INTO message_keys (sealed, created) VALUES (?, ?) RETURNING id`).pluck(),
      key: db.prepare(`SELECT sealed FROM message_keys WHERE id = ?`).pluck(),
    };
  }

  /** Inside the transaction that inserts the transfer row: its sequence number. */
  takeSeq(destination: string, channel: string): number {
    return this.#stmts.nextSeq.get(destination, channel) as number;
  }

  /** Inside the same transaction, after the row. */
  insertBody(transferId: string, sealed: Buffer): void {
    this.#stmts.insertBody.run(transferId, sealed);
  }

  /** The sealed body of a transfer held in the queue database (a message, or a file under spool.inline_max). */
  body(transferId: string): Buffer | undefined {
    return this.#stmts.body.get(transferId) as Buffer | undefined;
  }

  head(destination: string, channel: string): ChannelHead {
    return (this.#stmts.head.get(destination, channel) as ChannelHead | undefined) ?? { lastSeq: 0, ackedSeq: 0, backlogCount: 0, backlogBytes: 0 };
  }

  /** The highest sequence ever sent to a subscriber of the stream (committed), 0 when none. */
  sentUpTo(destination: string, channel: string): number {
    return (this.#stmts.sent.get(destination, channel) as number | undefined) ?? 0;
  }

  /** The highest sequence ever sent to a subscriber of the stream only grows (what a resume point may settle). */
  markSent(destination: string, channel: string, seq: number): void {
    this.#stmts.markSent.run(destination, channel, seq);
  }

  /** Up to `limit` rows after `seq`, in order, whatever their state. */
  after(destination: string, channel: string, seq: number, limit: number): StoredMessage[] {
    return this.#read(destination, channel, seq, limit, false);
  }

  /**
   * The same, ending with the first row still being answered ('accepted'): a
   * subscription sends up to it. Under load most rows after its cursor are still
   * being answered, and each look read 64 of them, sealed bodies and all, to be
   * read again on the next.
   */
  toSend(destination: string, channel: string, seq: number, limit: number): StoredMessage[] {
    return this.#read(destination, channel, seq, limit, true);
  }

  #read(destination: string, channel: string, seq: number, limit: number, untilAccepted: boolean): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (const r of this.#stmts.after.iterate(destination, channel, seq, limit) as IterableIterator<TransferRow & { seq: number; sealed: Buffer | null }>) {
      const t = toTransfer(r);
      if (t.state === 'accepted' && this.#answered(t.id)) t.state = 'queued';
      out.push({ ...t, seq: r.seq, sealed: r.sealed });
      if (untilAccepted && t.state === 'accepted') break;
    }
    return out;
  }

  /**
   * Messages still waiting in (from, to]: what a cumulative acknowledgement settles. A row
   * answered and still 'accepted' on disk waits too: its move to 'queued' is ahead of any
   * write made from here in the writer's order, so it is committed first.
   */
  waitingUpTo(destination: string, channel: string, from: number, to: number): Array<Transfer & { seq: number }> {
    const out: Array<Transfer & { seq: number }> = [];
    for (const r of this.#stmts.upTo.all(destination, channel, from, to) as Array<TransferRow & { seq: number }>) {
      if (r.state === 'accepted' && !this.#answered(r.id)) continue;
      out.push({ ...toTransfer(r), state: 'queued', seq: r.seq });
    }
    return out;
  }

  /** The acknowledgement mark only moves forward; below it every message is settled. */
  ack(destination: string, channel: string, seq: number): void {
    this.#stmts.ack.run(seq, destination, channel);
  }

  addKey(sealed: Buffer, now = Date.now()): number {
    return this.#stmts.addKey.get(sealed, now) as number;
  }

  key(id: number): Buffer | undefined {
    return this.#stmts.key.get(id) as Buffer | undefined;
  }
}
