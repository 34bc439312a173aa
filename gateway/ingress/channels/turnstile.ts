// Envelopes of one channel connection pass the queue insert in the order they
// came, while the rest of their way (policy, inspection, the fsyncs) overlaps.
// Each turn waits for the one before it to be done; done() is idempotent.

export class Turn {
  readonly #before: Promise<void>;
  #release!: () => void;
  readonly passed: Promise<void>;

  constructor(before: Promise<void>) {
    this.#before = before;
    this.passed = new Promise<void>((r) => (this.#release = r));
  }

  wait(): Promise<void> {
    return this.#before;
  }

  done(): void {
    this.#release();
  }
}

/** Hands out turns in arrival order. */
export class Turnstile {
  #last: Promise<void> = Promise.resolve();

  next(): Turn {
    const turn = new Turn(this.#last);
    // A turn counts as passed only once every earlier turn has passed too.
    const before = this.#last;
    this.#last = Promise.all([before, turn.passed]).then(() => undefined);
    return turn;
  }
}
