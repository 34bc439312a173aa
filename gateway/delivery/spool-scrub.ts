import type { GatewayContext } from '../context.js';

// Spool files a crash can leave without a row that wants them: a transfer
// committed to the spool but stopped before its row was written, or settled
// but stopped before its file was removed. Recovery does not list millions of
// spool files to find them; this walks one fan-out directory at a time in the
// background, a batch of names per turn of the event loop, and removes a file
// only when the queue has no unsettled or retaining row for it and the file
// is old enough that no upload or settlement can still be on its way to it.

const SETTLED = new Set(['delivered', 'denied', 'expired', 'failed']);
/** Names looked up per turn of the event loop. */
const BATCH = 200;
/** A file younger than this may belong to an upload whose row is being written. */
export const SCRUB_MIN_AGE_MS = 60 * 60_000;

/** Removes the orphans of one fan-out directory (a shard of the spool store) last modified before `olderThan`; returns how many. */
export async function scrubFanOutDir(ctx: GatewayContext, dir: string, olderThan: number): Promise<number> {
  let removed = 0;
  let names: string[] = [];
  const flush = async () => {
    for (const name of names) {
      const id = name.slice(name.lastIndexOf('/') + 1, -'.spool'.length);
      const row = await ctx.queue.get(id);
      if (row && row.spool === name && (!SETTLED.has(row.state) || row.retainUntil !== null)) continue;
      const modified = await ctx.spool.modifiedAt(name);
      if (modified === null || modified >= olderThan) continue;
      await ctx.spool.remove(name);
      removed++;
    }
    names = [];
    await new Promise((r) => setImmediate(r));
  };
  for await (const name of ctx.spool.list(dir)) {
    names.push(name);
    if (names.length >= BATCH) await flush();
  }
  await flush();
  return removed;
}

/** Walks the fan-out directories in turn, one every `everyMs`. */
export class SpoolScrub {
  readonly #ctx: GatewayContext;
  readonly #everyMs: number;
  #next = 0;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();
  #stopped = false;

  constructor(ctx: GatewayContext, everyMs = 60_000) {
    this.#ctx = ctx;
    this.#everyMs = everyMs;
  }

  start(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      const shards = this.#ctx.spool.shards;
      const dir = shards[this.#next % shards.length]!;
      this.#next = (this.#next + 1) % shards.length;
      this.#running = scrubFanOutDir(this.#ctx, dir, Date.now() - SCRUB_MIN_AGE_MS)
        .then((n) => { if (n) this.#ctx.log.warn({ dir, removed: n }, 'spool files no transfer wants were removed'); })
        .catch((err: unknown) => this.#ctx.log.error({ err, dir }, 'spool scrub failed'))
        .finally(() => this.start());
    }, this.#everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
