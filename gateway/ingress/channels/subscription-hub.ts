// The open subscriptions, one per (destination, channel). A newer subscription
// takes over: the older is closed with 4409 (FERRY_SUBSCRIPTION_SUPERSEDED) and
// the newer starts from the first unacknowledged message. One reader per
// stream keeps the order and the cumulative acknowledgement simple and exact;
// a system that wants to spread work does so behind its one subscriber.

/**
 * A message just queued, handed to the open subscription of its stream with its body as it came in,
 * so that, when it is next in order, it is sent without reading back and opening its sealed row.
 */
export interface QueuedMessage {
  seq: number;
  id: string;
  channel: string;
  /** The sender's principal (the transfer's), for the handed-out record. */
  principal: string;
  source: string;
  label: string;
  contentType: string | null;
  sha256: string;
  size: number;
  created: number;
  body: Buffer;
}

export interface HubMember {
  wake(): void;
  /** A message queued on this stream: kept (bounded) until it is next in order, then sent; wakes the member. */
  offer(m: QueuedMessage, withdrawals: number): void;
  /** Closed because another took its place. */
  supersede(): void;
  /** Closed because the gateway stops. */
  shutdown(): void;
  /** Whether message `seq` has been sent (or is being sent) on this subscription and not yet acknowledged. */
  sentUnacked(seq: number): boolean;
}

/** Send counts kept (a message each): far more than are ever sent and unacknowledged at once. */
const SENDS_KEPT = 100_000;

export class SubscriptionHub {
  readonly #open = new Map<string, HubMember>();
  /** Messages being withdrawn right now: not sent until their row says how they ended. */
  readonly #held = new Set<string>();
  /** Withdrawals per stream key (bounded by the streams this gateway has carried messages of). */
  readonly #withdrawals = new Map<string, number>();
  /** The highest sequence sent per stream in this run (its write to the queue may not be committed yet). */
  readonly #sent = new Map<string, number>();
  /** Bytes of message bodies sent and not yet acknowledged, over every subscription (subscriptions.window_bytes_total). */
  #inflightBytes = 0;
  /** Subscriptions that stopped sending for the total, in the order they stopped (a Set keeps it): woken when it falls, served first come. */
  readonly #waitingForRoom = new Set<HubMember>();
  /** Sends of each message not yet acknowledged, in this run: a subscriber in a reconnect loop is stopped at delivery.max_downloads. */
  readonly #sends = new Map<string, number>();
  /** The stream of each counted message, so that progress on a stream can forgive its other messages' sends. */
  readonly #streamOf = new Map<string, string>();
  /** Messages whose limit was reached in this run: the first stop is audited, not each. */
  readonly #stopped = new Set<string>();

  static key(destination: string, channel: string): string {
    return `${destination}\n${channel}`;
  }

  /** The member now owns the stream; the one before it, if any, is closed. */
  register(destination: string, channel: string, member: HubMember): void {
    const k = SubscriptionHub.key(destination, channel);
    const old = this.#open.get(k);
    this.#open.set(k, member);
    if (old && old !== member) old.supersede();
  }

  unregister(destination: string, channel: string, member: HubMember): void {
    this.tookRoom(member);
    const k = SubscriptionHub.key(destination, channel);
    if (this.#open.get(k) === member) this.#open.delete(k);
  }

  isCurrent(destination: string, channel: string, member: HubMember): boolean {
    return this.#open.get(SubscriptionHub.key(destination, channel)) === member;
  }

  /** A message was queued for (destination, channel). */
  wake(destination: string, channel: string): void {
    this.#open.get(SubscriptionHub.key(destination, channel))?.wake();
  }

  /** A message was queued for (destination, channel): its open subscription, if any, may send it from here. */
  offer(destination: string, m: QueuedMessage): void {
    this.#open.get(SubscriptionHub.key(destination, m.channel))?.offer(m, this.withdrawalsOn(destination, m.channel));
  }

  /** Whether the stream's subscription has sent message `seq` (or is sending it) and not had it acknowledged. */
  sentUnacked(destination: string, channel: string, seq: number): boolean {
    return this.#open.get(SubscriptionHub.key(destination, channel))?.sentUnacked(seq) ?? false;
  }

  /**
   * Runs `fn` (a withdrawal) while message `id` of (destination, channel) is held back: a subscription that
   * reaches it meanwhile waits instead of sending it; one that read it before reads it again before sending
   * (withdrawalsOn changes), so a message is never both withdrawn and in a subscriber's hands.
   */
  async holding<T>(destination: string, channel: string, id: string, fn: () => Promise<T>): Promise<T> {
    this.#held.add(id);
    try {
      return await fn();
    } finally {
      this.#held.delete(id);
      const k = SubscriptionHub.key(destination, channel);
      this.#withdrawals.set(k, (this.#withdrawals.get(k) ?? 0) + 1);
    }
  }

  /** How many withdrawals (done or not) there have been of messages of (destination, channel): a change means rows read before may be stale. */
  withdrawalsOn(destination: string, channel: string): number {
    return this.#withdrawals.get(SubscriptionHub.key(destination, channel)) ?? 0;
  }

  noteSent(destination: string, channel: string, seq: number): void {
    const k = SubscriptionHub.key(destination, channel);
    if (seq > (this.#sent.get(k) ?? 0)) this.#sent.set(k, seq);
  }

  /** The highest sequence sent on the stream in this run (0 when none). */
  sentUpTo(destination: string, channel: string): number {
    return this.#sent.get(SubscriptionHub.key(destination, channel)) ?? 0;
  }

  /** Bytes in flight over every subscription. */
  get inflightBytes(): number {
    return this.#inflightBytes;
  }

  /** Bytes sent (positive) or acknowledged or let go (negative); room made wakes those that waited for it. */
  addInflight(bytes: number): void {
    this.#inflightBytes += bytes;
    if (bytes < 0) this.#wakeFirst();
  }

  /** Only the first that waits (it serves the next as it leaves the queue): never every waiter on every ack. */
  #wakeFirst(): void {
    for (const m of this.#waitingForRoom) return m.wake();
  }

  /** `member` stopped sending for the total in flight: it keeps its place (the first it took) until it sends again. */
  waitForRoom(member: HubMember): void {
    this.#waitingForRoom.add(member);
  }

  /**
   * Whether `member`, with messages in flight, may take room under the total: only if none waits
   * before it. Else the one whose acknowledgement made room would take it back at once, and a
   * subscriber that waited would wait behind it for good.
   */
  mayTakeRoom(member: HubMember): boolean {
    for (const first of this.#waitingForRoom) return first === member;
    return true;
  }

  /** `member` sends again, or stops for reasons of its own: it waits no more, and the next is woken. */
  tookRoom(member: HubMember): void {
    let first = true;
    for (const m of this.#waitingForRoom) {
      first = m === member;
      break;
    }
    if (this.#waitingForRoom.delete(member) && first) this.#wakeFirst();
  }

  /** One more send of a message of a stream; its count, in this run. */
  countSend(id: string, destination: string, channel: string): number {
    const n = (this.#sends.get(id) ?? 0) + 1;
    this.#sends.delete(id);
    this.#sends.set(id, n);
    this.#streamOf.set(id, SubscriptionHub.key(destination, channel));
    // Messages that end otherwise than acknowledged (withdrawn, expired) are not told here: the oldest
    // counts go first past a bound, which at worst lets such a message be sent a few more times.
    if (this.#sends.size > SENDS_KEPT) this.#forget(this.#sends.keys().next().value!);
    return n;
  }

  #forget(id: string): void {
    this.#sends.delete(id);
    this.#streamOf.delete(id);
  }

  sendsOf(id: string): number {
    return this.#sends.get(id) ?? 0;
  }

  /** True the first time a message is stopped at the limit in this run. */
  firstStop(id: string): boolean {
    if (this.#stopped.has(id)) return false;
    if (this.#stopped.size >= SENDS_KEPT) this.#stopped.delete(this.#stopped.values().next().value!);
    this.#stopped.add(id);
    return true;
  }

  /**
   * Acknowledged: counted no more. An acknowledgement that settles something is a subscriber reading
   * its stream: the sends of the stream's other messages are forgiven too, so a subscriber on a link
   * that drops before its acks arrive is not stopped while it makes progress (review 7, item 9). A
   * subscriber that reconnects without ever acknowledging still stops at the limit, and so does one
   * that acknowledges everything but one message it cannot take.
   */
  settled(ids: readonly string[]): void {
    const streams = new Set<string>();
    for (const id of ids) {
      const k = this.#streamOf.get(id);
      if (k !== undefined) streams.add(k);
      this.#forget(id);
      this.#stopped.delete(id);
    }
    if (streams.size === 0) return;
    for (const [id, k] of this.#streamOf) {
      if (!streams.has(k)) continue;
      this.#forget(id);
      this.#stopped.delete(id);
    }
  }

  isHeld(id: string): boolean {
    return this.#held.has(id);
  }

  get size(): number {
    return this.#open.size;
  }

  closeAll(): void {
    for (const m of [...this.#open.values()]) m.shutdown();
    this.#open.clear();
  }
}
