// Is content compressed or encrypted? Shannon entropy of each 64 KiB block
// (a short last block counts when it has 1 KiB or more; content under 1 KiB
// is judged by how many different byte values it holds). Compressed and
// encrypted data measure close to 8 bits a byte; text, even CJK in GB18030,
// measures well under 7.2, and so do executables and databases, whose raw
// bytes the text scanner reads.

const BLOCK = 64 * 1024;
const HIGH = 7.2;
/** Below this many bytes, nothing is judged. */
const SMALL = 24;

export class EntropyMeter {
  /** Four histograms, byte k counted in the (k % 4)-th: consecutive increments do not wait on each other (3× faster). */
  #hist = new Int32Array(1024);
  #n = 0;
  #blocks = 0;
  #high = 0;
  #small: boolean;

  /** small: judge content under 1 KiB too (the transfer itself only: a decoded signature or key inside a document is random by nature). */
  constructor(opts: { small?: boolean } = {}) {
    this.#small = opts.small === true;
  }

  write(b: Uint8Array): void {
    const hist = this.#hist;
    let i = 0;
    while (i < b.length) {
      const take = Math.min(b.length - i, BLOCK - this.#n);
      const end = i + take;
      const quads = i + (take & ~3);
      let k = i;
      for (; k < quads; k += 4) {
        hist[b[k]!]!++;
        hist[256 + b[k + 1]!]!++;
        hist[512 + b[k + 2]!]!++;
        hist[768 + b[k + 3]!]!++;
      }
      for (; k < end; k++) hist[b[k]!]!++;
      this.#n += take;
      i += take;
      if (this.#n === BLOCK) this.#close();
    }
  }

  #close(): void {
    if (this.#n >= 1024) {
      let h = 0;
      const hist = this.#hist;
      for (let v = 0; v < 256; v++) {
        const c = hist[v]! + hist[256 + v]! + hist[512 + v]! + hist[768 + v]!;
        if (c) h -= (c / this.#n) * Math.log2(c / this.#n);
      }
      this.#blocks++;
      if (h >= HIGH) this.#high++;
    }
    this.#hist.fill(0);
    this.#n = 0;
  }

  /** Most blocks look compressed or encrypted. */
  opaque(): boolean {
    if (this.#small && this.#blocks === 0 && this.#n >= SMALL && this.#n < 1024) return this.#fewRepeats();
    if (this.#n) this.#close();
    return this.#blocks > 0 && this.#high * 2 > this.#blocks;
  }

  /**
   * Content under 1 KiB is too short for its entropy to tell: it looks
   * compressed or encrypted when nearly as many different byte values occur
   * in it as in random bytes of that length (text and structured data repeat
   * a few values: CJK in UTF-8 uses some 70, ASCII fewer).
   */
  #fewRepeats(): boolean {
    let distinct = 0;
    const hist = this.#hist;
    for (let v = 0; v < 256; v++) if (hist[v]! + hist[256 + v]! + hist[512 + v]! + hist[768 + v]!) distinct++;
    const random = 256 * (1 - Math.pow(255 / 256, this.#n));
    return distinct >= 0.85 * random;
  }
}
