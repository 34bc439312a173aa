// Content typed as text from its first 4,100 bytes is read as text to its
// end, but what follows the head need not be text: 4 KiB of text, then
// encrypted bytes, crossed unjudged (1 Dec 2026). This meter judges every
// 4 KiB block of text content (aligned to the content's start; the last one
// when it has 1 KiB or more) by its entropy, each byte parity on its own, and
// its control bytes (C0 but tab and line breaks, and 7F):
//   - 6.6 bits a byte or more in both parities, and 2 % control bytes or more:
//     compressed data measures 6.6 to 7.2 in a block this short and encrypted
//     data 7.9, both with some 11 % control bytes; text in an 8-bit or
//     multi-byte encoding has no control bytes, terminal recordings have ESC
//     but measure under 5, and UTF-16 text, with control bytes among its low
//     bytes, keeps its high bytes (one parity) under 6.4 even for CJK
//     characters drawn at random (UTF-16 prose measures 4.9);
//   - 7.6 bits or more in both parities, control bytes or not: random bytes
//     in an alphabet of 200 values or more. GBK, GB18030 and Big5 text takes
//     its bytes from 0x40-0xFE at most (191 values, 7.58 bits in theory; CJK
//     drawn at random from all of GBK measures 7.4).
// A block with no byte at or above 0x80 is not judged (it cannot reach 7.6,
// and 7-bit compressed or encrypted data does not exist without a custom
// encoding), and a block whose 1 KiB sample shows neither a control byte nor
// many different values is not counted whole (worthCounting), so ordinary
// text costs one copy, one OR a word and the sample. Encrypted bytes are
// caught wherever they sit from 4 KiB, deflate from 5 KiB (measured at every
// 128 bytes of a block, in English and Chinese prose); a shorter region only
// at most offsets, or when it ends the content with 1 KiB or more.

/** Bytes a block judged. */
export const REGION_BLOCK = 4096;
const BLOCK = REGION_BLOCK;
const LAST_MIN = 1024;
const HIGH = 6.6;
const RANDOM = 7.6;
/** Control bytes, out of 1,000, at or above which a block of HIGH entropy is opaque. */
const CONTROLS = 20;
/** Different values in a parity's sample (see #close) at or above which a block without control bytes is counted whole. */
const SAMPLE_VALUES = 110;

export class OpaqueRegions {
  #block = new Uint8Array(BLOCK);
  #words = new Int32Array(this.#block.buffer);
  /** Byte k of the content counted in histogram k % 4: even parity is 0 and 2, odd 1 and 3. */
  #hist = new Int32Array(1024);
  #sample = new Int32Array(512);
  #n = 0;
  #off = 0;
  /** Start of the first block judged opaque, or -1. */
  #first = -1;

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
    return this.#first;
  }

  #close(): void {
    const n = this.#n;
    const start = this.#off;
    this.#off += n;
    this.#n = 0;
    if (this.#first >= 0) return;
    const words = this.#words;
    const whole = n >> 2;
    let high = 0;
    for (let k = 0; k < whole; k++) high |= words[k]!;
    const block = this.#block;
    for (let k = whole << 2; k < n; k++) high |= block[k]!;
    if ((high & 0x80808080) === 0) return;
    // Text has no control bytes and too few different values for RANDOM: a block whose sample shows neither is
    // not counted whole (UTF-8 CJK text cost a sixth more with every block counted).
    if (!worthCounting(this.#sample, words, whole)) return;
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
    // Entropy h needs 2^h different values at least: counted first, the logarithms only for a block that has them
    // (UTF-8 CJK text uses some 70, GBK under 190; the logarithms cost more than the histogram).
    const bound = controls(hist) * 1000 >= CONTROLS * n ? HIGH : RANDOM;
    const least = Math.ceil(2 ** bound);
    if (distinct(hist, 0) < least || distinct(hist, 256) < least) return;
    const h = Math.min(laneEntropy(hist, 0, Math.ceil(n / 2)), laneEntropy(hist, 256, n >> 1));
    if (h >= bound) this.#first = start;
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

/**
 * Is the block worth counting whole? It is when a sample of it (every fourth 32-bit word: 1 KiB of the 4 KiB,
 * two bytes of sixteen counted for values, one of each parity) holds a control byte (under 0x09 or from 0x0E
 * to 0x1F: the bit hacks "has less than" and "has between", exact for whether any byte is; compressed and
 * encrypted data have some 11 %, so 2 % shows in the sample), or SAMPLE_VALUES different values or more in
 * each parity (random bytes in 210 values show some 148 of them in 256 draws, GBK drawn at random some 130,
 * UTF-8 CJK under 80). Constants and sums are kept in 32-bit integers (| 0): one over 2^31 made the loop run
 * in doubles, three times slower.
 */
function worthCounting(sample: Int32Array, words: Int32Array, whole: number): boolean {
  const k9f = 0x9f9f9f9f | 0;
  let acc = 0;
  sample.fill(0);
  for (let k = 0; k < whole; k += 4) {
    const x = words[k]!;
    const low = x & 0x7f7f7f7f;
    acc |= (((x - 0x09090909) | 0) & ~x) | (((k9f - low) | 0) & ~x & (low + 0x72727272));
    sample[x & 255]!++;
    sample[256 + ((x >>> 8) & 255)]!++;
  }
  if ((acc & (0x80808080 | 0)) !== 0) return true;
  let even = 0;
  let odd = 0;
  for (let v = 0; v < 256; v++) {
    if (sample[v]) even++;
    if (sample[256 + v]) odd++;
  }
  return even >= SAMPLE_VALUES && odd >= SAMPLE_VALUES;
}

/** Different byte values in one parity (histograms lane and lane + 512). */
function distinct(hist: Int32Array, lane: number): number {
  let d = 0;
  for (let v = 0; v < 256; v++) if (hist[lane + v]! + hist[lane + 512 + v]!) d++;
  return d;
}

function controls(hist: Int32Array): number {
  let c = 0;
  for (let v = 0; v < 0x20; v++) if (v !== 0x09 && v !== 0x0a && v !== 0x0d) c += hist[v]! + hist[256 + v]! + hist[512 + v]! + hist[768 + v]!;
  return c + hist[0x7f]! + hist[256 + 0x7f]! + hist[512 + 0x7f]! + hist[768 + 0x7f]!;
}
