// Counts and hashes bytes as they pass, so that the sender (or receiver)
// can hold the gateway's receipt or hash against its own SHA-256 without reading the
// file twice, and so that a progress bar sees real bytes, not a promise.

import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export class ByteMeter extends Transform {
  #hash: Hash = createHash('sha256');
  #bytes = 0;
  #onProgress: ((bytes: number) => void) | undefined;

  constructor(onProgress?: (bytes: number) => void) {
    super();
    this.#onProgress = onProgress;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    this.#onProgress?.(this.#bytes);
    cb(null, chunk);
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Hex SHA-256 of everything that passed; call once, after the end. */
  digest(): string {
    return this.#hash.digest('hex');
  }
}
