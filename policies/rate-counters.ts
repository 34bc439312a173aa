// Sliding-window counters for rate and volume limits. Each series keeps 60
// buckets over its period (1 s buckets for a minute, 1 min for an hour, 24 min
// for a day), so the count is exact to one bucket and memory per key is fixed.
// The store lives outside any compiled policy: a reload swaps the rules and
// keeps the counts. Keys are evicted least-recently-used past `maxKeys`.

export type Period = 'minute' | 'hour' | 'day';

export const PERIOD_MS: Record<Period, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const BUCKETS = 60;

interface Series {
  width: number;
  ids: Float64Array;
  vals: Float64Array;
}

/** What a decision reads: a live store, or the counters an audit record kept (replay). */
export interface CounterSource {
  get(key: string, per: Period, nowMs: number): number | undefined;
  /** Seconds until `need` more fits under `limit`; undefined when it never will. */
  retryAfter?(key: string, per: Period, nowMs: number, limit: number, need: number): number | undefined;
}

export class CounterStore implements CounterSource {
  #series = new Map<string, Series>();
  #maxKeys: number;

  constructor(opts: { maxKeys?: number } = {}) {
    this.#maxKeys = opts.maxKeys ?? 50_000;
  }

  get size(): number {
    return this.#series.size;
  }

  get(key: string, _per: Period, nowMs: number): number {
    const s = this.#series.get(key);
    if (!s) return 0;
    const cur = Math.floor(nowMs / s.width);
    let sum = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const id = s.ids[i]!;
      if (id > cur - BUCKETS && id <= cur) sum += s.vals[i]!;
    }
    return sum;
  }

  add(key: string, per: Period, nowMs: number, amount: number): void {
    let s = this.#series.get(key);
    if (s) {
      // Move to the end: Map order is our LRU order.
      this.#series.delete(key);
    } else {
      s = { width: PERIOD_MS[per] / BUCKETS, ids: new Float64Array(BUCKETS).fill(-Infinity), vals: new Float64Array(BUCKETS) };
      while (this.#series.size >= this.#maxKeys) {
        const oldest = this.#series.keys().next().value as string;
        this.#series.delete(oldest);
      }
    }
    this.#series.set(key, s);
    const id = Math.floor(nowMs / s.width);
    const slot = ((id % BUCKETS) + BUCKETS) % BUCKETS;
    if (s.ids[slot] !== id) {
      s.ids[slot] = id;
      s.vals[slot] = 0;
    }
    s.vals[slot]! += amount;
  }

  retryAfter(key: string, _per: Period, nowMs: number, limit: number, need: number): number | undefined {
    if (need > limit) return undefined;
    const s = this.#series.get(key);
    if (!s) return 0;
    const cur = Math.floor(nowMs / s.width);
    const live: Array<[number, number]> = [];
    let sum = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const id = s.ids[i]!;
      if (id > cur - BUCKETS && id <= cur) {
        live.push([id, s.vals[i]!]);
        sum += s.vals[i]!;
      }
    }
    live.sort((a, b) => a[0] - b[0]);
    for (const [id, v] of live) {
      if (sum + need <= limit) break;
      sum -= v;
      // The bucket leaves the window when the current bucket id reaches id + BUCKETS.
      if (sum + need <= limit) return Math.max(1, Math.ceil(((id + BUCKETS) * s.width - nowMs) / 1000));
    }
    return sum + need <= limit ? 0 : undefined;
  }
}

/** Counters recorded in an audit record, read back for a deterministic replay. */
export class RecordedCounters implements CounterSource {
  #values: Record<string, number>;
  constructor(values: Record<string, number>) {
    this.#values = values;
  }
  get(key: string): number | undefined {
    const v = this.#values[key];
    return typeof v === 'number' ? v : undefined;
  }
}
