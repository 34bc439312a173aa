import type { Receipt } from '../../protocol/receipt.js';
import type { TransferKind, TransferState } from '../../protocol/transfer.js';
import type { HopView } from '../routing/hop-view.js';

// The port every transfer store stands behind (today SQLite: store/sqlite/).
// Callers await every method; a backend may answer at once or over the network.
//
// What a backend must keep, and test/conformance/transfer-store.ts checks:
// - a write is durable once its promise resolves (a 202 survives kill -9);
// - writes are applied in the order they are called, even when the caller does
//   not wait between them (message sequence numbers follow the call order);
// - each method is one atomic step: claimDue never hands one transfer to two
//   callers, a conditional change (markDelivered, settle…) either happens whole
//   or answers false. Callers never split one step into a read and a write.

export type Delivery = 'push' | 'pull' | 'relay' | 'subscribe';

/** One transfer as the gateway keeps it. */
export interface Transfer {
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
  contentType: string | null;
  size: number;
  sha256: string;
  /** The spool file's name; '' when the content is a sealed body kept with the transfer (messages by subscription, files under spool.inline_max). */
  spool: string;
  /** push or pull: delivered here; relay: handed to the next-hop gateway of a route; subscribe: a message for a subscription */
  delivery: Delivery;
  /** A message's sequence number on its (destination, channel), for delivery by subscription. */
  seq: number | null;
  idempotencyKey: string | null;
  created: number;
  updated: number;
  expiresAt: number;
  attempts: number;
  nextAttemptAt: number;
  reason: string | null;
  receiptAccepted: Receipt | null;
  receiptDelivered: Receipt | null;
  /** the policy's retention obligation, in days; the clock starts at delivery */
  retainDays: number | null;
  /** set at delivery from retainDays; the content is kept until then */
  retainUntil: number | null;
  deliveredAt: number | null;
  /** the upstream gateway's name, when a peer handed this transfer on */
  via: string | null;
  /** the gateway names the transfer passed before this one (signed by the upstream) */
  path: string[] | null;
  /** the next-hop gateway's name (delivery 'relay') */
  nextHop: string | null;
  /** what the gateways after this one said (state, time, receipts, refusal), first one first */
  hops: HopView[] | null;
  /** how often the next hop was asked for the outcome of a relayed transfer */
  polls: number;
  /** a withdrawal: asked of the next hop (a relayed transfer that expired or was cancelled here), or done here at the gateway before's request */
  withdrawal: Withdrawal | null;
}

/** Why a transfer is (to be) withdrawn, and the state it ends in here once the next hop confirms it holds it no more. */
export interface Withdrawal {
  final: 'expired' | 'failed';
  reason: string;
  /** when it was asked for (ms) */
  at: number;
  /** ferry://gateway/<name>: the gateway before, when it asked this one */
  by?: string;
}

export type NewTransfer = Omit<Transfer, 'state' | 'updated' | 'attempts' | 'nextAttemptAt' | 'reason' | 'receiptDelivered' | 'deliveredAt' | 'retainUntil' | 'hops' | 'polls' | 'via' | 'path' | 'nextHop' | 'seq' | 'withdrawal'>
  & Partial<Pick<Transfer, 'via' | 'path' | 'nextHop'>>;

/** Per (destination, channel): the last sequence number given, the cumulative acknowledgement, and what waits. */
export interface ChannelHead {
  lastSeq: number;
  ackedSeq: number;
  backlogCount: number;
  backlogBytes: number;
}

export type StoredMessage = Transfer & { seq: number; sealed: Buffer | null };

export interface ListFilter {
  /** null lists every sender's (the admin plane) */
  principal: string | null;
  destination?: string;
  states?: readonly string[];
  since?: number;
  until?: number;
  /** transfer id: only older ones (ids are UUIDv7) */
  before?: string;
  limit: number;
}

/** Messages by subscription and sealed bodies kept with their transfer. */
export interface ChannelMessages {
  /** The sealed body of a transfer kept with it (a message, or a file under spool.inline_max). */
  body(transferId: string): Promise<Buffer | undefined>;
  head(destination: string, channel: string): Promise<ChannelHead>;
  /** Up to `limit` messages after `seq`, in order, whatever their state. */
  after(destination: string, channel: string, seq: number, limit: number): Promise<StoredMessage[]>;
  /** The same, ending with the first still 'accepted' (being answered): what a subscription may send next stops there. */
  toSend(destination: string, channel: string, seq: number, limit: number): Promise<StoredMessage[]>;
  /** Messages still waiting in (from, to]: what a cumulative acknowledgement settles. */
  waitingUpTo(destination: string, channel: string, from: number, to: number): Promise<Array<Transfer & { seq: number }>>;
  /** Messages up to `seq` were sent to a subscriber: goes with the queue's next commit (a deferred write). */
  markSent(destination: string, channel: string, seq: number): Promise<void>;
  /** The highest sequence sent to a subscriber (committed; the hub knows what is sent since). Read only at a resume, not with the head every message reads. */
  sentUpTo(destination: string, channel: string): Promise<number>;
  /** Data keys of sealed bodies, themselves sealed to the gateway's key (spool/message-seal.ts). */
  addKey(sealed: Buffer): Promise<number>;
  key(id: number): Promise<Buffer | undefined>;
}

export type FinalState = 'failed' | 'expired' | 'denied';
export type RelayOutcome = 'delivered' | 'denied' | 'failed' | 'expired';

export interface TransferStore {
  readonly messages: ChannelMessages;

  // Admission: a row is written 'accepted', then 'queued' just before the 202 (a message to a
  // subscription: just after it, its `accepted` audit record being durable by then).
  /** Durable once resolved. Rejects on a repeated (principal, idempotencyKey). */
  insertAccepted(t: NewTransfer): Promise<void>;
  /** A message for a subscription: its sequence number is taken and its sealed body kept in the same atomic write. */
  insertMessage(t: NewTransfer & { channel: string }, sealed: Buffer): Promise<number>;
  /** A small file kept sealed with its row, in the same atomic write. */
  insertInline(t: NewTransfer, sealed: Buffer): Promise<void>;
  /** accepted → queued: the last step before the 202. */
  markQueued(id: string, now?: number): Promise<void>;
  /**
   * accepted → queued for a transfer already answered (its `accepted` record durable): reads see it
   * queued from the call on (get, findByIdempotencyKey, a subscription's rows); the write is committed
   * with the next one that asks for a commit, or within 100 ms, never alone at a steady rate.
   */
  markAnswered(id: string, now?: number): Promise<void>;
  /** An upload that failed before its sender was answered: failed, and its idempotency key released. */
  failUnanswered(id: string, reason: string, now?: number): Promise<void>;
  /** A relayed-in transfer failed before it was answered: removed, so the upstream's retry under the same id is new. */
  forgetUnanswered(id: string, principal: string): Promise<boolean>;

  // Lookups.
  get(id: string): Promise<Transfer | undefined>;
  findByIdempotencyKey(principal: string, key: string): Promise<Transfer | undefined>;
  /** Pull transfers waiting for `destination`, oldest first. */
  inbox(destination: string, limit?: number): Promise<Transfer[]>;
  /** Newest first, filtered. */
  list(f: ListFilter): Promise<Transfer[]>;
  withState(state: TransferState): Promise<Transfer[]>;
  countsByState(): Promise<Record<string, number>>;

  // Delivery.
  /** Claims up to `limit` due push and relay transfers ('forwarding', attempts + 1); never one twice, never a message before an earlier one of its channel. */
  claimDue(limit: number, now?: number): Promise<Transfer[]>;
  /** The earliest time some work is due, or null. */
  nextDueTime(): Promise<number | null>;
  /** A failed attempt waits for its next one; false (nothing changed) unless the transfer is still 'forwarding': an operator's cancel or a settle meanwhile wins. */
  reschedule(id: string, nextAttemptAt: number, reason: string, now?: number): Promise<boolean>;
  /** An operator's "retry now": false unless it was waiting. */
  retryNow(id: string, now?: number): Promise<boolean>;
  /** False when the transfer was no longer waiting for delivery. Starts the retention clock. */
  markDelivered(id: string, receipt: Receipt, now?: number): Promise<boolean>;
  /** Ends a transfer still waiting for delivery; false when it had already ended. */
  settle(id: string, state: FinalState, reason: string, now?: number, hops?: HopView[] | null): Promise<boolean>;

  // Relayed to a next-hop gateway: this one waits for the outcome.
  markRelayed(id: string, hops: HopView[], firstPollAt: number, now?: number): Promise<boolean>;
  relayedDue(limit: number, now?: number): Promise<Transfer[]>;
  pollLater(id: string, next: number, hops: HopView[] | null, reason: string | null): Promise<void>;
  settleRelayed(id: string, state: RelayOutcome, hops: HopView[], reason: string | null, receipt: Receipt | null, now?: number): Promise<boolean>;
  relayedExpiredDue(now?: number, limit?: number): Promise<Transfer[]>;
  expireRelayed(id: string, reason: string, now?: number): Promise<boolean>;
  /** A relayed transfer to withdraw from the next hop: it stays 'relayed' (due now) until the next hop answers; false unless relayed and not already withdrawing. */
  requestWithdrawal(id: string, w: Withdrawal, now?: number): Promise<boolean>;
  /** Withdrawn at the gateway before's request: a transfer waiting here ('queued') ends 'failed'; false when it was not waiting. */
  withdraw(id: string, w: Withdrawal, reason: string, now?: number): Promise<boolean>;

  // Housekeeping.
  expiredDue(now?: number, limit?: number): Promise<Transfer[]>;
  retainedDue(now?: number, limit?: number): Promise<Transfer[]>;
  clearRetention(id: string): Promise<void>;
  /** Removes up to `limit` settled transfers last changed before `before` that hold no retained content. */
  purgeSettled(before: number, limit: number): Promise<number>;
  /** Moves a subscription's acknowledgement mark forward (never back). */
  ackMessages(destination: string, channel: string, seq: number): Promise<void>;

  // Recovery.
  /** After a crash, transfers that were being forwarded are due again. */
  requeueInterrupted(now?: number): Promise<number>;
  /** Spool files of transfers not settled yet. */
  unsettledSpools(): Promise<Array<{ id: string; spool: string }>>;

  /** Why writes are refused for good (the SQLite backend's writer thread stopped), or null: the gateway is then not ready. */
  readonly failure: string | null;
  /** Throws when the store cannot be read, or no longer written (health). */
  check(): Promise<void>;
  /** Waits for the writes already asked for, then closes. */
  close(): Promise<void>;
}
