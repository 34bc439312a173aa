// Refusals of requests without a trusted identity are audited (a security team
// wants to see who knocked), but anyone who can reach the port can send them:
// unthrottled, each costs a durable audit record. Per remote address, the first
// `perMinute` in a minute are recorded one by one; the rest are counted and
// written as one summary record when the minute is over. Nothing goes unrecorded;
// a flood costs one record a minute per address. Across addresses the records
// written one by one share a budget a minute too: an attacker who owns many
// addresses (a /64 of IPv6) must not buy a durable write per connection (issue 9:
// 2,000 connections from 40 addresses spent a second in fsync and delayed a
// legitimate sender by seconds). Past the budget, refusals are counted into their
// address's summary; the table of addresses is bounded, and past it they share one.

export interface Suppressed {
  remote: string;
  count: number;
  codes: Record<string, number>;
  since: string;
}

/** The bucket for addresses beyond the table's bound. */
export const OVERFLOW = '(other addresses)';

export class RefusalThrottle {
  readonly #perMinute: number;
  readonly #windows = new Map<string, { start: number; seen: number; suppressed: number; codes: Record<string, number> }>();
  readonly #maxAddresses: number;
  readonly #perMinuteTotal: number;
  #total = { start: Number.NEGATIVE_INFINITY, seen: 0 };

  constructor(perMinute = 20, maxAddresses = 256, perMinuteTotal = 100) {
    this.#perMinute = perMinute;
    this.#maxAddresses = maxAddresses;
    this.#perMinuteTotal = perMinuteTotal;
  }

  /** True when this refusal is to be recorded on its own; false when it is counted for the summary. */
  admit(remote: string, code: string, now = Date.now()): boolean {
    // Bounded memory under a flood from many addresses: past the bound, new
    // addresses share one overflow bucket, counted like the rest.
    if (!this.#windows.has(remote) && this.#windows.size >= this.#maxAddresses) remote = OVERFLOW;
    let w = this.#windows.get(remote);
    if (!w) {
      w = { start: now, seen: 0, suppressed: 0, codes: {} };
      this.#windows.set(remote, w);
    } else if (now - w.start >= 60_000 && w.suppressed === 0) {
      // A new minute with nothing owed to a summary; one that owes lasts until drain() writes it.
      w.start = now;
      w.seen = 0;
    }
    if (remote === OVERFLOW) {
      w.suppressed++;
      w.codes[code] = (w.codes[code] ?? 0) + 1;
      return false;
    }
    w.seen++;
    if (now - this.#total.start >= 60_000) this.#total = { start: now, seen: 0 };
    if (w.seen <= this.#perMinute && this.#total.seen < this.#perMinuteTotal) {
      this.#total.seen++;
      return true;
    }
    w.suppressed++;
    w.codes[code] = (w.codes[code] ?? 0) + 1;
    return false;
  }

  /** The counts to summarise now: windows that are over, with refusals not recorded one by one. */
  drain(now = Date.now()): Suppressed[] {
    const out: Suppressed[] = [];
    for (const [remote, w] of this.#windows) {
      if (now - w.start < 60_000) continue;
      if (w.suppressed) out.push({ remote, count: w.suppressed, codes: w.codes, since: new Date(w.start).toISOString() });
      this.#windows.delete(remote);
    }
    return out;
  }
}
