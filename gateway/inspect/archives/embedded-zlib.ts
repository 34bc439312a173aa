import zlib from 'node:zlib';
import { DecompressHandler } from './decompress-handler.js';
import { decodedText } from '../text/byte-text.js';
import { mayStartDeflate } from '../signatures/deflate-head.js';
import { INFLATE_TRIAL as TRIAL, inflatesAt } from '../signatures/compression-magic.js';
import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';

// zlib streams anywhere in binary content of no known type, not only at byte
// 0 (red team, 30 November: a zlib stream 4 KiB into an octet-stream crossed
// unread). Every zlib encoder in use writes a 32 KiB window (CMF 0x78), so
// the four headers 78 01, 78 5E, 78 9C, 78 DA (RFC 1950 §2.2, no preset
// dictionary) are searched natively; random bytes hold one about every 16 KiB.
// Each hit is tried by a bounded synchronous inflate of what follows it:
// only one that inflates without error (random bytes after a header fail
// within a few bytes) is opened as a stream and inspected as content of its
// own, as it streams, one at a time. A stream that turns out not to be one
// is silent (a probe).
// Bare deflate has no header at all: it is tried where a file format would
// put a stream, after padding (a run of 16 or more equal bytes, found by a
// stride of 8), when its first block type is a valid one, and read only when
// what it inflates to is text (bytes-text: ASCII, UTF-8, GB2312, UTF-16).

const HEADS = [0x01, 0x5e, 0x9c, 0xda].map((b) => Buffer.from([0x78, b]));
/** Streams opened per content (each a child inspector): past it, the rest is judged like any binary content. */
const MAX_STREAMS = 64;


/** Bare deflate tries per content (each a bounded synchronous inflate). */
const MAX_RAW_TRIES = 4096;
/** Stride of the search for padding: a run of 2 × PAD_STRIDE equal bytes holds two looks apart by it. */
const PAD_STRIDE = 8;

/** Does b start bare deflate that inflates to text? */
export function inflatesRawToText(b: Buffer): boolean {
  if (!mayStartDeflate(b.subarray(0, 64))) return false;
  let out: Buffer;
  try {
    out = zlib.inflateRawSync(b.subarray(0, TRIAL), { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 1024 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') return false;
    out = zlib.inflateRawSync(b.subarray(0, TRIAL), { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 20 }).subarray(0, 1024);
  }
  return out.length >= 4 && decodedText(out) !== null;
}

/** Where padding (16 or more equal bytes) ends in b from `from`, or -1: the next byte starts a candidate. */
function nextPadEnd(b: Buffer, from: number): number {
  for (let k = from; k + PAD_STRIDE < b.length; k += PAD_STRIDE) {
    const x = b[k]!;
    if (b[k + PAD_STRIDE] !== x) continue;
    let a = k;
    while (a > from && b[a - 1] === x) a--;
    let e = k + PAD_STRIDE;
    while (e < b.length && b[e] === x) e++;
    if (e - a >= 2 * PAD_STRIDE && e < b.length) return e;
    k = e - PAD_STRIDE;
  }
  return -1;
}

/**
 * The first zlib header in b at or after `from`, or -1. `next` holds each header's place found in b by an
 * earlier call (-1: none left; -2: not looked for), `from` never going back: each header is searched for
 * again only once its last place is passed, not all four from `from` at each call (random binary holds a
 * header every 16 KiB, and each search for one that is not there read the rest of the chunk).
 */
function nextHead(b: Buffer, from: number, next: Int32Array): number {
  let best = -1;
  for (let q = 0; q < HEADS.length; q++) {
    let at = next[q]!;
    if (at !== -1 && at < from) at = next[q] = b.indexOf(HEADS[q]!, from);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

export class EmbeddedZlib {
  #ctx: InspectContext;
  #path: string | undefined;
  #open: (name: string) => Member;
  #active: DecompressHandler | null = null;
  #opened = 0;
  #off = 0;
  #rawTries = 0;
  /** Last byte of the previous chunk (a header cut in two). */
  #last = -1;
  /** Offset 0 is the content's own start (tried there already, as zlib or bare deflate). */
  #skipZero: boolean;

  constructor(ctx: InspectContext, path: string | undefined, open: (name: string) => Member, opts: { skipZero: boolean }) {
    this.#ctx = ctx;
    this.#path = path;
    this.#open = open;
    this.#skipZero = opts.skipZero;
  }

  /** Did a stream found here inflate? */
  get decoded(): boolean {
    return this.#opened > 0;
  }

  async update(chunk: Buffer): Promise<void> {
    const base = this.#off;
    this.#off += chunk.length;
    if (this.#active) {
      await this.#active.update(chunk);
      if (this.#active.settled) await this.#close();
      this.#last = chunk.length ? chunk[chunk.length - 1]! : this.#last;
      return;
    }
    if (this.#opened >= MAX_STREAMS) return;
    // A header cut between two chunks: its first byte was the last one of the previous chunk.
    let b = chunk;
    let shift = 0;
    if (this.#last === 0x78 && chunk.length) {
      b = Buffer.concat([Buffer.from([0x78]), chunk]);
      shift = 1;
    }
    this.#last = chunk.length ? chunk[chunk.length - 1]! : this.#last;
    const next = new Int32Array(HEADS.length).fill(-2);
    for (let at = nextHead(b, 0, next); at >= 0; at = nextHead(b, at + 1, next)) {
      const abs = base - shift + at;
      if (abs === 0 && this.#skipZero) continue;
      if (!inflatesAt(b.subarray(at))) continue;
      this.#opened++;
      this.#ctx.members++;
      this.#active = new DecompressHandler(this.#ctx, this.#path, 'zlib', () => this.#open(`zlib@${abs}`), '(zlib)', { probe: true });
      await this.#active.update(b.subarray(at));
      if (!this.#active.settled) return;
      const used = this.#active.consumed;
      await this.#close();
      if (this.#opened >= MAX_STREAMS) return;
      at += Math.max(0, used - 1);
    }
    await this.#raw(b, base - shift);
  }

  async #raw(b: Buffer, base: number): Promise<void> {
    for (let at = nextPadEnd(b, 0); at >= 0 && !this.#active && this.#rawTries < MAX_RAW_TRIES; at = nextPadEnd(b, at + 1)) {
      this.#rawTries++;
      if (!inflatesRawToText(b.subarray(at))) continue;
      this.#opened++;
      this.#ctx.members++;
      const abs = base + at;
      this.#active = new DecompressHandler(this.#ctx, this.#path, 'deflate', () => this.#open(`deflate@${abs}`), '(deflate)', { probe: true });
      await this.#active.update(b.subarray(at));
      if (this.#active.settled) await this.#close();
      if (this.#opened >= MAX_STREAMS) return;
    }
  }

  async #close(): Promise<void> {
    const a = this.#active;
    this.#active = null;
    await a?.finish();
  }

  async finish(): Promise<void> {
    await this.#close();
  }

  abort(): void {
    this.#active?.abort();
    this.#active = null;
  }
}
