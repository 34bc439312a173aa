// A walk of media made of headers and the bodies they give the length of
// (RIFF and IFF chunks, Ogg pages): gather a header of a known size, judge
// it, skip the body it announces, gather the next. What the bodies hold is
// not read (out of reach, as for any media's payload); where the walk breaks
// is kept, so that the bytes from there on can be judged (media-shape.ts).

/** A header judged: the body to skip after it and the size of the next header; or why the walk breaks. */
export type Step = { skip: number; need: number } | string;

/** The longest header gathered (an Ogg page's segment table). */
const MAX_HEAD = 255;

export abstract class HeaderWalk {
  /** Where the header that broke the walk starts (-1 while it holds). */
  breakAt = -1;
  /** Bytes at the end of the last body the content may leave out (a RIFF chunk's pad byte). */
  protected spare = 0;
  #need: number;
  #buf = new Uint8Array(MAX_HEAD);
  #got = 0;
  #skip = 0;
  #at = 0;

  constructor(first: number) {
    this.#need = first;
  }

  /** Judge a header of the size asked for, at byte `at`. */
  protected abstract header(h: Uint8Array, at: number): Step;

  /** At the end, with the walk between two headers: anything left to say. */
  protected abstract finish(total: number): string;

  write(b: Uint8Array, start: number): string {
    let i = 0;
    while (i < b.length) {
      if (this.#skip > 0) {
        const k = Math.min(this.#skip, b.length - i);
        this.#skip -= k;
        i += k;
        continue;
      }
      if (this.#got === 0) this.#at = start + i;
      const k = Math.min(this.#need - this.#got, b.length - i);
      this.#buf.set(b.subarray(i, i + k), this.#got);
      this.#got += k;
      i += k;
      if (this.#got < this.#need) break;
      this.#got = 0;
      const step = this.header(this.#buf.subarray(0, this.#need), this.#at);
      if (typeof step === 'string') {
        this.breakAt = this.#at;
        return step;
      }
      if (step.need < 1 || step.need > MAX_HEAD) {
        this.breakAt = this.#at;
        return `a header of ${step.need} bytes at byte ${this.#at}`;
      }
      this.#skip = step.skip;
      this.#need = step.need;
    }
    return '';
  }

  end(total: number): string {
    if (this.#skip > this.spare) return `a body that ends at byte ${total + this.#skip}, past the content's end (${total})`;
    if (this.#got > 0) return `${this.#got} bytes at byte ${this.#at} that are no whole header`;
    return this.finish(total);
  }
}

/** Four printable ASCII characters (a chunk's FourCC). */
export function fourCC(h: Uint8Array, at: number): boolean {
  for (let k = at; k < at + 4; k++) if (h[k]! < 0x20 || h[k]! > 0x7e) return false;
  return true;
}
