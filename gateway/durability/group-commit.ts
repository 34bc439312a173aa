// Group commit: work asked for in the same turn of the event loop (and during
// the previous commit, which blocked it) goes into one transaction, so one
// fsync (synchronous=FULL) makes it all durable. Under load this is what keeps
// small transfers from queueing behind each other's fsyncs on the event loop.
// Items are committed in the order they were pushed. The queue database and
// the audit log each own one; what a commit does with its batch is theirs.
// It sits below both (it imports nothing), so neither reaches up for it.

export interface GroupCommitOptions<T> {
  /** Writes the batch in one transaction; throws to reject it whole (the owner decides what then). */
  commit(batch: T[]): void;
  /** How much of a batch an item takes (default 1), against maxWeight. */
  weight?(item: T): number;
  /** A commit takes at most this much (always at least one item); the rest goes in the next turn. */
  maxWeight?: number;
  /** While true, nothing is committed; resume() starts again. */
  paused?(): boolean;
  /** Called when a flush left nothing waiting. */
  drained?(): void;
}

export class GroupCommit<T> {
  readonly #o: GroupCommitOptions<T>;
  #pending: T[] = [];
  /** Pending items pushed with defer(): they ride with the next commit and ask for none. */
  readonly #deferred = new Set<T>();
  #scheduled = false;

  constructor(o: GroupCommitOptions<T>) {
    this.#o = o;
  }

  get size(): number {
    return this.#pending.length;
  }

  /** Items waiting that ask for a commit (pushed, not deferred). */
  get urgent(): number {
    return this.#pending.length - this.#deferred.size;
  }

  /** Nothing waits and no flush is scheduled. */
  get idle(): boolean {
    return this.#pending.length === 0 && !this.#scheduled;
  }

  push(item: T): void {
    this.#pending.push(item);
    this.schedule();
  }

  /** Waits, in order, for the next commit something else asks for (or an explicit schedule()); asks for none itself. */
  defer(item: T): void {
    this.#pending.push(item);
    this.#deferred.add(item);
  }

  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Commits what waits now (also on close, without waiting for the next turn). */
  flush(): void {
    this.#scheduled = false;
    if (this.#o.paused?.()) return;
    const max = this.#o.maxWeight ?? Infinity;
    const weight = this.#o.weight ?? (() => 1);
    let take = 0;
    let taken = 0;
    while (take < this.#pending.length && (take === 0 || taken + weight(this.#pending[take]!) <= max)) {
      taken += weight(this.#pending[take]!);
      take += 1;
    }
    const batch = this.#pending.splice(0, take);
    for (const item of batch) this.#deferred.delete(item);
    if (batch.length > 0) this.#o.commit(batch);
    if (this.urgent > 0) {
      this.schedule();
      return;
    }
    this.#o.drained?.();
  }
}
