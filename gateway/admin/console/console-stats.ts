// The aggregate queries, asked of the stats worker and kept a little while:
// every live overview stream shares one computation every few seconds, and the
// policy page's month of counts is computed at most once a minute.
import { Worker } from 'node:worker_threads';
import type { Overview } from './console-queries.js';
import type { StatsOp } from './stats-worker.js';

const OVERVIEW_FOR_MS = 4000;
const HITS_FOR_MS = 60_000;

export class ConsoleStats {
  #worker: Worker;
  #next = 1;
  #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #cache = new Map<StatsOp, { at: number; value: Promise<unknown> }>();

  constructor(dbPath: string) {
    this.#worker = new Worker(new URL('./stats-worker.js', import.meta.url), { workerData: { db: dbPath } });
    // The gateway's life decides when it stops, not this thread.
    this.#worker.unref();
    this.#worker.on('message', (m: { id: number; value?: unknown; error?: string }) => {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.value);
    });
    this.#worker.on('error', (err) => {
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    });
  }

  #ask<T>(op: StatsOp, forMs: number): Promise<T> {
    const hit = this.#cache.get(op);
    if (hit && Date.now() - hit.at < forMs) return hit.value as Promise<T>;
    const id = this.#next++;
    const value = new Promise<unknown>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, op, now: Date.now() });
    });
    // A failed computation is not kept.
    value.catch(() => this.#cache.delete(op));
    this.#cache.set(op, { at: Date.now(), value });
    return value as Promise<T>;
  }

  overview(): Promise<Overview> {
    return this.#ask<Overview>('overview', OVERVIEW_FOR_MS);
  }

  async ruleHits(): Promise<Map<string, number>> {
    return new Map(await this.#ask<Array<[string, number]>>('ruleHits', HITS_FOR_MS));
  }

  async shadowHits(): Promise<Map<string, Record<string, number>>> {
    return new Map(await this.#ask<Array<[string, Record<string, number>]>>('shadowHits', HITS_FOR_MS));
  }

  close(): Promise<number> {
    return this.#worker.terminate();
  }
}
