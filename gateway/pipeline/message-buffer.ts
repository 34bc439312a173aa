import { FerryError } from '../../protocol/errors.js';

// The pass's sink for content kept in the queue database: a message (at most
// limits.max_message_bytes, checked by the carrier before the pass) or a file
// whose declared size is at most spool.inline_max. Holding it is bounded: the
// buffer refuses a byte past `limit` whatever the carrier let through. It is
// sealed and stored with its row in one transaction.

export class MessageBuffer {
  readonly #limit: number;
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(limit = Infinity) {
    this.#limit = limit;
  }

  async write(chunk: Buffer): Promise<void> {
    this.#size += chunk.length;
    if (this.#size > this.#limit) throw new FerryError('FERRY_BODY_INCOMPLETE', `The body ran past its declared length of ${this.#limit} bytes.`);
    this.#chunks.push(chunk);
  }

  body(): Buffer {
    return this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
  }

  /** Nothing to make durable here: the queue transaction does it. */
  async commit(): Promise<void> {}

  async abort(): Promise<void> {
    this.#chunks = [];
  }
}
