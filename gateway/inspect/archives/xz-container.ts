import { createHash, type Hash } from 'node:crypto';
import zlib from 'node:zlib';
import { FILTER_NAMES, xzFilter, type XzFilter } from './xz-filters.js';

// An xz file (tukaani.org xz-file-format 1.2.1) walked block by block, so
// that the decoder in use (XZ Embedded in WebAssembly, xz-decompress, which
// reads LZMA2 with no check, CRC32 or CRC64) is given only what it reads,
// and the rest is done here (F8, 1 Dec: `xz --check=sha256` and `xz --x86`
// were refused `archive-limit:unsupported`).
//
// Each block of the input becomes a stream of its own for the decoder: a
// block of LZMA2 alone under a check it reads goes through as it is (its
// header, data and check unchanged, the decoder verifies it); a block with
// filters before LZMA2 (BCJ, delta) is given a header of LZMA2 alone, and a
// block under a check the decoder does not read (SHA-256) goes under none:
// then the filters are undone on the decoder's output (xz-filters.ts) and
// the check verified here (SHA-256 with node:crypto, CRC32 with zlib, CRC64
// below). LZMA2 data is delimited by its chunk headers (§5.3.1 of the LZMA2
// description in the spec: a control byte, the sizes), never decoded here.
// Headers, indexes and footers are checked as xz checks them (CRC32s, the
// index against the blocks, stream padding); what fails is thrown, and the
// caller reports the stream broken.

const MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const FOOTER_MAGIC = 'YZ';
/** Check types the decoder verifies itself. */
const DECODER_CHECKS = new Set([0, 1, 4]);
/** Bytes of a check of each type (§2.1.1.2: 0; 4 for 1–3; 8 for 4–6; 16 for 7–9; 32 for 10–12; 64 for 13–15). */
const checkSize = (c: number): number => (c === 0 ? 0 : 4 << Math.floor((c - 1) / 3));

const crc32 = (b: Buffer): number => zlib.crc32(b);

/** CRC64 as xz computes it (ECMA-182, reflected), in two 32-bit halves. */
const CRC64_LO = new Uint32Array(256);
const CRC64_HI = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const bit = lo & 1;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi >>>= 1;
    if (bit) {
      lo = (lo ^ 0xd7870f42) >>> 0;
      hi = (hi ^ 0xc96c5795) >>> 0;
    }
  }
  CRC64_LO[n] = lo;
  CRC64_HI[n] = hi;
}

/** A running check of a block's uncompressed bytes, as the stream names it. */
class Check {
  readonly #type: number;
  #crc32 = 0;
  #lo = 0xffffffff;
  #hi = 0xffffffff;
  readonly #sha: Hash | null;

  constructor(type: number) {
    this.#type = type;
    this.#sha = type === 10 ? createHash('sha256') : null;
  }

  /** Is this a check verified here (not one of unknown kind, which xz itself only warns of)? */
  get known(): boolean {
    return this.#type === 1 || this.#type === 4 || this.#type === 10;
  }

  update(b: Buffer): void {
    if (this.#type === 1) this.#crc32 = zlib.crc32(b, this.#crc32);
    else if (this.#type === 4) {
      let lo = this.#lo;
      let hi = this.#hi;
      for (let i = 0; i < b.length; i++) {
        const x = (lo ^ b[i]!) & 0xff;
        lo = (((lo >>> 8) | (hi << 24)) ^ CRC64_LO[x]!) >>> 0;
        hi = ((hi >>> 8) ^ CRC64_HI[x]!) >>> 0;
      }
      this.#lo = lo;
      this.#hi = hi;
    } else this.#sha?.update(b);
  }

  digest(): Buffer {
    if (this.#type === 1) {
      const d = Buffer.alloc(4);
      d.writeUInt32LE(this.#crc32 >>> 0);
      return d;
    }
    if (this.#type === 4) {
      const d = Buffer.alloc(8);
      d.writeUInt32LE(~this.#lo >>> 0, 0);
      d.writeUInt32LE(~this.#hi >>> 0, 4);
      return d;
    }
    return this.#sha ? this.#sha.digest() : Buffer.alloc(0);
  }
}

/** A block's output as it comes: its filters (the first of the chain last to undo), its check when it is verified here. */
interface Worked {
  filters: XzFilter[];
  check: Check | null;
  /** Uncompressed bytes, once its end is known. */
  size?: number;
  done: number;
  /** The check as stored, once read. */
  stored?: Buffer;
}

/** A varint of the xz format (§1.2): up to 9 bytes, 7 bits each, least significant first. */
function varint(b: Buffer, p: number, end: number): [number, number] | null {
  let v = 0;
  for (let i = 0; i < 9 && p + i < end; i++) {
    v += (b[p + i]! & 0x7f) * 2 ** (7 * i);
    if (!(b[p + i]! & 0x80)) return i > 0 && b[p + i] === 0 ? null : [v, p + i + 1];
  }
  return null;
}

function writeVarint(v: number, out: number[]): void {
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};

/** A stream header for a stream of check type `check`. */
function streamHeader(check: number): Buffer {
  const flags = Buffer.from([0, check]);
  return Buffer.concat([MAGIC, flags, u32(crc32(flags))]);
}

/** An index of one record (or none) and the stream footer after it. */
function indexAndFooter(record: [number, number] | null, check: number): Buffer {
  const rec: number[] = [0, record ? 1 : 0];
  if (record) {
    writeVarint(record[0], rec);
    writeVarint(record[1], rec);
  }
  while (rec.length % 4) rec.push(0);
  const index = Buffer.from(rec);
  const ix = Buffer.concat([index, u32(crc32(index))]);
  const tail = Buffer.concat([u32(ix.length / 4 - 1), Buffer.from([0, check])]);
  return Buffer.concat([ix, u32(crc32(tail)), tail, Buffer.from(FOOTER_MAGIC, 'latin1')]);
}

/** A block header of LZMA2 alone, with the LZMA2 properties byte given. */
function lzma2Header(props: number): Buffer {
  // size byte, flags (one filter, no sizes), filter ID 0x21, properties size 1, the properties, padding to 8.
  const h = Buffer.from([2, 0, 0x21, 1, props, 0, 0, 0]);
  return Buffer.concat([h, u32(crc32(h))]);
}

type State = 'stream' | 'block' | 'chunk' | 'padding' | 'check' | 'index' | 'footer' | 'after';

/**
 * The input side: xz bytes in, for the decoder xz streams it reads (a stream a block); the output
 * side: the decoder's output in, the file's uncompressed bytes out, filters undone and checks verified.
 */
export class XzBlocks {
  #buf: Buffer = Buffer.alloc(0);
  #state: State = 'stream';
  /** The current stream's flags and check type. */
  #flags: Buffer = Buffer.alloc(2);
  #check = 0;
  /** The current block, as it is walked. */
  #block: { headerSize: number; compressed: number; uncompressed: number; sizes: [number | undefined, number | undefined]; outCheck: number; outHeaderSize: number; worked: Worked } | null = null;
  /** The current stream's blocks: unpadded and uncompressed sizes, for its index. */
  #records: Array<[number, number]> = [];
  #indexSize = 0;
  /** Every block's output, in order; #out is the first not finished (those before are dropped). */
  #blocks: Array<Worked | undefined> = [];
  #out = 0;
  /** Filters named in the file, for what is said of it. */
  readonly names = new Set<string>();

  /** Input bytes; returns the bytes to hand the decoder. Throws on what is not valid xz or not read. */
  input(chunk: Buffer): Buffer[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    const out: Buffer[] = [];
    let p = 0;
    for (;;) {
      const n = this.#step(this.#buf.subarray(p), out);
      if (n === 0) break;
      p += n;
    }
    this.#buf = Buffer.from(this.#buf.subarray(p));
    return out;
  }

  /** The end of the input: throws if the file stops short; a file of no block (`xz < /dev/null`) gives the decoder an empty stream. */
  end(): Buffer[] {
    if (this.#state !== 'after' || this.#buf.length) throw new Error(this.#state === 'after' ? 'stream padding is not a multiple of four bytes' : 'the xz file ends short');
    return this.#blocks.length ? [] : [streamHeader(0), indexAndFooter(null, 0)];
  }

  /** One step of the walk over b; returns the bytes it took (0: it needs more). */
  #step(b: Buffer, out: Buffer[]): number {
    switch (this.#state) {
      case 'stream': {
        if (b.length < 12) return 0;
        if (!b.subarray(0, 6).equals(MAGIC)) throw new Error('not an xz stream header');
        if (b.readUInt32LE(8) !== crc32(b.subarray(6, 8))) throw new Error('stream header CRC32 mismatch');
        if (b[6] !== 0 || b[7]! & 0xf0) throw new Error('unsupported stream flags');
        this.#flags = Buffer.from(b.subarray(6, 8));
        this.#check = b[7]! & 0x0f;
        this.#records = [];
        this.#state = 'block';
        return 12;
      }
      case 'block': {
        if (b.length < 1) return 0;
        if (b[0] === 0) {
          this.#state = 'index';
          return 0 + this.#index(b);
        }
        const size = (b[0]! + 1) * 4;
        if (b.length < size) return 0;
        this.#blockHeader(b.subarray(0, size), out);
        return size;
      }
      case 'chunk':
        return this.#chunk(b, out);
      case 'padding': {
        const blk = this.#block!;
        const pad = (4 - (blk.compressed % 4)) % 4;
        if (b.length < pad) return 0;
        for (let i = 0; i < pad; i++) if (b[i] !== 0) throw new Error('block padding is not zero');
        out.push(Buffer.alloc(pad));
        this.#state = 'check';
        return pad || this.#step(b, out);
      }
      case 'check': {
        const blk = this.#block!;
        const n = checkSize(this.#check);
        if (b.length < n) return 0;
        const stored = Buffer.from(b.subarray(0, n));
        blk.worked.stored = stored;
        if (!blk.worked.check) out.push(stored);
        const [cs, us] = blk.sizes;
        if ((cs !== undefined && cs !== blk.compressed) || (us !== undefined && us !== blk.uncompressed)) throw new Error("a block's sizes are not those its header gives");
        this.#records.push([blk.headerSize + blk.compressed + n, blk.uncompressed]);
        out.push(indexAndFooter([blk.outHeaderSize + blk.compressed + checkSize(blk.outCheck), blk.uncompressed], blk.outCheck));
        this.#block = null;
        this.#state = 'block';
        return n || this.#step(b, out);
      }
      case 'index':
        return this.#index(b);
      case 'footer': {
        if (b.length < 12) return 0;
        if (b.readUInt32LE(0) !== crc32(b.subarray(4, 10))) throw new Error('stream footer CRC32 mismatch');
        if ((b.readUInt32LE(4) + 1) * 4 !== this.#indexSize) throw new Error('the footer does not give the index size');
        if (!b.subarray(8, 10).equals(this.#flags) || b.toString('latin1', 10, 12) !== FOOTER_MAGIC) throw new Error('stream footer does not match its header');
        this.#state = 'after';
        return 12;
      }
      case 'after': {
        // Stream padding (zeros, four at a time), then another stream or the end.
        if (b.length < 4) return 0;
        if (b.readUInt32LE(0) === 0) return 4;
        if (b[0] !== 0xfd) throw new Error('bytes after the xz stream that are not another stream');
        this.#state = 'stream';
        return this.#step(b, out);
      }
    }
    return 0;
  }

  #blockHeader(h: Buffer, out: Buffer[]): void {
    if (h.readUInt32LE(h.length - 4) !== crc32(h.subarray(0, h.length - 4))) throw new Error('block header CRC32 mismatch');
    const flags = h[1]!;
    if (flags & 0x3c) throw new Error('unsupported block flags');
    const end = h.length - 4;
    let p = 2;
    const sizes: [number | undefined, number | undefined] = [undefined, undefined];
    for (const [bit, k] of [[0x40, 0], [0x80, 1]] as const) {
      if (!(flags & bit)) continue;
      const v = varint(h, p, end);
      if (!v) throw new Error('a bad block size field');
      sizes[k] = v[0];
      p = v[1];
    }
    const filters: Array<{ id: number; props: Buffer }> = [];
    for (let i = 0; i <= (flags & 3); i++) {
      const id = varint(h, p, end);
      const size = id && varint(h, id[1], end);
      if (!id || !size || size[1] + size[0] > end) throw new Error('a bad filter flags field');
      filters.push({ id: id[0], props: h.subarray(size[1], size[1] + size[0]) });
      p = size[1] + size[0];
    }
    for (; p < end; p++) if (h[p] !== 0) throw new Error('block header padding is not zero');
    const last = filters[filters.length - 1]!;
    if (last.id !== 0x21 || last.props.length !== 1) throw new XzUnread(`filter ${FILTER_NAMES[last.id] ?? `0x${last.id.toString(16)}`} last in the chain`);
    const before = filters.slice(0, -1).map((f) => {
      this.names.add(FILTER_NAMES[f.id] ?? `0x${f.id.toString(16)}`);
      const d = xzFilter(f.id, f.props);
      if (typeof d === 'string') throw new XzUnread(d);
      return d;
    });
    const passThrough = before.length === 0 && DECODER_CHECKS.has(this.#check);
    const outCheck = passThrough ? this.#check : 0;
    const header = before.length ? lzma2Header(last.props[0]!) : h;
    const worked: Worked = { filters: before.reverse(), check: passThrough ? null : new Check(this.#check), done: 0 };
    this.#blocks.push(worked);
    out.push(streamHeader(outCheck), header);
    this.#block = { headerSize: h.length, compressed: 0, uncompressed: 0, sizes, outCheck, outHeaderSize: header.length, worked };
    this.#state = 'chunk';
  }

  /** One LZMA2 chunk (its control byte, sizes, data) or the end marker, handed on as it is. */
  #chunk(b: Buffer, out: Buffer[]): number {
    if (b.length < 1) return 0;
    const blk = this.#block!;
    const c = b[0]!;
    let head: number;
    let data: number;
    let unpacked: number;
    if (c === 0) {
      out.push(b.subarray(0, 1));
      blk.compressed += 1;
      blk.worked.size = blk.uncompressed;
      this.#state = 'padding';
      return 1;
    }
    if (c === 1 || c === 2) {
      if (b.length < 3) return 0;
      head = 3;
      data = unpacked = b.readUInt16BE(1) + 1;
    } else if (c >= 0x80) {
      head = c >= 0xc0 ? 6 : 5;
      if (b.length < head) return 0;
      unpacked = (c & 0x1f) * 65536 + b.readUInt16BE(1) + 1;
      data = b.readUInt16BE(3) + 1;
    } else throw new Error(`LZMA2 control byte 0x${c.toString(16)} is not valid`);
    if (b.length < head + data) return 0;
    out.push(Buffer.from(b.subarray(0, head + data)));
    blk.compressed += head + data;
    blk.uncompressed += unpacked;
    return head + data;
  }

  /** The index: its records against the stream's blocks, its padding and CRC32. */
  #index(b: Buffer): number {
    const count = varint(b, 1, b.length);
    if (!count) return b.length > 10 ? this.#bad('a bad index') : 0;
    if (count[0] !== this.#records.length) throw new Error('the index does not count the blocks');
    let p = count[1];
    for (const [unpadded, uncompressed] of this.#records) {
      const u = varint(b, p, b.length);
      const v = u && varint(b, u[1], b.length);
      if (!u || !v) return b.length - p > 18 ? this.#bad('a bad index record') : 0;
      if (u[0] !== unpadded || v[0] !== uncompressed) throw new Error('the index does not match its blocks');
      p = v[1];
    }
    const size = p + ((4 - (p % 4)) % 4) + 4;
    if (b.length < size) return 0;
    for (let i = p; i < size - 4; i++) if (b[i] !== 0) throw new Error('index padding is not zero');
    if (b.readUInt32LE(size - 4) !== crc32(b.subarray(0, size - 4))) throw new Error('index CRC32 mismatch');
    this.#indexSize = size;
    this.#state = 'footer';
    return size;
  }

  #bad(why: string): never {
    throw new Error(why);
  }

  /** The decoder's output in; the file's bytes out (filters undone where a block had them). */
  output(d: Buffer): Buffer[] {
    const out: Buffer[] = [];
    while (d.length) {
      this.#finishDone(out);
      const w = this.#blocks[this.#out];
      if (!w) throw new Error('the decoder gave more than the blocks hold');
      // (A block's end is known before the decoder is given the next block: what comes before it is this block's.)
      const n = w.size === undefined ? d.length : Math.min(d.length, w.size - w.done);
      let x = d.subarray(0, n);
      for (const f of w.filters) x = f.write(x);
      w.check?.update(x);
      if (x.length) out.push(x);
      w.done += n;
      d = d.subarray(n);
    }
    return out;
  }

  /** The output's end: the last blocks finished, their checks verified. */
  outputEnd(): Buffer[] {
    const out: Buffer[] = [];
    this.#finishDone(out);
    if (this.#out < this.#blocks.length) throw new Error('the decoder gave less than the blocks hold');
    return out;
  }

  /** Finishes the blocks at the head whose output is all in: their filters' last bytes, their checks. */
  #finishDone(out: Buffer[]): void {
    for (let w = this.#blocks[this.#out]; w && w.size !== undefined && w.done >= w.size; w = this.#blocks[this.#out]) {
      let tail = Buffer.alloc(0);
      for (const f of w.filters) tail = Buffer.concat([f.write(tail), f.end()]);
      w.check?.update(tail);
      if (tail.length) out.push(tail);
      if (w.check?.known && (!w.stored || !w.stored.equals(w.check.digest()))) throw new Error('the block check does not match its data');
      this.#blocks[this.#out++] = undefined;
    }
  }
}

/** An xz stream that is valid but uses what is not read here (a filter of no decoder, IA-64, RISC-V). */
export class XzUnread extends Error {}
