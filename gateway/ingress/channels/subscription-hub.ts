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
}

export class SubscriptionHub {
  readonly #open = new Map<string, HubMember>();

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

  get size(): number {
    return this.#open.size;
  }

  closeAll(): void {
    for (const m of [...this.#open.values()]) m.shutdown();
    this.#open.clear();
  }
}
