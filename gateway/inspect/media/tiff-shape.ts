import { CoveredWalk, SLACK } from '../opaque/block-cover.js';

// TIFF (`II*\0`, `MM\0*`; BigTIFF `II+\0`) checked past its header
// (media-shape.ts). file-type names TIFF by its 8-byte header and, when it
// can, the first IFD's tags; encrypted bytes appended to a real TIFF, or put
// where no tag points, crossed as an image. A TIFF is random access: its
// bytes are the header, the IFDs (TIFF 6.0 §2: a count, 12-byte entries, the
// next IFD's offset; BigTIFF: 8, 20, 8), the values of entries too long to
// sit in the entry, and the strips or tiles the offset and byte-count tags
// give (StripOffsets/StripByteCounts, TileOffsets/TileByteCounts,
// JPEGInterchangeFormat/Length). The walk follows IFD0's chain, SubIFDs and
// the Exif, GPS and Interoperability IFDs (bounded: 1,024 IFDs, 4,096
// entries each, 2^20 strips in all, 8,192 values or 8 MiB of them read, a
// tag that points at values once an IFD)
// and gathers the regions they cover (an entry of a type TIFF does not
// define is skipped, as readers do).
// Bytes no region covers (padding between them is a few bytes) are judged
// by entropy at the end, a 1 KiB block at a time: more than SLACK of them in
// compressed or encrypted blocks and the content is not a TIFF.
//
// The file streams past once. Values are read as their bytes pass; an IFD or
// a value behind the point read is taken from the first 64 KiB or the last
// 256 KiB, which are kept (writers put an IFD's values just before or after
// it: libtiff, ffmpeg, Pillow); one further back is a break (judged by
// entropy as a whole, like any media that breaks).
// Not checked: what strips hold (pixels of noise are out of reach, as for any
// media), a maker note's own offsets, FreeOffsets (free space is judged).

const HEAD_KEPT = 64 * 1024;
const BACK_KEPT = 256 * 1024;
const MAX_IFDS = 1024;
const MAX_ENTRIES = 4096;
const MAX_REGIONS = 1 << 20;
/** Values asked for (IFDs, offset arrays) and their bytes, in all: a TIFF of repeated tags costs no more. */
const MAX_WANTS = 8192;
const MAX_WANTED_BYTES = 8 * 1024 * 1024;

/** Bytes of a value of each field type (TIFF 6.0 §2, BigTIFF's 16-18). */
const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8];
const STRIP_OFFSETS = 273;
const STRIP_COUNTS = 279;
const TILE_OFFSETS = 324;
const TILE_COUNTS = 325;
const JPEG_IF = 513;
const JPEG_IF_LENGTH = 514;
const SUB_IFDS = 330;
/** Types an offset or a byte count is written in: SHORT, LONG, IFD, LONG8, IFD8. */
const OFFSET_TYPES = new Set([3, 4, 13, 16, 18]);
/** Exif, GPS and Interoperability IFDs: IFDs of their own, whose next-IFD offset is not followed. */
const PRIVATE_IFDS = new Set([34665, 34853, 40965]);

interface Want {
  at: number;
  buf: Uint8Array;
  got: number;
  then: (b: Uint8Array) => string;
}

export class TiffShape extends CoveredWalk {
  #le = true;
  #big = false;
  #pos = 0;
  #head = new Uint8Array(HEAD_KEPT);
  #back: Array<{ at: number; b: Uint8Array }> = [];
  #backBytes = 0;
  #wants: Want[] = [];
  #ifds = new Set<number>();
  #asked = 0;
  #askedBytes = 0;
  /** Offsets and byte counts of strips or tiles by IFD and tag pair, joined when both are read. */
  #pairs = new Map<string, { offs?: number[]; lens?: number[] }>();

  write(b: Uint8Array, start: number): string {
    this.#pos = start + b.length;
    if (start < HEAD_KEPT) this.#head.set(b.subarray(0, Math.min(b.length, HEAD_KEPT - start)), start);
    this.#back.push({ at: start, b });
    this.#backBytes += b.length;
    while (this.#backBytes - this.#back[0]!.b.length >= BACK_KEPT) this.#backBytes -= this.#back.shift()!.b.length;
    this.cover.measure(b);
    if (start === 0 || (start < 16 && this.#ifds.size === 0 && this.#wants.length === 0)) {
      const why = this.#header();
      if (why) return why;
    }
    for (const w of this.#wants) this.#copy(w, b, start);
    return this.#settle();
  }

  end(total: number): string {
    if (this.#ifds.size === 0 && this.#wants.length === 0) {
      const why = this.#header();
      if (why) return why;
    }
    const pending = this.#wants[0];
    if (pending) return `a TIFF structure at byte ${pending.at} of ${pending.buf.length} bytes ends past the content's end (${total})`;
    for (const [k, p] of this.#pairs) if (!p.offs || !p.lens) return `an IFD's strips, tiles or JPEG image (${k}) have offsets or byte counts but not both`;
    return this.#uncovered(total);
  }

  #u16(b: Uint8Array, at: number): number {
    return this.#le ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!;
  }

  #u32(b: Uint8Array, at: number): number {
    return this.#le ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0 : ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  }

  /** A 64-bit offset or count as a number (exact below 2^53; anything larger is past any content). */
  #u64(b: Uint8Array, at: number): number {
    const lo = this.#u32(b, at + (this.#le ? 0 : 4));
    const hi = this.#u32(b, at + (this.#le ? 4 : 0));
    return hi >= 1 << 21 ? Number.MAX_SAFE_INTEGER : hi * 2 ** 32 + lo;
  }

  #value(b: Uint8Array, at: number, type: number): number {
    const size = TYPE_SIZE[type]!;
    return size === 1 ? b[at]! : size === 2 ? this.#u16(b, at) : size === 4 ? this.#u32(b, at) : this.#u64(b, at);
  }

  #header(): string {
    const need = this.#pos >= 16 ? 16 : 8;
    if (this.#pos < 8) return '';
    const h = this.#head;
    if (!((h[0] === 0x49 && h[1] === 0x49) || (h[0] === 0x4d && h[1] === 0x4d))) return 'no TIFF byte order';
    this.#le = h[0] === 0x49;
    const version = this.#u16(h, 2);
    if (version === 43) {
      if (need < 16) return '';
      if (this.#u16(h, 4) !== 8 || this.#u16(h, 6) !== 0) return 'a BigTIFF header of another offset size';
      this.#big = true;
    } else if (version !== 42) return `a TIFF of version ${version}`;
    this.cover.cover(0, this.#big ? 16 : 8);
    const first = this.#big ? this.#u64(h, 8) : this.#u32(h, 4);
    if (first < (this.#big ? 16 : 8)) return `a first IFD at byte ${first}, inside the header`;
    return this.#ifd(first, true);
  }

  /** Read the IFD at `at`: its count first, then its entries. */
  #ifd(at: number, chain: boolean): string {
    if (this.#ifds.has(at)) return `an IFD at byte ${at} reached twice (a loop)`;
    if (this.#ifds.size >= MAX_IFDS) return `more than ${MAX_IFDS} IFDs`;
    this.#ifds.add(at);
    const countSize = this.#big ? 8 : 2;
    return this.#want(at, countSize, (c) => {
      const n = this.#big ? this.#u64(c, 0) : this.#u16(c, 0);
      if (n === 0 || n > MAX_ENTRIES) return `an IFD of ${n} entries at byte ${at}`;
      const entry = this.#big ? 20 : 12;
      const size = countSize + n * entry + (this.#big ? 8 : 4);
      this.cover.cover(at, at + size);
      return this.#want(at + countSize, size - countSize, (e) => this.#entries(at, e, n, chain));
    });
  }

  #entries(ifd: number, e: Uint8Array, n: number, chain: boolean): string {
    const entry = this.#big ? 20 : 12;
    const inline = this.#big ? 8 : 4;
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const r = i * entry;
      const tag = this.#u16(e, r);
      const type = this.#u16(e, r + 2);
      const count = this.#big ? this.#u64(e, r + 4) : this.#u32(e, r + 4);
      const size = TYPE_SIZE[type] ?? 0;
      // An entry of a type TIFF does not define is skipped, as readers do (its bytes, if out of line, are not covered: judged).
      if (size === 0) continue;
      const bytes = size * count;
      const field = r + (this.#big ? 12 : 8);
      const off = bytes > inline ? (this.#big ? this.#u64(e, field) : this.#u32(e, field)) : -1;
      if (off >= 0) this.cover.cover(off, off + bytes);
      const wanted = tag === STRIP_OFFSETS || tag === STRIP_COUNTS || tag === TILE_OFFSETS || tag === TILE_COUNTS || tag === JPEG_IF || tag === JPEG_IF_LENGTH || tag === SUB_IFDS || PRIVATE_IFDS.has(tag);
      if (!wanted || count === 0) continue;
      if (seen.has(tag)) return `IFD entry ${tag} twice in the IFD at byte ${ifd}`;
      seen.add(tag);
      if (!OFFSET_TYPES.has(type)) return `IFD entry ${tag} at byte ${ifd} of type ${type}`;
      if (this.cover.regions + count > MAX_REGIONS) return `more than ${MAX_REGIONS} strips or tiles`;
      const read = (v: Uint8Array): string => {
        const values = new Array<number>(count);
        for (let k = 0; k < count; k++) values[k] = this.#value(v, k * size, type);
        return this.#tag(ifd, tag, values);
      };
      const why = off >= 0 ? this.#want(off, bytes, read) : read(e.subarray(field, field + inline));
      if (why) return why;
    }
    const next = this.#big ? this.#u64(e, n * entry) : this.#u32(e, n * entry);
    return chain && next !== 0 ? this.#ifd(next, true) : '';
  }

  #tag(ifd: number, tag: number, values: number[]): string {
    if (tag === SUB_IFDS || PRIVATE_IFDS.has(tag)) {
      for (const v of values) {
        const why = this.#ifd(v, tag === SUB_IFDS);
        if (why) return why;
      }
      return '';
    }
    const strips = tag === STRIP_OFFSETS || tag === STRIP_COUNTS;
    const key = `${ifd}:${tag === JPEG_IF || tag === JPEG_IF_LENGTH ? JPEG_IF : strips ? STRIP_OFFSETS : TILE_OFFSETS}`;
    const p = this.#pairs.get(key) ?? {};
    if (tag === STRIP_OFFSETS || tag === TILE_OFFSETS || tag === JPEG_IF) p.offs = values;
    else p.lens = values;
    this.#pairs.set(key, p);
    if (!p.offs || !p.lens) return '';
    this.#pairs.delete(key);
    if (p.offs.length !== p.lens.length) return `${p.offs.length} strip or tile offsets and ${p.lens.length} byte counts in the IFD at byte ${ifd}`;
    for (let i = 0; i < p.offs.length; i++) if (p.lens[i]! > 0) this.cover.cover(p.offs[i]!, p.offs[i]! + p.lens[i]!);
    return '';
  }

  /** Ask for `len` bytes at `at`: from what is kept if they passed, else as they pass. */
  #want(at: number, len: number, then: (b: Uint8Array) => string): string {
    if (++this.#asked > MAX_WANTS || (this.#askedBytes += len) > MAX_WANTED_BYTES) return `TIFF structures of more than ${MAX_WANTS} values or ${MAX_WANTED_BYTES} bytes`;
    const w: Want = { at, buf: new Uint8Array(len), got: 0, then };
    if (at < this.#pos) {
      const why = this.#past(w);
      if (why) return why;
    }
    this.#wants.push(w);
    return '';
  }

  /** Fill a want's bytes that have passed, from the head or the last chunks kept. */
  #past(w: Want): string {
    const to = Math.min(this.#pos, w.at + w.buf.length);
    if (w.at < HEAD_KEPT) {
      const h = Math.min(to, HEAD_KEPT);
      w.buf.set(this.#head.subarray(w.at, h));
      w.got = h - w.at;
    }
    if (w.at + w.got >= to) return '';
    if (w.at + w.got < this.#back[0]!.at) return `a TIFF structure at byte ${w.at}, read at byte ${this.#pos}, too far behind to be read`;
    for (const c of this.#back) this.#copy(w, c.b, c.at);
    return '';
  }

  #copy(w: Want, b: Uint8Array, start: number): void {
    const from = w.at + w.got;
    if (from < start || from >= start + b.length || w.got >= w.buf.length) return;
    const take = Math.min(w.buf.length - w.got, start + b.length - from);
    w.buf.set(b.subarray(from - start, from - start + take), w.got);
    w.got += take;
  }

  /** Run the wants whose bytes are all here (a run may ask for more, behind or ahead). */
  #settle(): string {
    for (let i = 0; i < this.#wants.length; ) {
      const w = this.#wants[i]!;
      if (w.got < w.buf.length) {
        i++;
        continue;
      }
      // Wants a run adds go to the end, and are reached in this pass.
      this.#wants.splice(i, 1);
      const why = w.then(w.buf);
      if (why) return why;
    }
    return '';
  }

  /** Past a break in the structure: the bytes are still measured, for judgeBreak. */
  measure(b: Uint8Array): void {
    this.cover.measure(b);
  }

  /** A broken TIFF is judged by its blocks: more than SLACK bytes of compressed or encrypted ones and it is refused (a raw image cut short is not). */
  judgeBreak(): void {
    if (this.cover.opaqueBytes() > SLACK) this.judged = true;
  }

  /** Bytes no region covers: let go up to SLACK; past it, those in compressed or encrypted blocks make the content not a TIFF. */
  #uncovered(total: number): string {
    return this.judgeUncovered(total, 'a TIFF region', 'IFD entry, strip or tile');
  }
}
