import zlib from 'node:zlib';

// zlib (raw deflate, zlib-wrapped deflate, gzip, or brotli, which node:zlib streams alike) fed chunk by chunk, its output handed to an
// async sink with back-pressure: the inflater pauses while the sink works, so
// no more than one zlib chunk of output is ever pending (a bomb expands only
// as fast as we inspect it, and stops when we destroy it).

export class StreamInflater {
  #z: zlib.InflateRaw | zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;
  #sink: (b: Buffer) => Promise<void> | void;
  #chain: Promise<void> = Promise.resolve();
  #error: Error | undefined;
  #ended = false;
  #written = 0;
  #destroyed = false;
  #closed: Promise<void>;

  constructor(kind: 'raw' | 'gzip' | 'zlib' | 'br', sink: (b: Buffer) => Promise<void> | void) {
    this.#z = kind === 'raw' ? zlib.createInflateRaw() : kind === 'zlib' ? zlib.createInflate() : kind === 'br' ? zlib.createBrotliDecompress() : zlib.createGunzip();
    this.#sink = sink;
    this.#z.on('data', (d: Buffer) => {
      this.#z.pause();
      this.#chain = this.#chain
        .then(() => (this.#destroyed ? undefined : this.#sink(d)))
        .then(
          () => {
            if (!this.#destroyed) this.#z.resume();
          },
          (e: unknown) => {
            this.#error ??= e instanceof Error ? e : new Error(String(e));
            this.destroy();
          },
        );
    });
    this.#z.on('error', (e) => {
      this.#error ??= e;
    });
    this.#z.on('end', () => {
      this.#ended = true;
    });
    // A destroyed zlib stream may never call back a pending write: every wait races its close.
    this.#closed = new Promise((resolve) => this.#z.once('close', () => resolve()));
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Compressed bytes zlib consumed (exact after the end of the deflate stream). */
  get consumed(): number {
    return this.#z.bytesWritten;
  }

  get error(): Error | undefined {
    return this.#error;
  }

  /**
   * Feeds compressed bytes. Resolves with how many bytes at the end of this
   * chunk were not part of the compressed stream (non-zero once it ended).
   */
  async write(chunk: Buffer): Promise<number> {
    if (this.#destroyed || this.#error) return chunk.length;
    const before = this.#z.bytesWritten;
    if (this.#ended) return chunk.length;
    await Promise.race([new Promise<void>((resolve) => this.#z.write(chunk, () => resolve())), this.#closed]);
    await Promise.race([this.#chain, this.#closed]);
    this.#written = before + chunk.length;
    if (this.#error) throw this.#error;
    return this.#written - this.#z.bytesWritten;
  }

  /** No more input: waits until all output was handed to the sink. */
  async end(): Promise<void> {
    if (this.#destroyed) return;
    await Promise.race([
      new Promise<void>((resolve) => {
        if (this.#ended) return resolve();
        this.#z.once('end', () => resolve());
        this.#z.once('error', () => resolve());
        this.#z.end();
      }),
      this.#closed,
    ]);
    await Promise.race([this.#chain, this.#closed]);
    if (this.#error) throw this.#error;
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#z.destroy();
  }
}
