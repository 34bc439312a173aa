import { OpaqueRegions, type OpaqueSpan } from '../opaque/opaque-regions.js';

// The frames of a zstd stream as it streams (RFC 8878 §3.1), headers only: a
// decoder skips a skippable frame (magic 0x184D2A50-5F, a 32-bit size, that
// many bytes of anything), and 30 KB of encrypted bytes in one crossed a
// gateway unjudged (1 Dec 2026). Each skippable frame's bytes are judged as
// text content is (opaque-regions.ts); the frames that hold data are read by
// their decoder and only their block headers are looked at here.

const ZSTD_MAGIC = 0xfd2fb528;

type Step = 'magic' | 'skip-size' | 'descriptor' | 'header' | 'block' | 'checksum' | 'stop';

export class ZstdFrames {
  #step: Step = 'magic';
  /** Bytes of the header field under way, and how many it needs. */
  #field = Buffer.alloc(8);
  #have = 0;
  #need = 4;
  /** Bytes of a body to pass over (a block, a header's rest) or to judge (a skippable frame) before the next field. */
  #body = 0;
  #after: Step = 'magic';
  #meter: OpaqueRegions | null = null;
  #checksum = false;
  /** The first opaque region of a skippable frame, as offsets in the stream; null when none. */
  opaque: OpaqueSpan | null = null;
  #off = 0;
  #frameAt = 0;
  /** The data block whose body is under way (128 KiB at most): its type (0 raw, 1 RLE, 2 compressed) and its bytes so far. */
  #block: { type: number; raw: Buffer[] } | null = null;
  /** Keep a block's bytes until it ends (the input may stop inside one: cutBlock). */
  #keepBlock: boolean;

  constructor(opts: { keepBlock?: boolean } = {}) {
    this.#keepBlock = opts.keepBlock === true;
  }

  write(b: Buffer): void {
    let i = 0;
    while (i < b.length && this.#step !== 'stop') {
      if (this.#body > 0) {
        const take = Math.min(this.#body, b.length - i);
        this.#meter?.write(b.subarray(i, i + take));
        if (this.#block && this.#block.type !== 1) this.#block.raw.push(Buffer.from(b.subarray(i, i + take)));
        this.#body -= take;
        i += take;
        this.#off += take;
        if (this.#body === 0) this.#bodyDone();
        continue;
      }
      this.#field[this.#have++] = b[i++]!;
      this.#off++;
      if (this.#have === this.#need) {
        this.#have = 0;
        this.#fieldDone();
      }
    }
  }

  /**
   * The stream ended inside a data block (a body cut short, WARC-Truncated): the bytes it holds as they are. A raw
   * block's are what a streaming decoder writes as they come; a compressed block gives a decoder nothing until
   * whole, but the literals it stores raw (RFC 8878 §3.1.1.3.1.1, Raw_Literals_Block) are read all the same, lest
   * text go unread in it. Huffman-coded literals are not decoded here (null).
   */
  cutBlock(): Buffer | null {
    const b = this.#block;
    if (!b || this.#body === 0 || b.type === 1) return null;
    const bytes = Buffer.concat(b.raw);
    if (b.type === 0) return bytes;
    const h = bytes[0] ?? 0;
    if ((h & 3) !== 0) return null;
    const format = (h >> 2) & 3;
    const [at, size] = format === 1 ? [2, (h >> 4) + ((bytes[1] ?? 0) << 4)] : format === 3 ? [3, (h >> 4) + ((bytes[1] ?? 0) << 4) + ((bytes[2] ?? 0) << 12)] : [1, h >> 3];
    return bytes.subarray(at, at + size);
  }

  /** The stream ended: a skippable frame cut short is judged for what it holds. */
  finish(): void {
    if (this.#meter) this.#bodyDone();
  }

  #expect(step: Step, need: number): void {
    this.#step = step;
    this.#need = need;
  }

  #pass(bytes: number, then: Step, need: number): void {
    this.#body = bytes;
    this.#after = then;
    this.#expect(then, need);
    if (bytes === 0) this.#bodyDone();
  }

  #bodyDone(): void {
    this.#block = null;
    const m = this.#meter;
    this.#meter = null;
    const span = m?.finish();
    if (span && !this.opaque) this.opaque = { start: this.#frameAt + span.start, end: this.#frameAt + span.end, what: span.what };
    this.#step = this.#after;
  }

  #fieldDone(): void {
    const f = this.#field;
    switch (this.#step) {
      case 'magic': {
        const magic = f.readUInt32LE(0);
        if (magic === ZSTD_MAGIC) return this.#expect('descriptor', 1);
        if ((magic & 0xfffffff0) === 0x184d2a50) return this.#expect('skip-size', 4);
        return this.#expect('stop', 1);
      }
      case 'skip-size': {
        this.#frameAt = this.#off;
        this.#meter = new OpaqueRegions();
        return this.#pass(f.readUInt32LE(0), 'magic', 4);
      }
      case 'descriptor': {
        const d = f[0]!;
        const single = (d >> 5) & 1;
        this.#checksum = ((d >> 2) & 1) === 1;
        const fcs = [single ? 1 : 0, 2, 4, 8][d >> 6]!;
        const dict = [0, 1, 2, 4][d & 3]!;
        return this.#pass((single ? 0 : 1) + dict + fcs, 'header', 3);
      }
      case 'header': {
        const v = f[0]! | (f[1]! << 8) | (f[2]! << 16);
        const type = (v >> 1) & 3;
        if (type === 3) return this.#expect('stop', 1);
        const last = (v & 1) === 1;
        const then: Step = last ? (this.#checksum ? 'checksum' : 'magic') : 'header';
        const size = type === 1 ? 1 : v >> 3;
        if (size > 0 && this.#keepBlock) this.#block = { type, raw: [] };
        return this.#pass(size, then, then === 'header' ? 3 : 4);
      }
      case 'checksum':
        return this.#expect('magic', 4);
      default:
    }
  }
}
