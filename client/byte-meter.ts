// Counts and hashes bytes as they pass, so that the sender (or receiver) can
// hold the gateway's receipt or hash against its own SHA-256 without reading
// the file twice, and so that a progress bar sees real bytes, not a promise.

import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export interface ByteMeterOptions {
  onProgress?: ((bytes: number) => void) | undefined;
  /**
   * Hand each chunk on from the check phase of the event loop (setImmediate)
   * rather than from the file read's callback. Why: a gateway that refuses
   * before reading the body answers and then closes; the close can arrive as
   * a TCP reset right behind the answer. A write started straight from the
   * poll phase can hit the reset (EPIPE/ECONNRESET) before the socket's
   * readable event is handled, and Node then destroys the socket with the
   * answer unread. Deferring each write until the poll phase has run lets an
   * answer that is already there be parsed first. Measured with the server in
   * the same process: 34/40 refusals seen without, 200/200 with. Across
   * processes it only narrows the window; send.ts retries for the rest.
   * Costs one immediate per 64 KiB chunk.
   */
  yieldBeforeWrite?: boolean;
  /**
   * Hold the stream for this long after the first chunk (see send.ts: a
   * retried upload gives an early refusal time to arrive while nothing is
   * being written). Ends early if the stream is destroyed.
   */
  pauseAfterFirstChunkMs?: number;
}

export class ByteMeter extends Transform {
  #hash: Hash = createHash('sha256');
  #bytes = 0;
  #onProgress: ((bytes: number) => void) | undefined;
  #yield: boolean;
  #pauseMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: ByteMeterOptions = {}) {
    super();
    this.#onProgress = opts.onProgress;
    this.#yield = opts.yieldBeforeWrite ?? false;
    this.#pauseMs = opts.pauseAfterFirstChunkMs ?? 0;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    this.#onProgress?.(this.#bytes);
    if (this.#pauseMs > 0) {
      const ms = this.#pauseMs;
      this.#pauseMs = 0;
      this.push(chunk);
      this.#timer = setTimeout(() => { this.#timer = undefined; cb(); }, ms);
      return;
    }
    if (this.#yield) setImmediate(cb, null, chunk);
    else cb(null, chunk);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.#timer) clearTimeout(this.#timer);
    cb(err);
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Hex SHA-256 of everything that passed; call once, after the end. */
  digest(): string {
    return this.#hash.digest('hex');
  }
}
