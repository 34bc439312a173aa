// The open subscriptions, one per (destination, channel). A newer subscription
// takes over: the older is closed with 4409 (FERRY_SUBSCRIPTION_SUPERSEDED) and
// the newer starts from the first unacknowledged message. One reader per
// stream keeps the order and the cumulative acknowledgement simple and exact;
// a system that wants to spread work does so behind its one subscriber.

export interface HubMember {
  wake(): void;
  /** Closed because another took its place. */
  supersede(): void;
  /** Closed because the gateway stops. */
  shutdown(): void;
  /** Whether message `seq` has been sent (or is being sent) on this subscription and not yet acknowledged. */
  sentUnacked(seq: number): boolean;
}

export class SubscriptionHub {
  readonly #open = new Map<string, HubMember>();
  /** Messages being withdrawn right now: not sent until their row says how they ended. */
  readonly #held = new Set<string>();

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

  /** Whether the stream's subscription has sent message `seq` (or is sending it) and not had it acknowledged. */
  sentUnacked(destination: string, channel: string, seq: number): boolean {
    return this.#open.get(SubscriptionHub.key(destination, channel))?.sentUnacked(seq) ?? false;
  }

  /**
   * Runs `fn` (a withdrawal) while message `id` is held back: a subscription that reaches it meanwhile waits
   * instead of sending it, so a message is never both withdrawn and in a subscriber's hands.
   */
  async holding<T>(id: string, fn: () => Promise<T>): Promise<T> {
    this.#held.add(id);
    try {
      return await fn();
    } finally {
      this.#held.delete(id);
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
