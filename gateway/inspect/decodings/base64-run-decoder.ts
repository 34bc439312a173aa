import { B64, BASE64_MIN_RUN } from '../text/scan-tables.js';

// Decodes the base64 runs the text scanner finds (RFC 4648 §4), as events for
// the content inspector: open a run, its bytes, close it. Output is held per
// chunk only (at most 3/4 of the chunk's characters).

export type Base64Event = { kind: 'open'; offset: number } | { kind: 'data'; bytes: Uint8Array } | { kind: 'close' };

export class Base64RunDecoder {
  #acc = 0;
  #accN = 0;
  #out: Uint8Array = new Uint8Array(0);
  #outPos = 0;
  #outMark = 0;
  #events: Base64Event[] = [];

  /** A new chunk of `chars` characters is about to be scanned. */
  begin(chars: number): void {
    this.#out = new Uint8Array(((chars * 3) >> 2) + 4);
    this.#outPos = 0;
    this.#outMark = 0;
  }

  /** A run reached BASE64_MIN_RUN characters at byte `offset`: decode what was held back. */
  open(offset: number, head: Uint8Array): void {
    this.#acc = 0;
    this.#accN = 0;
    this.flush();
    this.#events.push({ kind: 'open', offset });
    for (let j = 0; j < BASE64_MIN_RUN; j++) this.value(B64[head[j]!]!);
  }

  value(v: number): void {
    this.#acc = ((this.#acc << 6) | v) & 0xffffff;
    if (++this.#accN === 4) {
      this.#push(this.#acc >> 16);
      this.#push((this.#acc >> 8) & 0xff);
      this.#push(this.#acc & 0xff);
      this.#accN = 0;
    }
  }

  /** The run ended; §3.5: a final quantum of 2 or 3 characters carries 1 or 2 bytes. */
  end(padded: boolean): void {
    const n = this.#accN;
    if (padded || n > 1) {
      if (n === 2) this.#push((this.#acc >> 4) & 0xff);
      else if (n === 3) {
        this.#push((this.#acc >> 10) & 0xff);
        this.#push((this.#acc >> 2) & 0xff);
      }
    }
    this.close();
  }

  /** The text ended inside a run: what was decoded is complete, a partial quantum is dropped. */
  close(): void {
    this.flush();
    this.#events.push({ kind: 'close' });
    this.#accN = 0;
  }

  flush(): void {
    if (this.#outPos > this.#outMark) {
      this.#events.push({ kind: 'data', bytes: this.#out.slice(this.#outMark, this.#outPos) });
      this.#outMark = this.#outPos;
    }
  }

  /** The events so far, handed over. */
  take(): Base64Event[] {
    const e = this.#events;
    this.#events = [];
    return e;
  }

  #push(b: number): void {
    if (this.#outPos >= this.#out.length) {
      // Only when a run resumes at the very start of a chunk after a long one.
      const bigger = new Uint8Array(this.#out.length * 2 + 16);
      bigger.set(this.#out);
      this.#out = bigger;
    }
    this.#out[this.#outPos++] = b;
  }
}
