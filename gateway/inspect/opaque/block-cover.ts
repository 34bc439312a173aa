// Random-access media (TIFF, ISO BMFF) say where their parts lie: the bytes
// they cover are the format's, and any other bytes are judged. Every 1 KiB
// block's entropy is measured as the content streams (one bit a block); at
// the end the bytes no region covers are gathered, and those lying in blocks
// that measure compressed or encrypted (7.2 bits a byte) and are mostly
// uncovered count: more than SLACK of them and the content is not the media
// its head says (tiff-shape.ts, bmff-shape.ts).

import type { MediaReading } from '../media/media-meta.js';

/** Uncovered bytes judged compressed or encrypted that are let go (alignment, a writer's stray bytes). */
export const SLACK = 1024;
const BLOCK = 1024;
/** Shannon entropy (bits a byte) of a 1 KiB block at or above which it is compressed or encrypted (random: 7.8; text under 6.5). */
const HIGH = 7.2;

/** c·log2(c) for block counts. */
const CLOGC = new Float64Array(BLOCK + 1);
for (let c = 2; c <= BLOCK; c++) CLOGC[c] = c * Math.log2(c);

export class BlockCover {
  /** Covered regions, as [start, end) pairs. */
  #regions: number[] = [];
  /** Entropy of each 1 KiB block: 1 where compressed or encrypted. */
  #high = new Uint8Array(64);
  #blocks = 0;
  #hist = new Uint16Array(256);
  #n = 0;

  /** Regions covered so far. */
  get regions(): number {
    return this.#regions.length / 2;
  }

  cover(from: number, to: number): void {
    if (to > from) this.#regions.push(from, to);
  }

  measure(b: Uint8Array): void {
    const hist = this.#hist;
    for (let i = 0; i < b.length; ) {
      const take = Math.min(b.length - i, BLOCK - this.#n);
      for (let k = i; k < i + take; k++) hist[b[k]!]!++;
      this.#n += take;
      i += take;
      if (this.#n === BLOCK) this.#close();
    }
  }

  /** Bytes in compressed or encrypted blocks, in all (a broken file judged as a whole). */
  opaqueBytes(): number {
    if (this.#n >= BLOCK / 2) this.#close();
    let high = 0;
    for (let k = 0; k < this.#blocks; k++) high += this.#high[k]!;
    return high * BLOCK;
  }

  #close(): void {
    let s = 0;
    for (let v = 0; v < 256; v++) s += CLOGC[this.#hist[v]!]!;
    const h = Math.log2(this.#n) - s / this.#n;
    if (this.#blocks >= this.#high.length) {
      const grown = new Uint8Array(this.#high.length * 2);
      grown.set(this.#high);
      this.#high = grown;
    }
    this.#high[this.#blocks++] = h >= HIGH ? 1 : 0;
    this.#hist.fill(0);
    this.#n = 0;
  }

  /**
   * Bytes no region covers: let go up to SLACK; past it, those in compressed or encrypted blocks are
   * reported (where they start and how many), or a region that ends past the content. null: nothing to say.
   */
  uncovered(total: number): { past: [number, number] } | { opaque: number; first: number } | null {
    if (this.#n >= BLOCK / 2) this.#close();
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < this.#regions.length; i += 2) pairs.push([this.#regions[i]!, this.#regions[i + 1]!]);
    pairs.sort((a, b) => a[0] - b[0]);
    const gaps: Array<[number, number]> = [];
    let end = 0;
    for (const [from, to] of pairs) {
      if (to > total) return { past: [from, to] };
      if (from > end) gaps.push([end, from]);
      end = Math.max(end, to);
    }
    if (end < total) gaps.push([end, total]);
    let loose = 0;
    for (const [a, b] of gaps) loose += b - a;
    if (loose <= SLACK) return null;
    // Uncovered bytes of each block; a block counts when most of it is uncovered and it measures compressed or encrypted.
    const per = new Map<number, number>();
    for (const [a, b] of gaps) {
      for (let k = Math.floor(a / BLOCK); k * BLOCK < b; k++) per.set(k, (per.get(k) ?? 0) + Math.min(b, (k + 1) * BLOCK) - Math.max(a, k * BLOCK));
    }
    let opaque = 0;
    let first = -1;
    for (const [k, n] of per) {
      if (k < this.#blocks && this.#high[k] === 1 && n >= Math.min(BLOCK, total - k * BLOCK) / 2) {
        opaque += n;
        if (first < 0 || k < first) first = k;
      }
    }
    return opaque <= SLACK ? null : { opaque, first: first * BLOCK };
  }
}

/** A body held as it passes. */
export interface Held {
  buf: Uint8Array;
  got: number;
}

/** Up to `left` bytes of b from i, copied into the body held (when one is): how many were taken. */
export function take(b: Uint8Array, i: number, left: number, h: Held | null): number {
  const k = Math.min(left, b.length - i);
  if (h) {
    h.buf.set(b.subarray(i, i + k), h.got);
    h.got += k;
  }
  return k;
}

/** A walk of random-access media that covers what it knows and judges the rest (bmff-shape.ts, ebml-shape.ts, tiff-shape.ts), and may hold metadata to read. */
export abstract class CoveredWalk {
  /** The content was judged: bytes no part of the format covers are compressed or encrypted. */
  judged = false;
  /** Where the walk broke (-1 while it holds): the bytes from there on are judged (media-shape.ts). */
  breakAt = -1;
  protected readonly cover = new BlockCover();
  protected readings: MediaReading[] = [];

  /** Metadata held and read since the last call (texts and files), for the text handler to open. */
  takeReadings(): MediaReading[] {
    const r = this.readings;
    this.readings = [];
    return r;
  }

  /** At the end: '' when the uncovered bytes pass, else why (`region`: what ended past the content; `parts`: what covers bytes). */
  protected judgeUncovered(total: number, region: string, parts: string): string {
    const u = this.cover.uncovered(total);
    if (!u) return '';
    if ('past' in u) return `${region} at byte ${u.past[0]} ends at byte ${u.past[1]}, past the content's end (${total})`;
    this.judged = true;
    return `${u.opaque} bytes from byte ${u.first} on that no ${parts} covers are compressed or encrypted`;
  }
}
