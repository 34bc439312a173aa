import { isUtf8 } from 'node:buffer';
import type { RawData, WebSocket } from 'ws';
import type { GatewayContext } from '../../context.js';
import type { ErrorCode } from '../../../protocol/errors.js';
import type { AuditEntry } from '../../../protocol/audit-events.js';
import type { Locale } from '../../../i18n/locale.js';
import { refusalText } from '../../../i18n/refusal.js';
import { settleDeliveredMany, settleFinal } from '../../delivery/settle.js';
import type { StoredMessage } from '../../store/transfer-store.js';
import { CLOSE, CLOSE_CODE_FOR, closeReason } from './close-codes.js';
import type { HubMember, QueuedMessage } from './subscription-hub.js';
import type { Duplex } from 'node:stream';
import { corkForTurn } from './tick-cork.js';

// One subscriber's stream of one channel: messages in sequence order, at most
// `window` (and `window_bytes`) sent and not yet acknowledged; a cumulative ack
// settles every message up to it as delivered, through the same settle code as
// a push or a pull. What is sent is read from the queue database as the window
// opens, so a subscriber that does not ack costs the gateway a window, never a
// backlog. Heartbeats: a ping every `heartbeat`; no pong by the next one closes.
// A message queued while the subscription is open is also handed to it with its
// body (offer): when it is next in order it goes out from there, with no read of
// its row and no opening of its sealed body; whatever is not at hand (a resume, a
// subscriber behind, a withdrawal since) is read from the database as before.

/** Rows read per look at the database. */
const BATCH = 64;
/** Socket buffer past which sending waits for the kernel to take what is queued. */
const SOCKET_HIGH_WATER = 1024 * 1024;
/** Messages in flight below which a message queued is handed over as it is answered (offer). */
const OFFER_BELOW = 16;
/** While the next message is still being answered (state 'accepted'), look again this soon. */
const RETRY_MS = 50;

export interface SubscriptionTarget {
  /** principal URI of the subscriber */
  principal: string;
  destination: string;
  channel: string;
  /** The language of close reasons, from the opening request's Accept-Language. */
  locale?: Locale;
  /** The connection under the WebSocket: a window's frames leave in one write (tick-cork.ts). */
  socket?: Duplex;
}

export class Subscription implements HubMember {
  readonly #ctx: GatewayContext;
  readonly #ws: WebSocket;
  readonly #t: SubscriptionTarget;
  /** Highest sequence sent or passed over (settled rows are passed over). */
  #cursor: number;
  /** Cumulative acknowledgement received on this connection. */
  #acked: number;
  readonly #inflight: Array<{ seq: number; size: number; id: string }> = [];
  #inflightBytes = 0;
  /** The message being opened to be sent (between its read and its frame). */
  #sending: number | null = null;
  #pumping = false;
  #again = false;
  /** The pump stopped because the socket's buffer was full: a frame leaving it wakes the pump. */
  #socketFull = false;
  #closed = false;
  #acks: Promise<void> = Promise.resolve();
  #retry: NodeJS.Timeout | null = null;
  #ping: NodeJS.Timeout;
  #pong = true;
  #wakeScheduled = false;
  /** Messages handed over as they were queued (offer), by sequence, with the stream's withdrawal count then. */
  readonly #offered = new Map<number, { m: QueuedMessage; withdrawals: number }>();
  #offeredBytes = 0;
  /**
   * The database was read to the end of the stream, and every message queued since was handed over:
   * with nothing at hand, there is nothing to read. Cleared whenever that may no longer hold (an
   * offer let go, a read that stopped early, a gap among the offers).
   */
  #caughtUp = false;
  /** Every message up to here is settled (read as the acknowledgement's lower bound). */
  #settledTo: number;
  /**
   * Where this connection began sending: every message after it that still waits below the
   * cursor was sent here (in #inflight). A resume point settles messages a former connection sent.
   */
  #sendsFrom: number;
  /** The highest sequence this connection sent, and the highest of those asked to be recorded (markSent). */
  #sentMax = 0;
  #sentRecorded = 0;
  /** The handed-out records of the frames sent since the last were asked for: one deferred append a burst. */
  #burst: AuditEntry[] = [];

  constructor(ctx: GatewayContext, ws: WebSocket, target: SubscriptionTarget, startAfter: number) {
    this.#ctx = ctx;
    this.#ws = ws;
    this.#t = target;
    this.#cursor = startAfter;
    this.#acked = startAfter;
    this.#settledTo = startAfter;
    this.#sendsFrom = startAfter;
    ws.on('pong', () => (this.#pong = true));
    ws.on('message', (data: RawData, isBinary: boolean) => this.#onFrame(data, isBinary));
    ws.on('close', () => this.#onClose());
    ws.on('error', (err) => ctx.log.debug({ err: err.message, channel: target.channel }, 'subscription socket error'));
    this.#ping = setInterval(() => {
      if (!this.#pong) return this.#close('FERRY_HEARTBEAT_TIMEOUT', `no pong within ${ctx.config.subscriptions.heartbeatMs} ms`, false);
      this.#pong = false;
      ws.ping();
    }, ctx.config.subscriptions.heartbeatMs);
    this.#ping.unref();
  }

  /** Sends the hello frame; `ackUpTo` (from a resume point) is settled before anything is sent. */
  start(hello: Record<string, unknown>, ackUpTo: number | null): void {
    this.#ws.send(JSON.stringify({ type: 'hello', ...hello, window: this.#ctx.config.subscriptions.window }));
    if (ackUpTo === null) return this.#pumpSoon();
    this.#cursor = ackUpTo;
    this.#acked = ackUpTo;
    this.#sendsFrom = ackUpTo;
    this.#acks = this.#settle(ackUpTo).catch((err: unknown) => {
      this.#ctx.log.error({ err, channel: this.#t.channel }, 'could not settle up to the resume point');
      this.#ws.close(1011, 'the gateway could not record the resume point');
    });
  }

  /** New messages may be there: looked for once per turn of the event loop, however many came. */
  wake(): void {
    // From outside: the database may hold what was not handed over.
    this.#caughtUp = false;
    this.#pumpSoon();
  }

  #pumpSoon(): void {
    if (this.#closed || this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    setImmediate(() => {
      this.#wakeScheduled = false;
      void this.#wakeNow();
    });
  }

  /** One pump at a time (the cursor is read and moved across awaits); a wake meanwhile pumps again after it. */
  async #wakeNow(): Promise<void> {
    if (this.#closed) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#again = false;
        await this.#pump();
      } while (this.#again && !this.#closed);
      this.#recordSent();
    } catch (err) {
      this.#ctx.log.error({ err, channel: this.#t.channel }, 'subscription failed reading the queue');
      this.#ws.close(1011, 'the gateway failed reading the queue');
    } finally {
      this.#pumping = false;
    }
  }

  offer(m: QueuedMessage, withdrawals: number): void {
    if (this.#closed) return;
    const lim = this.#ctx.config.subscriptions;
    // At most a window's worth held: past it the database has them, and this subscription is behind anyway.
    // Only while the subscriber keeps up (few in flight): a stream that is behind goes faster read from the
    // database in batches than message by message as each is answered (bench:messages at saturation).
    if (m.seq > this.#cursor && this.#inflight.length < OFFER_BELOW && this.#offered.size < lim.window && this.#offeredBytes + m.size <= lim.windowBytes) {
      this.#offered.set(m.seq, { m, withdrawals });
      this.#offeredBytes += m.size;
    } else if (m.seq > this.#cursor) this.#caughtUp = false;
    this.#pumpSoon();
  }

  /** The next message in order if it was handed over and nothing since makes it stale; older ones are let go. */
  #takeOffered(): QueuedMessage | null {
    for (const [seq, o] of this.#offered) {
      if (seq > this.#cursor) continue;
      this.#offered.delete(seq);
      this.#offeredBytes -= o.m.size;
    }
    const o = this.#offered.get(this.#cursor + 1);
    if (!o) {
      // Handed over past a gap (a message whose answer failed, or one not handed over): the rows say.
      if (this.#offered.size > 0) this.#caughtUp = false;
      return null;
    }
    this.#offered.delete(o.m.seq);
    this.#offeredBytes -= o.m.size;
    const hub = this.#ctx.subscriptions;
    // A withdrawal on the stream since it was queued, or one under way: the row says how it stands.
    if (hub.withdrawalsOn(this.#t.destination, this.#t.channel) !== o.withdrawals || hub.isHeld(o.m.id)) {
      this.#caughtUp = false;
      return null;
    }
    return o.m;
  }

  supersede(): void {
    this.#close('FERRY_SUBSCRIPTION_SUPERSEDED', 'a newer subscription to this channel took over', false);
  }

  sentUnacked(seq: number): boolean {
    return this.#sending === seq || this.#inflight.some((m) => m.seq === seq);
  }

  shutdown(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ws.close(CLOSE.GOING_AWAY, 'the gateway is stopping');
  }

  #windowOpen(): boolean {
    const lim = this.#ctx.config.subscriptions;
    this.#socketFull = this.#ws.bufferedAmount >= SOCKET_HIGH_WATER;
    if (!(this.#inflight.length < lim.window && this.#inflightBytes < lim.windowBytes && !this.#socketFull)) {
      // Held back by its own window or socket: it leaves the queue for the total, so the next may go.
      this.#ctx.subscriptions.tookRoom(this);
      return false;
    }
    // Over all subscriptions too (slow readers by the hundred): one with nothing in flight may always send
    // one; past the total the others wait, and take the room made in the order they began to wait.
    const hub = this.#ctx.subscriptions;
    if (this.#inflight.length > 0 && (hub.inflightBytes >= lim.windowBytesTotal || !hub.mayTakeRoom(this))) {
      hub.waitForRoom(this);
      return false;
    }
    hub.tookRoom(this);
    return true;
  }

  async #pump(): Promise<void> {
    const { destination, channel } = this.#t;
    while (!this.#closed && this.#windowOpen()) {
      const next = this.#takeOffered();
      if (next) {
        if (this.#pastLimit(next)) return;
        this.#sendFrame(next, next.body);
        this.#cursor = next.seq;
        continue;
      }
      if (this.#caughtUp) return;
      const room = this.#ctx.config.subscriptions.window - this.#inflight.length;
      const withdrawals = this.#ctx.subscriptions.withdrawalsOn(destination, channel);
      const limit = Math.min(BATCH, room);
      const rows = await this.#ctx.queue.messages.toSend(destination, channel, this.#cursor, limit);
      // Read to the end: from here on, what is queued is handed over (offer), unless the caught-up state is cleared.
      if (rows.length === 0) {
        this.#caughtUp = this.#offered.size === 0;
        return;
      }
      for (const row of rows) {
        if (this.#closed) return;
        // The next in order is being answered to its publisher: wait for it, never skip ahead.
        if (row.state === 'accepted') {
          this.#retryLater();
          return;
        }
        if (row.state === 'queued' && !(await this.#send(row, withdrawals))) return;
        this.#cursor = row.seq;
        if (!this.#windowOpen()) return;
      }
    }
  }

  /** False when the message could not be sent now (the socket is busy). */
  async #send(row: StoredMessage, withdrawals: number): Promise<boolean> {
    this.#sending = row.seq;
    try {
      return await this.#openAndSend(row, withdrawals);
    } finally {
      this.#sending = null;
    }
  }

  /** `withdrawals`: the stream's count when `row` was read (a change since means the row may be stale). */
  async #openAndSend(row: StoredMessage, withdrawals: number): Promise<boolean> {
    let body: Buffer;
    try {
      if (!row.sealed) throw new Error('the stored message has no body');
      body = await this.#ctx.messageSeal.open(row.id, row.sealed);
    } catch (err) {
      // Content that does not authenticate will not get better: it fails, like a spool file that does not.
      void settleFinal(this.#ctx, row, 'failed', (err as Error).message, { sequence: row.seq })
        .catch((e: unknown) => this.#ctx.log.error({ err: e, transfer: row.id }, 'could not fail a damaged message'));
      return true;
    }
    if (this.#closed) return false;
    // A withdrawal on this stream since the row was read: read it again (rare), and pass it over if it has ended.
    const hub = this.#ctx.subscriptions;
    for (let seen = withdrawals; hub.withdrawalsOn(this.#t.destination, this.#t.channel) !== seen;) {
      seen = hub.withdrawalsOn(this.#t.destination, this.#t.channel);
      const now = await this.#ctx.queue.get(row.id);
      if (this.#closed) return false;
      if (now?.state !== 'queued') return true;
    }
    // Being withdrawn (ingress/withdraw-handler.ts): sent only if the withdrawal leaves it waiting, read again then.
    if (hub.isHeld(row.id)) {
      this.#retryLater();
      return false;
    }
    if (this.#pastLimit(row)) return false;
    this.#sendFrame({ ...row, channel: row.channel ?? this.#t.channel }, body);
    return true;
  }

  /**
   * Every frame is a `handed-out` record, so a subscriber that reconnects in a loop without acknowledging
   * would grow the audit log without end, as downloads from the inbox would (inbox-handler.ts): a message
   * sent delivery.max_downloads times in this run and never acknowledged is not sent again, and the
   * subscription is closed FERRY_DOWNLOAD_LIMIT (audited the first time). In order, the stream waits there
   * until the operator raises the limit or cancels the message. An acknowledgement that settles anything
   * on the stream forgives its other messages' sends (SubscriptionHub.settled): only a subscriber that
   * makes no progress is stopped. Counted in memory (a look at the log a frame would cost what #15 saved):
   * a restart gives each message its sends again.
   */
  #pastLimit(m: { id: string; seq: number }): boolean {
    const hub = this.#ctx.subscriptions;
    const max = this.#ctx.config.delivery.maxDownloads;
    if (hub.sendsOf(m.id) < max) return false;
    this.#close('FERRY_DOWNLOAD_LIMIT', `message ${m.seq} was sent ${max} times and never acknowledged (delivery.max_downloads)`, hub.firstStop(m.id), { transfer: m.id, sequence: m.seq });
    return true;
  }

  /**
   * What was sent is recorded (a deferred write, once a pump): a resume point settles only messages
   * sent, never ones a subscriber could not have had (subscribe-handler.ts).
   */
  #recordSent(): void {
    this.#recordHandedOut();
    if (this.#sentMax <= this.#sentRecorded) return;
    this.#sentRecorded = this.#sentMax;
    this.#ctx.queue.messages.markSent(this.#t.destination, this.#t.channel, this.#sentMax)
      .catch((err: unknown) => this.#ctx.log.warn({ err, channel: this.#t.channel }, 'could not record what was sent'));
  }

  /**
   * Every frame sent is a `handed-out` record (docs/audit-log.md, "Content handed out"): the frames of one
   * burst in one append that rides with the next commit (the next message's acceptance, an acknowledgement)
   * or takes one of its own within SOON_MS; never a commit a message (issue #15).
   */
  #recordHandedOut(): void {
    if (this.#burst.length === 0) return;
    const entries = this.#burst;
    this.#burst = [];
    const n = entries.length;
    const burst = n > 1 ? { from_seq: (entries[0]!.details as { sequence: number }).sequence, to_seq: (entries[n - 1]!.details as { sequence: number }).sequence, count: n } : null;
    if (burst) for (const e of entries) e.details = { ...e.details, burst };
    this.#ctx.audit.appendSoon(entries)
      .catch((err: unknown) => this.#ctx.log.error({ err, channel: this.#t.channel, count: n }, 'could not record messages handed out to a subscriber'));
  }

  /** One message frame, counted in flight until acknowledged. */
  #sendFrame(m: Omit<QueuedMessage, 'body'>, body: Buffer): void {
    this.#burst.push({
      event: 'handed-out', transferId: m.id, principal: m.principal, source: m.source, destination: this.#t.destination, size: m.size, sha256: m.sha256,
      details: { handed_to: this.#t.principal, via: 'subscribe', channel: m.channel, sequence: m.seq },
    });
    const text = isUtf8(body);
    const frame = JSON.stringify({
      type: 'message', seq: m.seq, id: m.id, channel: m.channel, source: m.source, label: m.label,
      content_type: m.contentType, sha256: m.sha256, created: new Date(m.created).toISOString(),
      ...(text ? { body: body.toString('utf8') } : { body_base64: body.toString('base64') }),
    });
    this.#ctx.subscriptions.countSend(m.id, this.#t.destination, this.#t.channel);
    this.#inflight.push({ seq: m.seq, size: m.size, id: m.id });
    this.#inflightBytes += m.size;
    this.#ctx.subscriptions.addInflight(m.size);
    if (m.seq > this.#sentMax) this.#sentMax = m.seq;
    this.#ctx.subscriptions.noteSent(this.#t.destination, this.#t.channel, m.seq);
    if (this.#t.socket) corkForTurn(this.#t.socket);
    // Woken by a frame leaving only when the socket held the pump back (not once a frame: a look at the database each).
    this.#ws.send(frame, () => {
      if (this.#socketFull && this.#ws.bufferedAmount < SOCKET_HIGH_WATER) this.#pumpSoon();
    });
  }

  #retryLater(): void {
    if (this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#pumpSoon();
    }, RETRY_MS);
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    if (this.#closed) return;
    let seq: unknown;
    try {
      if (isBinary) throw new Error('frames are JSON text');
      const f = JSON.parse((Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString('utf8')) as { type?: unknown; seq?: unknown };
      if (typeof f !== 'object' || f === null || f.type !== 'ack') throw new Error('the only frame a subscriber sends is {"type": "ack", "seq": N}');
      seq = f.seq;
      if (!Number.isSafeInteger(seq) || (seq as number) < 0) throw new Error('seq must be a non-negative integer');
    } catch (err) {
      this.#close('FERRY_FRAME_INVALID', (err as Error).message.replace(/^Unexpected.*/, 'not JSON'), true);
      return;
    }
    const n = seq as number;
    if (n > this.#cursor) {
      this.#close('FERRY_ACK_AHEAD', `ack ${n} is past the last sequence sent, ${this.#cursor}`, true);
      return;
    }
    if (n <= this.#acked) return; // an old or repeated ack: nothing more to settle
    this.#acked = n;
    // Acks that come while a settle runs are taken together once it ends: one settle up to the
    // latest, not one after another each with its commits (a subscriber acks as it reads).
    this.#acks = this.#acks.then(() => (this.#acked > this.#settledTo ? this.#settle(this.#acked) : undefined)).catch((err: unknown) => {
      // Not settled: the messages stay unacknowledged and come again on the next subscription.
      this.#ctx.log.error({ err, channel: this.#t.channel }, 'could not settle acknowledged messages');
      this.#ws.close(1011, 'the gateway could not record the acknowledgement');
    });
  }

  /** Everything up to `n` is delivered: the same settle as push and pull, then the mark. */
  async #settle(n: number): Promise<void> {
    const { destination, channel, principal } = this.#t;
    // What was sent before this ack is recorded before its delivered records (an ack may come while a burst goes out).
    this.#recordHandedOut();
    // From what this connection knows settled (the mark when it opened, or its last ack): the rows
    // below are settled, and the read keeps only those still waiting, so a lower bound is enough.
    const from = this.#settledTo;
    const read = () => this.#ctx.queue.messages.waitingUpTo(destination, channel, from, n);
    // Settled: the messages this connection sent up to `n` (what waits past `from` was sent here, or
    // passed over because it had ended), read once, under the guard; a message passed over and not yet
    // ended (its body would not open: it is being failed) is not among them, so never delivered. Below
    // where this connection began sending (a resume point), a former connection sent them: their ids
    // are read first.
    const sent = this.#inflight.filter((m) => m.seq <= n).map((m) => m.id);
    const ids = from >= this.#sendsFrom ? sent : [...new Set([...(await read()).map((r) => r.id), ...sent])];
    // The mark is where the next subscription starts looking; every row below it is settled
    // (the rows' changes come first in the same group commit), so nothing waits for it.
    const mark = (): void => {
      this.#ctx.queue.ackMessages(destination, channel, n).catch((err: unknown) => this.#ctx.log.warn({ err, channel }, 'could not move the acknowledgement mark'));
    };
    await settleDeliveredMany(this.#ctx, ids, principal, read, (row) => ({ via: 'subscribe', channel, sequence: row.seq }), mark);
    this.#ctx.subscriptions.settled(ids);
    this.#settledTo = Math.max(this.#settledTo, n);
    let acked = 0;
    while (this.#inflight.length && this.#inflight[0]!.seq <= n) acked += this.#inflight.shift()!.size;
    // Closed meanwhile: its bytes were given back at the close (its ids stay, for the settles still queued).
    if (!this.#closed) {
      this.#inflightBytes -= acked;
      this.#ctx.subscriptions.addInflight(-acked);
    }
    this.#pumpSoon();
  }

  /** Close with a code and a reason; a refusal (bad frame, bad ack) is also an audit record. */
  #close(code: ErrorCode, detail: string, refusal: boolean, details: Record<string, unknown> = {}): void {
    if (this.#closed) return;
    this.#closed = true;
    // A close reason holds 123 bytes: in Chinese the code's title fits, the English detail would not be read.
    const reason = closeReason(code, this.#t.locale && this.#t.locale !== 'en' ? refusalText(code, this.#t.locale).title : detail);
    this.#ctx.log.info({ channel: this.#t.channel, destination: this.#t.destination, code }, 'subscription closed');
    if (refusal) {
      this.#ctx.metrics.refusals.inc({ code });
      void this.#ctx.audit.append({
        event: 'denied', principal: this.#t.principal, destination: this.#t.destination,
        details: { kind: 'subscription', channel: this.#t.channel, code, reason: detail, ...details },
      }).catch((e: unknown) => this.#ctx.log.error({ err: e }, 'audit append failed'));
    }
    this.#ws.close(CLOSE_CODE_FOR[code] ?? 1008, reason);
    // A peer that does not answer the close (a dead link) is cut after a moment.
    setTimeout(() => this.#ws.terminate(), 2000).unref();
  }

  #onClose(): void {
    this.#closed = true;
    // Its bytes in flight no longer count against the total. Their ids stay: acks that came before the
    // close and wait behind a running settle still settle them (emptied, a later settle found nothing
    // to settle and moved the mark past them: review, 1 Dec).
    this.#ctx.subscriptions.addInflight(-this.#inflightBytes);
    this.#inflightBytes = 0;
    this.#recordHandedOut();
    clearInterval(this.#ping);
    if (this.#retry) clearTimeout(this.#retry);
    this.#ctx.subscriptions.unregister(this.#t.destination, this.#t.channel, this);
  }
}
