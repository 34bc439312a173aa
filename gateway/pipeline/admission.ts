import { FerryError } from '../../protocol/errors.js';

// Uploads in progress, per principal and per idempotency key: one object per
// gateway (on its context), never a module global, so that two gateways in one
// process (the tests, the simulator) count and guard their own uploads only.

export interface AdmissionPlace {
  /** Gives the place back (once; later calls do nothing). */
  release(): void;
}

export class Admission {
  readonly #perPrincipal = new Map<string, number>();
  /** principal URI + '\n' + idempotency key, while its upload is being received */
  readonly #keys = new Set<string>();
  readonly #maxPerPrincipal: () => number;

  constructor(maxPerPrincipal: () => number) {
    this.#maxPerPrincipal = maxPerPrincipal;
  }

  /** Refuses (throws) when the principal has too many uploads in progress, or one under the same key. Takes nothing. */
  check(principal: string, idempotencyKey: string | undefined): void {
    const inFlight = this.#perPrincipal.get(principal) ?? 0;
    const max = this.#maxPerPrincipal();
    if (inFlight >= max) {
      throw new FerryError('FERRY_TOO_MANY_UPLOADS', `${inFlight} uploads from ${principal} are in progress; the limit is ${max}.`);
    }
    if (idempotencyKey && this.#keys.has(keyOf(principal, idempotencyKey))) throw new FerryError('FERRY_UPLOAD_IN_PROGRESS');
  }

  /**
   * Checks and takes a place in one synchronous step (no await can come between
   * them), holding the key until release().
   */
  take(principal: string, idempotencyKey: string | undefined): AdmissionPlace {
    this.check(principal, idempotencyKey);
    const key = idempotencyKey ? keyOf(principal, idempotencyKey) : null;
    this.#perPrincipal.set(principal, (this.#perPrincipal.get(principal) ?? 0) + 1);
    if (key) this.#keys.add(key);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const n = (this.#perPrincipal.get(principal) ?? 1) - 1;
        if (n <= 0) this.#perPrincipal.delete(principal);
        else this.#perPrincipal.set(principal, n);
        if (key) this.#keys.delete(key);
      },
    };
  }

  /** Uploads in progress, all principals together (health). */
  get inProgress(): number {
    let n = 0;
    for (const v of this.#perPrincipal.values()) n += v;
    return n;
  }
}

function keyOf(principal: string, key: string): string {
  return `${principal}\n${key}`;
}
