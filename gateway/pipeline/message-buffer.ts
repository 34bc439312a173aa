// The pass's sink for a message kept in the queue database: the body is at most
// limits.max_message_bytes (the carrier checked it before the pass), so holding
// it is bounded; it is sealed and stored with its row in one transaction.

export class MessageBuffer {
  #chunks: Buffer[] = [];

  async write(chunk: Buffer): Promise<void> {
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
