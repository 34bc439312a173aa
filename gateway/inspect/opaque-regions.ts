// Content typed as text from its first 4,100 bytes is read as text to its
// end, but what follows the head need not be text: 4 KiB of text, then
// encrypted bytes, crossed unjudged (red team, 1 Dec). This meter judges every
// 4 KiB block of text content (aligned to the content's start; the last one
// when it has 1 KiB or more) by the entropy binary content is judged by
// (entropy-meter.ts, 7.2 bits a byte), each byte parity on its own: UTF-16 CJK
// text measures 7.5 or more over all its bytes, but its high bytes alone (the
// even or the odd ones) stay near 6; encrypted and compressed bytes measure
// close to 8 in both. A block with no byte at or above 0x80 cannot reach 7.2
// bits (it has 128 values at most), so ASCII text (CSV, JSON, logs, source)
// costs one copy and one OR a word; its histogram is counted only when a block
// has high bytes. Any region of 8 KiB or more that is random holds a whole
// block; a shorter one is caught at the end of the content (from 1 KiB) or
// when it fills most of a block.

const BLOCK = 4096;
const LAST_MIN = 1024;
const HIGH = 7.2;

export class OpaqueRegions {
  #block = new Uint8Array(BLOCK);
  #words = new Int32Array(this.#block.buffer);
  /** Byte k of the content counted in histogram k % 4: even parity is 0 and 2, odd 1 and 3. */
  #hist = new Int32Array(1024);
  #n = 0;
  #off = 0;
  /** Start of the first block judged opaque, or -1. */
  first = -1;

  write(b: Uint8Array): void {
    let i = 0;
    while (i < b.length) {
      const take = Math.min(b.length - i, BLOCK - this.#n);
      this.#block.set(b.subarray(i, i + take), this.#n);
      this.#n += take;
      i += take;
      if (this.#n === BLOCK) this.#close();
    }
  }

  /** The first opaque block's start, judging the last (partial) block too; -1 when none. */
  finish(): number {
    if (this.#n >= LAST_MIN) this.#close();
    this.#n = 0;
    return this.first;
  }

  #close(): void {
    const n = this.#n;
    const start = this.#off;
    this.#off += n;
    this.#n = 0;
    if (this.first >= 0) return;
    const words = this.#words;
    const whole = n >> 2;
    let high = 0;
    for (let k = 0; k < whole; k++) high |= words[k]!;
    const block = this.#block;
    for (let k = whole << 2; k < n; k++) high |= block[k]!;
    if ((high & 0x80808080) === 0) return;
    const hist = this.#hist;
    hist.fill(0);
    // start is a multiple of BLOCK, so position k in the block has the content offset's parity.
    let k = 0;
    for (; k + 4 <= n; k += 4) {
      hist[block[k]!]!++;
      hist[256 + block[k + 1]!]!++;
      hist[512 + block[k + 2]!]!++;
      hist[768 + block[k + 3]!]!++;
    }
    for (; k < n; k++) hist[((k & 3) << 8) + block[k]!]!++;
    if (laneEntropy(hist, 0, Math.ceil(n / 2)) >= HIGH && laneEntropy(hist, 256, n >> 1) >= HIGH) this.first = start;
  }
}

/** Entropy of one byte parity: histograms lane and lane + 512 (every other byte of the block), n bytes. */
function laneEntropy(hist: Int32Array, lane: number, n: number): number {
  let h = 0;
  for (let v = 0; v < 256; v++) {
    const c = hist[lane + v]! + hist[lane + 512 + v]!;
    if (c) h -= (c / n) * Math.log2(c / n);
  }
  return h;
}
