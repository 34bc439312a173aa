import { createHash, type Hash } from 'node:crypto';

// A git pack's index, version 2 (`.idx`; gitformat-pack(5)): magic FF 74 4F 63,
// version 2, a fanout of 256 counts, then of N objects the SHA-1 names in
// ascending order, their CRC-32s, their 4-byte offsets (the top bit set: an
// index into the 8-byte offsets after them), then the pack's checksum and the
// SHA-1 of all the index before it. Its names and CRCs are random by nature and
// a large index measured as encrypted data (binfp, 2 Dec: refused
// `uninspectable`). Streamed and held to that layout whole: the fanout never
// falls and ends at N, each name's first byte is its fanout bucket and the names
// ascend, the offsets are those of a pack (one object at 12, right after the
// pack's header, no two at one place, none closer than the smallest object, 9
// bytes, to the next; a large offset past 31 bits, referenced in order), the
// index ends where its count says and its last 20 bytes are the SHA-1 of the
// rest. Cipher text laid in such a file breaks it at once (random offsets are
// neither 12 nor apart); what passes carries 28 bytes an object only as an
// index of names a program wrote on purpose, as the floats of float-arrays.ts do.
// Index version 1 and anything breaking the layout are judged as before.

const MAGIC = 0xff744f63;
const HEAD = 8 + 256 * 4;
/** A pack's header: the first object's offset. */
const FIRST = 12;
/** The smallest object: a header byte and zlib's 8 (78 9C 03 00 00 00 00 01, an empty blob). */
const MIN_OBJECT = 9;
/** Offsets held to be sorted at the end (4 bytes each): an index of more objects is judged as before. */
const MAX_OBJECTS = 1 << 22;

export class PackIndexShape {
  #sha: Hash = createHash('sha1');
  /** Content offset of the next byte. */
  #off = 0;
  /** Bytes of a field cut by a chunk's end. */
  #carry: Buffer = Buffer.alloc(0);
  #broken = false;
  #fanout = new Uint32Array(256);
  #n = 0;
  #prev: Buffer | null = null;
  /** The 31-bit offsets, as read. */
  #offsets: Uint32Array | null = null;
  #small = 0;
  /** valid()'s answer, once the checksum is taken. */
  #verdict: boolean | null = null;
  /** Offsets whose top bit is set: the 8-byte ones that follow, in order. */
  #large = 0;
  /** The content's last 20 bytes, and the SHA-1 of what was before them. */
  #last: Buffer = Buffer.alloc(0);
  #end = -1;

  /** The content held to the layout to its end (call after the last write). */
  valid(): boolean {
    if (this.#broken || this.#end < 0 || this.#off !== this.#end || this.#n === 0) return false;
    return this.#sorted();
  }

  write(chunk: Buffer): void {
    if (this.#broken) return;
    // Other content costs one look (not a SHA-1 of its bytes).
    if (this.#off === 0 && chunk.length >= 4 && chunk.readUInt32BE(0) !== MAGIC) this.#broken = true;
    if (this.#broken) return;
    // The SHA-1 of all but the last 20 bytes: the last 20 held back until more come.
    const all = this.#last.length ? Buffer.concat([this.#last, chunk]) : chunk;
    const keep = Math.min(20, all.length);
    this.#sha.update(all.subarray(0, all.length - keep));
    this.#last = Buffer.from(all.subarray(all.length - keep));
    const b = this.#carry.length ? Buffer.concat([this.#carry, chunk]) : chunk;
    const base = this.#off - this.#carry.length;
    this.#off += chunk.length;
    let i = 0;
    while (!this.#broken) {
      const at = base + i;
      const need = this.#field(at);
      if (need === 0 || i + need > b.length) break;
      this.#read(b, i, at);
      i += need;
    }
    this.#carry = this.#broken ? Buffer.alloc(0) : Buffer.from(b.subarray(i));
    if (this.#end >= 0 && this.#off > this.#end) this.#broken = true;
  }

  /** The size of the field at content offset `at` (0 past the tables: the checksums are read at the end). */
  #field(at: number): number {
    if (at < 8) return 8;
    if (at < HEAD) return 4;
    const n = this.#n;
    const names = HEAD + 20 * n;
    if (at < names) return 20;
    if (at < names + 8 * n) return 4;
    const large = names + 8 * n;
    return at < large + 8 * this.#large ? 8 : 0;
  }

  #read(b: Buffer, i: number, at: number): void {
    const n = this.#n;
    if (at === 0) {
      if (b.readUInt32BE(i) !== MAGIC || b.readUInt32BE(i + 4) !== 2) this.#broken = true;
    } else if (at < HEAD) {
      const k = (at - 8) >> 2;
      const v = b.readUInt32BE(i);
      this.#fanout[k] = v;
      if (k > 0 && v < this.#fanout[k - 1]!) this.#broken = true;
      if (k === 255) this.#tables(v);
    } else if (at < HEAD + 20 * n) {
      const j = (at - HEAD) / 20;
      const name = b.subarray(i, i + 20);
      // Its first byte is its bucket: the fanout counts the names before it, and those up to it.
      const first = name[0]!;
      if ((first > 0 && this.#fanout[first - 1]! > j) || this.#fanout[first]! <= j) this.#broken = true;
      if (this.#prev && Buffer.compare(this.#prev, name) >= 0) this.#broken = true;
      this.#prev = Buffer.from(name);
    } else if (at < HEAD + 24 * n) {
      // CRC-32s: any value.
    } else if (at < HEAD + 28 * n) {
      const v = b.readUInt32BE(i);
      if (v & 0x80000000) {
        if ((v & 0x7fffffff) !== this.#large) this.#broken = true;
        this.#large++;
      } else {
        this.#offsets![this.#small++] = v;
      }
      if (at === HEAD + 28 * n - 4) this.#end = HEAD + 28 * n + 8 * this.#large + 40;
    } else {
      // A large offset: past 31 bits (git writes one only there), under 2^63.
      const hi = b.readUInt32BE(i);
      if (hi === 0 && b.readUInt32BE(i + 4) < 0x80000000) this.#broken = true;
      if (hi & 0x80000000) this.#broken = true;
    }
  }

  /** The fanout's last count is the number of objects: the tables' sizes follow from it. */
  #tables(n: number): void {
    if (n > MAX_OBJECTS) {
      this.#broken = true;
      return;
    }
    this.#n = n;
    this.#offsets = new Uint32Array(n);
    if (n === 0) this.#end = HEAD + 40;
  }

  /** At the end: the index's own checksum, and the 31-bit offsets those of a pack (one at 12, at least MIN_OBJECT apart). */
  #sorted(): boolean {
    if (this.#verdict !== null) return this.#verdict;
    this.#verdict = false;
    if (!this.#sha.digest().equals(this.#last)) return false;
    const offsets = this.#offsets!.subarray(0, this.#small).sort();
    if (offsets[0] !== FIRST) return false;
    for (let k = 1; k < offsets.length; k++) if (offsets[k]! - offsets[k - 1]! < MIN_OBJECT) return false;
    this.#verdict = true;
    return true;
  }
}
