// Matroska and WebM (EBML, `1A 45 DF A3`) walked element by element
// (media-shape.ts): an ID and a size, both variable-length integers; the
// master elements (Segment, Cluster, BlockGroup, Tracks, Tags,
// Attachments, …) entered, every other element's body passed over; each
// child inside its parent, elements one after another to the content's end.
// A Segment or a Cluster of unknown size (a live stream's) ends where an
// element of a level above it starts, or at the content's end. Where the
// bytes lie is judged as for an MP4 (block-cover.ts): covered are the
// element headers, frames (SimpleBlock, Block, BlockAdditional), codec
// setup (CodecPrivate), values of 64 bytes or less (numbers, dates, short
// strings), and an attachment's data (FileData) and a tag's binary value
// (TagBinary), which are read as files of their own; every other byte (a
// Void element, an element of an unknown ID, a long value) is judged by
// 1 KiB blocks. Strings (tags, titles, chapter names) are UTF-8 and read as
// the file's text. Bounded: 16 levels, 2^22 elements, an attachment of
// MAX_HELD bytes (past it: inspection-limit, and its bytes are judged).
import { CoveredWalk, take } from '../opaque/block-cover.js';
import { MAX_HELD } from './bmff-shape.js';

const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const CLUSTER = 0x1f43b675;
const VOID = 0xec;
/** Elements of the Segment's level: they end a Cluster of unknown size. */
const TOP = new Set([0x114d9b74, 0x1549a966, 0x1654ae6b, 0x1c53bb6b, 0x1043a770, 0x1254c367, 0x1941a469, CLUSTER]);
/** Master elements (children are elements). */
const MASTERS = new Set([
  EBML, SEGMENT, CLUSTER, ...TOP,
  0x4dbb, 0xae, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0x6d80, 0x6240, 0x5034, 0x5035, 0x47e7, 0x55b0, 0x55d0, 0x7670, 0x6624, 0x41e4, 0x41e8,
  0xbb, 0xb7, 0xdb, 0x45b9, 0xb6, 0x8f, 0x80, 0x6944, 0x6911, 0x7373, 0x63c0, 0x67c8, 0x61a7, 0xa0, 0x75a1, 0xa6, 0x8e, 0xe8, 0x5854, 0x7e5b, 0x7e7b,
]);
/** Frames and codec data: covered (their content is out of reach, as any media's payload). */
const PAYLOAD = new Set([0xa3, 0xa1, 0xa5, 0x63a2, 0xa2, 0xaf]);
/** Read as a file of its own: an attachment's data, a tag's binary value. */
const FILES = new Map([[0x465c, '(attachment)'], [0x4485, '(tag-binary)']]);
const SMALL = 64;
const MAX_DEPTH = 16;
const MAX_ELEMENTS = 1 << 22;

export class EbmlShape extends CoveredWalk {
  #h = new Uint8Array(12);
  #hN = 0;
  #at = 0;
  #skip = 0;
  #hold: { name: string; buf: Uint8Array; got: number } | null = null;
  #stack: Array<{ id: number; end: number; open?: boolean }> = [];
  #elements = 0;
  #segments = 0;

  write(b: Uint8Array, start: number): string {
    this.cover.measure(b);
    let i = 0;
    while (i < b.length) {
      if (this.#skip > 0) {
        const h = this.#hold;
        const k = take(b, i, this.#skip, h);
        if (h && h.got === h.buf.length) {
          this.#hold = null;
          this.readings.push({ kind: 'content', name: h.name, bytes: Buffer.from(h.buf), decoded: false });
        }
        this.#skip -= k;
        i += k;
        continue;
      }
      if (this.#hN === 0) {
        this.#at = start + i;
        // Parents that end here close.
        while (this.#stack.length && this.#stack[this.#stack.length - 1]!.end <= this.#at) {
          const top = this.#stack.pop()!;
          if (top.end < this.#at) return this.#break(`an element ${top.id.toString(16)} ends at byte ${top.end}, inside its last child`);
        }
      }
      this.#h[this.#hN++] = b[i++]!;
      const why = this.#header();
      if (why) return this.#break(why);
    }
    return '';
  }

  #break(why: string): string {
    this.breakAt = this.#at;
    return why;
  }

  /** A header gathered byte by byte: '' while it holds (complete or not). */
  #header(): string {
    const h = this.#h;
    const idLen = vintLength(h[0]!);
    if (idLen < 1 || idLen > 4) return `no EBML element ID at byte ${this.#at}`;
    if (this.#hN <= idLen) return '';
    const sizeLen = vintLength(h[idLen]!);
    if (sizeLen < 1) return `no EBML element size at byte ${this.#at}`;
    if (this.#hN < idLen + sizeLen) return '';
    const head = this.#hN;
    this.#hN = 0;
    let id = 0;
    for (let k = 0; k < idLen; k++) id = id * 256 + h[k]!;
    let size = h[idLen]! & (0xff >> sizeLen);
    let unknown = size === 0xff >> sizeLen;
    for (let k = 1; k < sizeLen; k++) {
      size = size * 256 + h[idLen + k]!;
      if (h[idLen + k] !== 0xff) unknown = false;
    }
    if (++this.#elements > MAX_ELEMENTS) return `more than ${MAX_ELEMENTS} EBML elements`;
    let parent = this.#stack[this.#stack.length - 1];
    // An element of the Segment's level ends a Cluster of unknown size.
    if (parent?.id === CLUSTER && parent.open && TOP.has(id)) {
      this.#stack.pop();
      parent = this.#stack[this.#stack.length - 1];
    }
    if (!parent && id !== EBML && id !== SEGMENT && id !== VOID) return `an element ${id.toString(16)} at the top of an EBML file, at byte ${this.#at}`;
    if (!parent && id === SEGMENT) this.#segments++;
    if (this.#elements === 1 && id !== EBML) return 'no EBML header';
    this.cover.cover(this.#at, this.#at + head);
    const from = this.#at + head;
    if (unknown) {
      if (id !== SEGMENT && id !== CLUSTER) return `an element ${id.toString(16)} of unknown size at byte ${this.#at}`;
      this.#stack.push({ id, end: parent ? parent.end : Infinity, open: true });
      return '';
    }
    const end = from + size;
    if (parent && end > parent.end) return `an element ${id.toString(16)} at byte ${this.#at} ends at byte ${end}, past its parent (${parent.end})`;
    if (MASTERS.has(id)) {
      if (this.#stack.length >= MAX_DEPTH) return `EBML elements nested deeper than ${MAX_DEPTH} levels`;
      this.#stack.push({ id, end });
      return '';
    }
    const name = FILES.get(id);
    if (name) {
      if (size > MAX_HELD) this.readings.push({ kind: 'limit', name, bytes: Buffer.alloc(0), decoded: false, detail: `a Matroska ${name.slice(1, -1)} of ${size} bytes is over ${MAX_HELD}; not read as a file` });
      else {
        this.cover.cover(from, end);
        if (size > 0) this.#hold = { name, buf: new Uint8Array(size), got: 0 };
      }
    } else if (id !== VOID && (PAYLOAD.has(id) || size <= SMALL)) this.cover.cover(from, end);
    this.#skip = size;
    return '';
  }

  end(total: number): string {
    if (this.#hN > 0) return this.#break(`${this.#hN} bytes at byte ${this.#at} that are no whole EBML element header`);
    if (this.#skip > 0) return `an element body that ends past the content's end (${total})`;
    for (const s of this.#stack) if (s.end !== Infinity && s.end > total) return `an element ${s.id.toString(16)} that ends past the content's end (${total})`;
    if (this.#segments === 0) return 'no Matroska segment';
    return this.judgeUncovered(total, 'an element', 'frame or element');
  }
}

/** The length of a variable-length integer by its first byte (its leading zeros + 1); 0 for a zero byte. */
function vintLength(first: number): number {
  if (first === 0) return 0;
  return Math.clz32(first) - 23;
}
