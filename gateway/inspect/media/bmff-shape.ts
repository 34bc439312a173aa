// ISO BMFF (ISO/IEC 14496-12: MP4, MOV, M4A, 3GP, HEIF/HEIC, AVIF) walked
// box by box (media-shape.ts): a size and a type (a 64-bit size when the
// size is 1; 0 only for the last box at the top, to the content's end), the
// containers (`moov`, `trak`, `moof`, …) entered, every other box's body
// passed over; boxes one after another to their parent's end and the
// content's. Where the bytes lie is then judged as for a TIFF
// (block-cover.ts): covered are the box headers, the bodies of the boxes
// that hold numbers (`mvhd`, `stsd`, the sample tables, …) and, inside
// `mdat`, the bytes the sample tables point at (`stco`/`co64` chunk offsets,
// `stsc` samples a chunk, `stsz`/`stz2` sizes; in fragments `trun` sizes
// from the `tfhd` or `trex` base and defaults) and the extents of HEIF items
// (`iloc`). Everything else (a `free` or `skip` box, an unknown box, a
// `uuid`, metadata, bytes of `mdat` no sample takes) is judged by 1 KiB
// blocks: more than 1 KiB of them compressed or encrypted and the content
// is not what its head says. Metadata boxes (`udta`, `meta`, `uuid`, `ID32`)
// are held (up to MAX_HELD) and read (media-meta.ts): their strings as text,
// a picture or an item as a file (covered: its own inspector judges it).
// Bounded: 16 levels of boxes, 2^20 boxes, MAX_TABLES bytes of tables held.
import { CoveredWalk, take } from '../opaque/block-cover.js';
import { id3Budget, readBmffMeta } from './media-meta.js';

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'mvex', 'moof', 'traf', 'mfra', 'sinf', 'schi', 'tref', 'iprp', 'ipco', 'grpl', 'stsd']);
/** Boxes whose body is numbers (and short names): covered, not judged. */
const NUMBERS = new Set([
  'ftyp', 'styp', 'mvhd', 'tkhd', 'mdhd', 'hdlr', 'vmhd', 'smhd', 'hmhd', 'nmhd', 'sthd', 'dref', 'stts', 'ctts', 'cslg', 'stss', 'stsh', 'sdtp',
  'sbgp', 'sgpd', 'subs', 'saiz', 'saio', 'elst', 'mehd', 'trex', 'leva', 'mfhd', 'tfdt', 'sidx', 'ssix', 'prft', 'tfra', 'mfro', 'frma', 'schm', 'tenc',
  'pssh', 'senc', 'stdp', 'padb', 'stco', 'co64', 'stsc', 'stsz', 'stz2', 'tfhd', 'trun', 'kind', 'elng', 'btrt', 'pasp', 'colr', 'clap', 'fiel', 'chan',
  'wide', 'pnot', 'load', 'clef', 'prof', 'enof', 'tapt', 'gmhd', 'gmin', 'text', 'tmcd', 'chpl', 'avcC', 'hvcC', 'av1C', 'esds', 'dac3', 'dec3', 'dOps',
  'dfLa', 'vpcC', 'ispe', 'pixi', 'irot', 'imir', 'ipma', 'pitm', 'iref', 'auxC', 'lsel', 'a1op', 'a1lx', 'clli', 'mdcv', 'ccst', 'rloc',
]);
/** Sample entries under `stsd` (their fixed fields, then boxes): passed over whole, as numbers. */
const MAX_DEPTH = 16;
const MAX_BOXES = 1 << 20;
const MAX_TABLES = 64 * 1024 * 1024;
/** A metadata box held to be read. */
export const MAX_HELD = 16 * 1024 * 1024;
/** Table boxes whose bodies are held to find where the samples lie. */
const TABLES = new Set(['stco', 'co64', 'stsc', 'stsz', 'stz2', 'tkhd', 'tfhd', 'trun', 'trex', 'iloc']);
const METADATA = new Set(['udta', 'meta', 'uuid', 'ID32']);

interface Track {
  offsets?: number[];
  stsc?: Array<[number, number]>;
  sizes?: number[];
  fixed?: number;
  count?: number;
}

export class BmffShape extends CoveredWalk {
  #h = new Uint8Array(16);
  #hGot = 0;
  #hNeed = 8;
  #at = 0;
  #skip = 0;
  /** The body held: its box type, where it starts, its bytes. */
  #hold: { type: string; at: number; buf: Uint8Array; got: number; inMeta: boolean } | null = null;
  #stack: Array<{ end: number; type: string }> = [];
  #boxes = 0;
  #held = 0;
  #tracks: Track[] = [];
  #track: Track | null = null;
  #defaults = new Map<number, number>();
  #moof = -1;
  #tfhd: { base: number; size: number; id: number } | null = null;
  #next = -1;
  #toEnd = false;
  /** What this content's ID32 tags may still inflate and give as files (media-meta.ts). */
  readonly #id3Budget = id3Budget();

  write(b: Uint8Array, start: number): string {
    this.cover.measure(b);
    let i = 0;
    while (i < b.length) {
      const pos = start + i;
      // Parents that end here close.
      while (this.#skip === 0 && !this.#hold && this.#hGot === 0 && this.#stack.length && this.#stack[this.#stack.length - 1]!.end <= pos) {
        const top = this.#stack.pop()!;
        if (top.end < pos) return this.#break(pos, `a ${top.type} box ends at byte ${top.end}, inside its last child`);
      }
      if (this.#toEnd) return '';
      if (this.#skip > 0) {
        const h = this.#hold;
        const k = take(b, i, this.#skip, h);
        this.#skip -= k;
        i += k;
        if (this.#skip === 0 && h) {
          this.#hold = null;
          const why = this.#body(h.type, h.at, h.buf, h.inMeta);
          if (why) return this.#break(h.at, why);
        }
        continue;
      }
      if (this.#hGot === 0) this.#at = pos;
      const k = Math.min(this.#hNeed - this.#hGot, b.length - i);
      this.#h.set(b.subarray(i, i + k), this.#hGot);
      this.#hGot += k;
      i += k;
      if (this.#hGot < this.#hNeed) break;
      const why = this.#header();
      if (why) return this.#break(this.#at, why);
    }
    return '';
  }

  #break(at: number, why: string): string {
    this.breakAt = at;
    return why;
  }

  #u32(b: Uint8Array, at: number): number {
    return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  }

  #u64(b: Uint8Array, at: number): number {
    const hi = this.#u32(b, at);
    return hi >= 1 << 21 ? Number.MAX_SAFE_INTEGER : hi * 2 ** 32 + this.#u32(b, at + 4);
  }

  /** A box header gathered (8 bytes, or 16 with a 64-bit size). */
  #header(): string {
    const h = this.#h;
    let size = this.#u32(h, 0);
    const type = String.fromCharCode(h[4]!, h[5]!, h[6]!, h[7]!);
    if (!/^[\x20-\x7e\xa9]{4}$/.test(type)) return `a box with no type at byte ${this.#at}`;
    if (size === 1 && this.#hNeed === 8) {
      this.#hNeed = 16;
      return '';
    }
    const head = this.#hNeed;
    this.#hNeed = 8;
    this.#hGot = 0;
    if (size === 1) size = this.#u64(h, 8);
    const parent = this.#stack[this.#stack.length - 1];
    if (size === 0) {
      // To the content's end: only the last box at the top (an mdat a recorder could not go back to size).
      if (parent) return `a ${type} box of size 0 inside ${parent.type} at byte ${this.#at}`;
      this.#toEnd = true;
      this.cover.cover(this.#at, this.#at + head);
      if (type !== 'mdat') this.#endless = { type, at: this.#at + head };
      return '';
    }
    if (size < head) return `a ${type} box of ${size} bytes at byte ${this.#at}`;
    const end = this.#at + size;
    if (parent && end > parent.end) return `a ${type} box at byte ${this.#at} ends at byte ${end}, past its ${parent.type} box (${parent.end})`;
    if (++this.#boxes > MAX_BOXES) return `more than ${MAX_BOXES} boxes`;
    this.cover.cover(this.#at, this.#at + head);
    const body = size - head;
    const from = this.#at + head;
    const inMeta = this.#stack.some((s) => s.type === 'meta' || s.type === 'udta');
    if (CONTAINERS.has(type) && !inMeta) {
      if (this.#stack.length >= MAX_DEPTH) return `boxes nested deeper than ${MAX_DEPTH} levels`;
      if (type === 'trak') this.#tracks.push((this.#track = {}));
      if (type === 'moof') {
        this.#moof = this.#at;
        this.#next = -1;
      }
      if (type === 'traf') this.#tfhd = null;
      // A sample description's entries hold fixed fields before their boxes: stsd is passed over whole.
      if (type === 'stsd') {
        this.cover.cover(from, end);
        this.#skip = body;
        return '';
      }
      this.#stack.push({ end, type });
      return '';
    }
    if (type === 'mdat') {
      this.#skip = body;
      return '';
    }
    const meta = METADATA.has(type);
    if (meta || TABLES.has(type)) {
      if (meta ? body > MAX_HELD : (this.#held += body) > MAX_TABLES) return `a ${type} box of ${body} bytes at byte ${this.#at}, more than is held`;
      if (!meta) this.cover.cover(from, end);
      this.#hold = { type, at: from, buf: new Uint8Array(body), got: 0, inMeta };
      this.#skip = body;
      if (body === 0) {
        this.#hold = null;
        return this.#body(type, from, new Uint8Array(0), inMeta);
      }
      return '';
    }
    if (NUMBERS.has(type)) this.cover.cover(from, end);
    this.#skip = body;
    return '';
  }

  #endless: { type: string; at: number } | null = null;

  /** A held body: tables read for where the samples lie, metadata read for its text. */
  #body(type: string, at: number, b: Uint8Array, inMeta: boolean): string {
    if (METADATA.has(type)) {
      const r = readBmffMeta(type, b, at, this.#id3Budget);
      for (const [from, to] of r.covered) this.cover.cover(from, to);
      this.readings.push(...r.readings);
      for (const [off, len] of r.extents) this.cover.cover(off, off + len);
      return '';
    }
    if (inMeta) return '';
    const t = this.#track;
    const n = (k: number): number => this.#u32(b, k);
    const count = b.length >= 8 ? n(4) : 0;
    switch (type) {
      case 'stco':
      case 'co64': {
        const w = type === 'co64' ? 8 : 4;
        if (!t || 8 + count * w > b.length) return `a ${type} table that does not fit its box`;
        t.offsets = [];
        for (let k = 0; k < count; k++) t.offsets.push(w === 8 ? this.#u64(b, 8 + k * 8) : n(8 + k * 4));
        return '';
      }
      case 'stsc':
        if (!t || 8 + count * 12 > b.length) return 'an stsc table that does not fit its box';
        t.stsc = [];
        for (let k = 0; k < count; k++) t.stsc.push([n(8 + k * 12), n(12 + k * 12)]);
        return '';
      case 'stsz': {
        if (!t || b.length < 12) return 'an stsz box cut short';
        t.fixed = n(4);
        t.count = n(8);
        if (t.fixed === 0) {
          if (12 + t.count * 4 > b.length) return 'an stsz table that does not fit its box';
          t.sizes = [];
          for (let k = 0; k < t.count; k++) t.sizes.push(n(12 + k * 4));
        }
        return '';
      }
      case 'stz2': {
        if (!t || b.length < 12) return 'an stz2 box cut short';
        const bits = b[7]!;
        const c = n(8);
        if (![4, 8, 16].includes(bits) || 12 + Math.ceil((c * bits) / 8) > b.length) return 'an stz2 table that does not fit its box';
        t.sizes = [];
        for (let k = 0; k < c; k++) t.sizes.push(bits === 16 ? (b[12 + 2 * k]! << 8) | b[13 + 2 * k]! : bits === 8 ? b[12 + k]! : (b[12 + (k >> 1)]! >> (k & 1 ? 0 : 4)) & 15);
        t.fixed = 0;
        t.count = c;
        return '';
      }
      case 'trex':
        if (b.length >= 24) this.#defaults.set(n(4), n(16));
        return '';
      case 'tfhd': {
        if (b.length < 8) return 'a tfhd box cut short';
        const flags = n(0) & 0xffffff;
        let k = 8;
        let base = this.#moof;
        if (flags & 1) {
          base = this.#u64(b, k);
          k += 8;
        } else if (!(flags & 0x20000) && this.#next >= 0) base = this.#next;
        if (flags & 2) k += 4;
        if (flags & 8) k += 4;
        const id = n(4);
        const size = flags & 0x10 ? (k + 4 <= b.length ? n(k) : -1) : this.#defaults.get(id) ?? -1;
        this.#tfhd = { base, size, id };
        return '';
      }
      case 'trun':
        return this.#trun(b);
      default:
        return '';
    }
  }

  /** A track fragment's run: its samples lie from the base plus the data offset, one after another. */
  #trun(b: Uint8Array): string {
    const f = this.#tfhd;
    if (!f || b.length < 8) return 'a trun box with no tfhd before it';
    const flags = this.#u32(b, 0) & 0xffffff;
    const count = this.#u32(b, 4);
    let k = 8;
    let at = f.base;
    if (flags & 1) {
      at = f.base + (this.#u32(b, k) | 0);
      k += 4;
    } else if (this.#next >= 0) at = this.#next;
    if (flags & 4) k += 4;
    const per = ((flags >> 8) & 1) + ((flags >> 9) & 1) + ((flags >> 10) & 1) + ((flags >> 11) & 1);
    if (k + count * per * 4 > b.length) return 'a trun table that does not fit its box';
    let total = 0;
    // No sizes in the table: count × the default, not a walk of up to 2^32-1 samples in 4 bytes (review 7);
    // a total past the content's end is judged at the end (a sample past the content's end).
    if (!(flags & 0x200)) {
      if (count && f.size < 0) return 'a trun sample of no size';
      total = count * f.size;
    } else for (let s = 0; s < count; s++) total += this.#u32(b, k + s * per * 4 + (flags & 0x100 ? 4 : 0));
    this.cover.cover(at, at + total);
    this.#next = at + total;
    return '';
  }

  /** The chunks of each track, at the offsets stco gives, of the sizes of the samples stsc puts in them. */
  #chunks(): string {
    for (const t of this.#tracks) {
      if (!t.offsets || !t.stsc || t.count === undefined) continue;
      let sample = 0;
      let e = -1;
      for (let c = 0; c < t.offsets.length; c++) {
        // The stsc entry in force for chunk c + 1 (first chunks are 1-based and increasing).
        while (e + 1 < t.stsc.length && t.stsc[e + 1]![0] <= c + 1) e++;
        const per = e >= 0 ? t.stsc[e]![1] : 0;
        let len = 0;
        if (t.fixed) {
          // One size for all: count × size, not a walk of stsc's claim (review 7: 2^32-1 samples in 4 bytes).
          const k = Math.max(0, Math.min(per, t.count - sample));
          len = k * t.fixed;
          sample += k;
        } else for (let s = 0; s < per && sample < t.count; s++, sample++) len += t.sizes![sample] ?? 0;
        this.cover.cover(t.offsets[c]!, t.offsets[c]! + len);
      }
    }
    return '';
  }

  end(total: number): string {
    if (this.#toEnd) {
      if (this.#endless) return `a ${this.#endless.type} box of size 0 (to the content's end) at byte ${this.#endless.at}`;
    } else {
      if (this.#hold || this.#skip > 0) return `a box body that ends past the content's end (${total})`;
      if (this.#hGot > 0) return `${this.#hGot} bytes at byte ${this.#at} that are no whole box header`;
      for (const s of this.#stack) if (s.end > total) return `a ${s.type} box that ends past the content's end (${total})`;
    }
    if (this.#boxes === 0) return 'no box';
    this.#chunks();
    return this.judgeUncovered(total, 'a box, a sample or an item', 'box, sample or item');
  }
}
