// The bytes of a random-access format (PDF, OLE2), held as they stream by so
// that a parser can read them at the end, up to a bound: past it the bytes
// are dropped and `over` says so (the caller reports what it could not read).
export class HeldBytes {
  readonly max: number;
  #parts: Buffer[] = [];
  #size = 0;
  #over = false;

  constructor(max: number) {
    this.max = max;
  }

  get over(): boolean {
    return this.#over;
  }

  update(chunk: Buffer): void {
    if (this.#over) return;
    this.#size += chunk.length;
    if (this.#size > this.max) {
      this.#over = true;
      this.#parts = [];
      return;
    }
    this.#parts.push(Buffer.from(chunk));
  }

  /** All the bytes held, once; the holder is empty afterwards. */
  take(): Buffer {
    const all = Buffer.concat(this.#parts);
    this.#parts = [];
    return all;
  }
}
