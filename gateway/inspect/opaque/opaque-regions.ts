import type { InspectContext } from '../context/inspect-context.js';
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
// A region shorter than a block, which two blocks share and neither holds
// enough of, is judged in windows of 1 KiB at every 256 bytes (straddling the
// blocks' edges) around each block that shows one: a window is opaque when it
// holds 4 % control bytes or more, and 150 different values or more and
// 6.6 bits or more in each parity (of its 512 bytes). A window of encrypted
// bytes holds 206-230 values in each parity (7.5-7.7 bits) and some 11 %
// control bytes, one of deflate 159-226 (6.6-7.6 bits; of data that is not one
// line repeated); text has no control bytes, or, in UTF-16, 83 values at most
// in its high bytes (CJK drawn at random), or, in a terminal recording, some
// 33 values; the packed Unicode tables in a string of pdf.sandbox.mjs reach
// 152 values with 29 % control bytes, but 6.42 bits at most.
// Random characters of 7 bits (a base-85 or base-95 of encrypted bytes, read as
// text before 1 Dec) are the second reading of the same windows: 7/8 of a
// window under 0x80, their Rényi entropy of order 2 (-log2 Σp²) 6.15 bits or
// more, and lines of 64 characters or more on average. Random printable ASCII
// measures 6.46, Ascii85 6.36; base64 5.97 (its runs are decoded and judged),
// hash lists and JSON web tokens 5.77-5.92, minified JavaScript 5.10-5.37,
// English 4.45; keys one a line (40 characters of Z85) 6.13-6.23.
// A block with no byte at or above 0x80 is not judged for bytes (it cannot reach 7.6,
// and 7-bit compressed or encrypted data does not exist without a custom
// encoding), and a block whose 1 KiB sample shows neither a control byte nor
// many different values is not counted whole (worthCounting), so ordinary
// text costs one copy, one OR a word and the samples; windows are slid only
// around a counted block, when its values and the block before's can reach
// 150 in each parity, and for 7-bit characters only when 128 sampled from 512
// bytes of the block measure 5.3 bits (denseSample). Encrypted bytes are
// caught wherever they sit from 640 bytes, deflate (of CSV rows) from 768,
// random 7-bit characters from 1 KiB (measured at 32 offsets across a block,
// in English and Chinese prose).

/** Bytes a block judged. */
const BLOCK = 4096;
const LAST_MIN = 1024;
const HIGH = 6.6;
const RANDOM = 7.6;
/** Control bytes, out of 1,000, at or above which a block of HIGH entropy is opaque. */
const CONTROLS = 20;
/** Different values in a parity's sample (see #close) at or above which a block without control bytes is counted whole. */
const SAMPLE_VALUES = 110;
/** Bytes a window judged (see the head); windows start at every STEP bytes of the content. */
export const REGION_WINDOW = 1024;
const STEP = 256;
/** Bytes of the block before kept for the windows that straddle its end. */
const CARRY = REGION_WINDOW - STEP;
/** Different values in each parity of a window, and control bytes in it, at or above which it is opaque. */
const WINDOW_VALUES = 150;
const WINDOW_CONTROLS = 40;
/** Control bytes: C0 but tab and line breaks, and 7F. */
const CONTROL = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) CONTROL[c] = c === 0x09 || c === 0x0a || c === 0x0d ? 0 : 1;
CONTROL[0x7f] = 1;

/** Characters of 7 bits in a window of the second reading (random characters, see the head) at or above which it is judged: 7/8 of it. */
const DENSE_SHARE = (REGION_WINDOW * 7) >> 3;
/** A window of 7-bit characters is random when n² ≥ DENSE · Σ count² (Rényi entropy of order 2 of 6.15 bits or more). */
const DENSE = 71;
/**
 * Line breaks in a window at or under which its 7-bit characters are judged: lines of 64 characters or more on
 * average. Shorter lines of random characters are read as keys, one a line (Z85 and Ascii85 of 32-byte keys, 40
 * characters, measure 6.13-6.23 bits), as base64 runs under 1 KiB are; Ascii85 takes lines of 75 characters,
 * base85 in get-pip.py 79, in a git binary patch 67.
 */
const DENSE_LINES = REGION_WINDOW / 64;
/** The gate to it: a sample of 128 characters of 7 bits (out of 512 bytes) with n² ≥ DENSE_SAMPLE · Σ count² (5.3 bits). */
const DENSE_SAMPLE = 39.4;

/** Where the first region judged opaque starts and ends (content offsets), and why. */
export interface OpaqueSpan {
  start: number;
  end: number;
  /** 'bytes': compressed or encrypted bytes; 'characters': random characters of 7 bits (a base-85 or base-95 of encrypted bytes). */
  what: 'bytes' | 'characters';
}

export class OpaqueRegions {
  /** The last CARRY bytes of the block before, then the block. */
  #buf = new Uint8Array(CARRY + BLOCK);
  #block = this.#buf.subarray(CARRY);
  #words = new Int32Array(this.#buf.buffer, CARRY, BLOCK >> 2);
  /** Bytes of the block before held in #buf (CARRY once a whole block was seen). */
  #carry = 0;
  /** The block before was counted (worthCounting): its windows reach into this one. */
  #counted = false;
  /** The block before was dense in its sample (denseSample): its windows of 7-bit characters reach into this one. */
  #dense = false;
  /** The values the block before held, each parity (256 flags each), when #seenValid. */
  #seen = new Uint8Array(512);
  #seenValid = false;
  /** A window's histograms, one a parity. */
  #win = new Int32Array(512);
  /** Byte k of the content counted in histogram k % 4: even parity is 0 and 2, odd 1 and 3. */
  #hist = new Int32Array(1024);
  #sample = new Int32Array(512);
  #n = 0;
  #off = 0;
  /** The first region judged opaque, or null. */
  #first: OpaqueSpan | null = null;

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

  /** The first opaque region, judging the last (partial) block too; null when none. */
  finish(): OpaqueSpan | null {
    if (this.#n) this.#close(true);
    this.#n = 0;
    return this.#first;
  }

  #close(last = false): void {
    const n = this.#n;
    const start = this.#off;
    this.#off += n;
    this.#n = 0;
    if (this.#first) return;
    const words = this.#words;
    const whole = n >> 2;
    let high = 0;
    for (let k = 0; k < whole; k++) high |= words[k]!;
    const block = this.#block;
    for (let k = whole << 2; k < n; k++) high |= block[k]!;
    const counted = this.#counted;
    const dense = this.#dense;
    // Text has no control bytes and too few different values for RANDOM: a block whose sample shows neither is
    // not counted whole (UTF-8 CJK text cost a sixth more with every block counted).
    this.#counted = (high & 0x80808080) !== 0 && worthCounting(this.#sample, words, whole);
    this.#dense = denseSample(this.#sample, words, whole, (high & 0x80808080) !== 0);
    const from = CARRY - this.#carry;
    const windows = (high & 0x80808080) !== 0 && (this.#counted || counted);
    const hist = this.#hist;
    if (windows || this.#counted) {
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
    }
    // A window's parity holds at most the values of this block's and the block before's in it: windows are slid only
    // when both reach WINDOW_VALUES (UTF-16 text, counted for its control bytes, holds some 40-90 in its high bytes).
    if (windows && this.#mayHoldValues(from, hist)) {
      const at = this.#windows(from, CARRY + n, last);
      if (at >= 0) {
        const s = start - this.#carry + at;
        this.#first = { start: s + this.#lead(from + at), end: s + REGION_WINDOW, what: 'bytes' };
        return;
      }
    }
    this.#seenValid = windows || this.#counted;
    if (this.#seenValid) for (let v = 0; v < 256; v++) this.#seen[v] = hist[v]! + hist[512 + v]! > 0 ? 1 : 0;
    if (this.#seenValid) for (let v = 0; v < 256; v++) this.#seen[256 + v] = hist[256 + v]! + hist[768 + v]! > 0 ? 1 : 0;
    if (this.#dense || dense) {
      const at = this.#denseWindows(from, CARRY + n, last);
      if (at >= 0) {
        const s = start - this.#carry + at;
        this.#first = { start: s, end: s + REGION_WINDOW, what: 'characters' };
        return;
      }
    }
    this.#keepTail(n);
    if (!this.#counted || n < LAST_MIN) return;
    // Entropy h needs 2^h different values at least: counted first, the logarithms only for a block that has them
    // (UTF-8 CJK text uses some 70, GBK under 190; the logarithms cost more than the histogram).
    const bound = controls(hist) * 1000 >= CONTROLS * n ? HIGH : RANDOM;
    const least = Math.ceil(2 ** bound);
    if (distinct(hist, 0) < least || distinct(hist, 256) < least) return;
    const h = Math.min(laneEntropy(hist, 0, Math.ceil(n / 2)), laneEntropy(hist, 256, n >> 1));
    if (h >= bound) this.#first = { start, end: start + n, what: 'bytes' };
  }

  /**
   * Can a window of #buf[from, CARRY + n) hold WINDOW_VALUES different values in each parity? The values this
   * block holds (hist) and those of the block before (#seen, counted when it was, else read from its last CARRY
   * bytes), each parity on its own.
   */
  #mayHoldValues(from: number, hist: Int32Array): boolean {
    const seen = this.#seen;
    if (!this.#seenValid) {
      seen.fill(0);
      for (let i = from; i < CARRY; i++) seen[((i & 1) << 8) | this.#buf[i]!] = 1;
    }
    let even = 0;
    let odd = 0;
    for (let v = 0; v < 256; v++) {
      if (seen[v] || hist[v]! + hist[512 + v]!) even++;
      if (seen[256 + v] || hist[256 + v]! + hist[768 + v]!) odd++;
    }
    return even >= WINDOW_VALUES && odd >= WINDOW_VALUES;
  }

  /** The block's last CARRY bytes, for the windows that straddle its end. */
  #keepTail(n: number): void {
    if (n >= CARRY) {
      this.#buf.copyWithin(0, CARRY + n - CARRY, CARRY + n);
      this.#carry = CARRY;
    } else {
      this.#buf.copyWithin(CARRY - n, CARRY, CARRY + n);
      this.#carry = Math.min(CARRY, this.#carry + n);
    }
  }

  /**
   * The first window of #buf[from, to) whose characters of 7 bits are random, as an index from `from`, or -1: 7/8 of
   * its bytes or more under 0x80, n² ≥ DENSE · Σ count² over them, and lines of 64 characters or more on average
   * (windows as in #windows). Σ count² slides with
   * the window: a count going from c to c + 1 adds 2c + 1, from c to c - 1 takes 2c - 1.
   */
  #denseWindows(from: number, to: number, last: boolean): number {
    if (to - from < REGION_WINDOW) return -1;
    const buf = this.#buf;
    const win = this.#win;
    win.fill(0, 0, 128);
    let n7 = 0;
    let sq = 0;
    const add = (a: number, b: number): void => {
      for (let i = a; i < b; i++) {
        const v = buf[i]!;
        if (v < 0x80) {
          sq += 2 * win[v]! + 1;
          win[v]!++;
          n7++;
        }
      }
    };
    const take = (a: number, b: number): void => {
      for (let i = a; i < b; i++) {
        const v = buf[i]!;
        if (v < 0x80) {
          win[v]!--;
          sq -= 2 * win[v]! + 1;
          n7--;
        }
      }
    };
    const random = (): boolean => n7 >= DENSE_SHARE && n7 * n7 >= DENSE * sq && win[0x0a]! <= DENSE_LINES;
    add(from, from + REGION_WINDOW);
    let s = from;
    for (;;) {
      if (random()) return s - from;
      if (s + STEP + REGION_WINDOW > to) break;
      take(s, s + STEP);
      add(s + REGION_WINDOW, s + REGION_WINDOW + STEP);
      s += STEP;
    }
    if (!last || s + REGION_WINDOW === to) return -1;
    take(s, to - REGION_WINDOW);
    add(s + REGION_WINDOW, to);
    return random() ? to - REGION_WINDOW - from : -1;
  }

  /** Where the opaque window at #buf[from] starts to hold control bytes: the first STEP bytes of it with a quarter of WINDOW_CONTROLS, from `from`. */
  #lead(from: number): number {
    for (let q = 0; q < REGION_WINDOW; q += STEP) {
      let c = 0;
      for (let i = from + q; i < from + q + STEP; i++) c += CONTROL[this.#buf[i]!]!;
      if (c * 4 >= WINDOW_CONTROLS) return q;
    }
    return 0;
  }

  /**
   * The first opaque window of #buf[from, to), as an index from `from`, or -1: windows at every STEP bytes (from is
   * a multiple of STEP in the content), and at the end of the content (last) one that ends with it. The window's
   * histograms slide: STEP bytes in, STEP bytes out.
   */
  #windows(from: number, to: number, last: boolean): number {
    if (to - from < REGION_WINDOW) return -1;
    const buf = this.#buf;
    const win = this.#win;
    win.fill(0);
    // #buf's index has the content offset's parity (CARRY and block starts are even).
    const d = [0, 0];
    let controls = 0;
    const add = (a: number, b: number, sign: 1 | -1): void => {
      for (let i = a; i < b; i++) {
        const v = buf[i]!;
        const slot = ((i & 1) << 8) | v;
        const c = (win[slot] = win[slot]! + sign);
        if (sign > 0 ? c === 1 : c === 0) d[i & 1]! += sign;
        controls += sign * CONTROL[v]!;
      }
    };
    // The counts first; the logarithms only for a window that has them.
    const opaque = (): boolean => controls >= WINDOW_CONTROLS && d[0]! >= WINDOW_VALUES && d[1]! >= WINDOW_VALUES && windowEntropy(win, 0) >= HIGH && windowEntropy(win, 256) >= HIGH;
    add(from, from + REGION_WINDOW, 1);
    let s = from;
    for (;;) {
      if (opaque()) return s - from;
      if (s + STEP + REGION_WINDOW > to) break;
      add(s, s + STEP, -1);
      add(s + REGION_WINDOW, s + REGION_WINDOW + STEP, 1);
      s += STEP;
    }
    if (!last || s + REGION_WINDOW === to) return -1;
    add(s, to - REGION_WINDOW, -1);
    add(s + REGION_WINDOW, to, 1);
    return opaque() ? to - REGION_WINDOW - from : -1;
  }
}

/** Entropy of one parity of a window: its histogram at lane (256 counts). */
function windowEntropy(win: Int32Array, lane: number): number {
  let n = 0;
  for (let v = 0; v < 256; v++) n += win[lane + v]!;
  let h = 0;
  for (let v = 0; v < 256; v++) {
    const c = win[lane + v]!;
    if (c) h -= (c / n) * Math.log2(c / n);
  }
  return h;
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

/**
 * Does a sample of the block (all four bytes of every fourth 32-bit word: 128 of each 512 bytes) hold 7-bit
 * characters spread evenly enough that a window of them may be random (#denseWindows)? Each 512 bytes' sample on its
 * own (a region of 1 KiB holds one whole, wherever it sits): 96 characters of 7 bits or more, with n² ≥ DENSE_SAMPLE
 * · Σ count² (5.3 bits; characters drawn from 85 values measure some 5.7 in 128, base64 5.4, minified JavaScript
 * 4.9, English 3.9). Counts of 7-bit characters only; the histogram is the caller's (128 values of it used).
 */
function denseSample(counts: Int32Array, words: Int32Array, whole: number, high: boolean): boolean {
  for (let part = 0; part < whole; part += 128) {
    const end = Math.min(whole, part + 128);
    // In a block with bytes of 0x80 or over, those in the sample first, without the histogram: more than 32 and the
    // part cannot pass (CJK text stops here after a few words).
    let over = 0;
    for (let k = part; high && k < end && over <= 32; k += 4) {
      const h = (words[k]! >>> 7) & 0x01010101;
      over += (Math.imul(h, 0x01010101) >>> 24) & 0xff;
    }
    if (over > 32) continue;
    counts.fill(0, 0, 128);
    let n = 0;
    let sq = 0;
    for (let k = part; k < end; k += 4) {
      const x = words[k]!;
      if ((x & 0x80808080) === 0) {
        // Four characters of 7 bits: the common case, without a test each (a value met twice in the word counts
        // right: the increments run left to right).
        sq += 2 * (counts[x & 127]!++ + counts[(x >>> 8) & 127]!++ + counts[(x >>> 16) & 127]!++ + counts[x >>> 24]!++) + 4;
        n += 4;
        continue;
      }
      for (let v = x, j = 0; j < 4; j++, v >>>= 8) {
        if ((v & 0x80) === 0) {
          sq += 2 * counts[v & 127]!++ + 1;
          n++;
        }
      }
      // Repeats past what 128 characters at 5.3 bits allow: this part cannot pass (English and CSV stop about halfway).
      if (sq * DENSE_SAMPLE > 128 * 128) break;
    }
    if (n >= 96 && n * n >= DENSE_SAMPLE * sq) return true;
  }
  return false;
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

/**
 * Fields that an archive's format carries beside its members and its readers pass over (a zip's comments and extra
 * fields, a gzip header's extra field and comment): read as text (scanMeta), but encrypted bytes in one crossed
 * unjudged (1 Dec: 30 KB in a zip comment or a gzip extra field). One of REGION_WINDOW bytes or more is judged
 * as text content is, in windows; `uninspectable` with the archive's type when a window is opaque.
 */
export function judgeField(ctx: InspectContext, field: Uint8Array, mime: string, what: string, path: string | undefined): void {
  if (field.length < REGION_WINDOW) return;
  const m = new OpaqueRegions();
  m.write(field);
  const span = m.finish();
  if (!span) return;
  const held = span.what === 'bytes' ? 'compressed or encrypted bytes' : 'random characters of 7 bits';
  ctx.tally.add({ kind: 'uninspectable', subkind: mime, path, detail: `${what} (${field.length} bytes, which readers of ${mime} pass over) holds ${held} in a form no inspector decodes` });
}
