// Runs the work given for one key after the work already running for it, so
// two settlements of one transfer (two acknowledgements of one pull, an
// acknowledgement racing the expiry sweep) never interleave their audit record
// and their row change. One gateway process owns its queue (recovery is per
// node), so a guard in memory is enough; a shared backend would need a claim.

export class OneAtATime {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const mine = before.then(work);
    const tail = mine.then(() => undefined, () => undefined);
    this.#tails.set(key, tail);
    // The last one out removes the key, so the map holds only transfers being settled now.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return mine;
  }

  /** Runs `work` once the work running for every one of `keys` is done, holding all of them until it ends. */
  runAll<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const befores: Promise<unknown>[] = [];
    for (const k of keys) {
      const b = this.#tails.get(k);
      if (b) befores.push(b);
    }
    const mine = (befores.length ? Promise.all(befores) : Promise.resolve()).then(work);
    const tail = mine.then(() => undefined, () => undefined);
    for (const k of keys) this.#tails.set(k, tail);
    void tail.then(() => {
      for (const k of keys) if (this.#tails.get(k) === tail) this.#tails.delete(k);
    });
    return mine;
  }

  /** How many keys have work running or waiting (for tests and metrics). */
  get busy(): number {
    return this.#tails.size;
  }
}
