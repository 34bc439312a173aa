// FLAC (`fLaC`) walked (media-shape.ts): its metadata blocks (a last-block
// flag, a type, a 24-bit length), then its frames. A frame carries no
// length, but every one starts with a sync code (`FF F8` or `FF F9`) and a
// header whose CRC-8 holds, and ends with a CRC-16 of the whole frame: a
// frame ends where the CRC-16 of its bytes comes out at zero and the next
// header holds (as ffmpeg's parser finds them). A frame whose CRC never
// comes out right (bytes appended, or put inside it without the CRC
// computed again) breaks the walk at its start, and the bytes from there on
// are judged. An ID3v1 tag may end the file. Metadata is held (16 MiB a
// block at most) and read (media-meta.ts): VORBIS_COMMENT's strings as
// text, a PICTURE's description as text and its data as a file;
// APPLICATION, PADDING and blocks of an unknown type as content of their
// own (judged by entropy as any bytes of no known type are).
import { EntropyMeter } from '../opaque/entropy-meter.js';
import { CoveredWalk } from '../opaque/block-cover.js';
import { readFlacBlock } from './media-meta.js';

const CRC8 = new Uint8Array(256);
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  CRC8[i] = c;
  let d = i << 8;
  for (let k = 0; k < 8; k++) d = d & 0x8000 ? ((d << 1) ^ 0x8005) & 0xffff : (d << 1) & 0xffff;
  CRC16[i] = d;
}

const ID3V1 = 128;
const MAX_BLOCK = 16 * 1024 * 1024;
/** A frame header's longest form: sync, 2 bytes, a 7-byte number, 2 + 2 bytes of size and rate, CRC-8. */
const FRAME_HEAD = 16;
/** The longest frame kept (its bytes are judged if its CRC never holds): FLAC's largest blocks are some 600 KB. */
const MAX_FRAME = 1024 * 1024;

/** The length of the frame header at h[0], or 0 when none holds there (-1: more bytes are needed). */
function frameHeader(h: Uint8Array, n: number): number {
  if (n < 4) return -1;
  if (h[0] !== 0xff || (h[1]! & 0xfe) !== 0xf8) return 0;
  const bs = h[2]! >> 4;
  const sr = h[2]! & 15;
  const ch = h[3]! >> 4;
  const ss = (h[3]! >> 1) & 7;
  if (bs === 0 || sr === 15 || ch > 10 || ss === 3 || (h[3]! & 1) !== 0) return 0;
  if (n < 5) return -1;
  const lead = h[4]!;
  const more = lead < 0x80 ? 0 : lead >= 0xfe ? 6 : lead >= 0xfc ? 5 : lead >= 0xf8 ? 4 : lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : -1;
  if (more < 0) return 0;
  const len = 5 + more + (bs === 6 ? 1 : bs === 7 ? 2 : 0) + (sr === 12 ? 1 : sr === 13 || sr === 14 ? 2 : 0) + 1;
  if (n < len) return -1;
  let c = 0;
  for (let k = 0; k < len - 1; k++) c = CRC8[c ^ h[k]!]!;
  return c === h[len - 1] ? len : 0;
}

/** A frame header's coded number (a frame's or a sample's), written as UTF-8 writes a code point. */
function codedNumber(h: Uint8Array): number {
  const lead = h[4]!;
  const more = lead < 0x80 ? 0 : lead >= 0xfe ? 6 : lead >= 0xfc ? 5 : lead >= 0xf8 ? 4 : lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
  let v = more === 0 ? lead : more === 6 ? 0 : lead & (0x3f >> more);
  for (let k = 0; k < more; k++) v = v * 64 + (h[5 + k]! & 0x3f);
  return v;
}

export class FlacShape extends CoveredWalk {
  #pos = 0;
  #magic = 0;
  /** Metadata: a block header gathered, the block held. */
  #meta = true;
  #bh = new Uint8Array(4);
  #bhN = 0;
  #block: { type: number; last: boolean; buf: Uint8Array; got: number } | null = null;
  /** Frames: the CRC-16 since the frame's start, where it started, the last place the CRC came out at zero. */
  #crc = 0;
  #frame = -1;
  #zeroAt = -1;
  #frames = 0;
  /** A candidate header under way (its first bytes), with where it starts and the CRC before it. */
  #cand = new Uint8Array(FRAME_HEAD);
  #candN = 0;
  #candAt = -1;
  /** The CRC-16 came out at zero just before the candidate: it ends the frame under way. */
  #candZero = false;
  /** The last frame's sample rate, channel and sample size codes, and its number. */
  #key = -1;
  #num = -1;
  #bhAt = 0;
  /** The last bytes seen (an ID3v1 tag at the end). */
  #tail = new Uint8Array(ID3V1);
  /** The bytes of the frame under way, judged if its CRC never holds. */
  #keep = new Uint8Array(MAX_FRAME);
  #keepN = 0;

  write(b: Uint8Array, start: number): string {
    let i = 0;
    for (; i < b.length && this.#magic < 4; i++, this.#magic++) if (b[i] !== 'fLaC'.charCodeAt(this.#magic)) return this.#break(0, 'no fLaC signature');
    while (i < b.length && this.#meta) {
      const why = this.#metadata(b, i, start);
      if (typeof why === 'string') return this.#break(start + i, why);
      i = why;
    }
    if (i < b.length) {
      const why = this.#walkFrames(b, i, start);
      if (why) return why;
    }
    this.#pos = start + b.length;
    if (b.length >= ID3V1) this.#tail.set(b.subarray(b.length - ID3V1));
    else {
      this.#tail.copyWithin(0, b.length);
      this.#tail.set(b, ID3V1 - b.length);
    }
    return '';
  }

  #break(at: number, why: string): string {
    this.breakAt = at;
    return why;
  }

  /** Metadata block headers and bodies; the index past what was taken, or why it breaks. */
  #metadata(b: Uint8Array, i: number, start: number): number | string {
    const blk = this.#block;
    if (blk) {
      const k = Math.min(blk.buf.length - blk.got, b.length - i);
      blk.buf.set(b.subarray(i, i + k), blk.got);
      blk.got += k;
      if (blk.got === blk.buf.length) {
        this.#block = null;
        // PADDING is zeros: bytes in it that measure compressed or encrypted are judged here, with the zeros around them left out.
        if (blk.type === 1) {
          const first = blk.buf.findIndex((x) => x !== 0);
          if (first >= 0) {
            let last = blk.buf.length;
            while (blk.buf[last - 1] === 0) last--;
            const m = new EntropyMeter({ small: true });
            m.write(blk.buf.subarray(first, last));
            if (m.opaque()) {
              this.judged = true;
              return `FLAC padding at byte ${start + i + k - blk.got + first} that holds compressed or encrypted bytes`;
            }
          }
        }
        this.readings.push(...readFlacBlock(blk.type, blk.buf));
        if (blk.last) this.#meta = false;
      }
      return i + k;
    }
    if (this.#bhN === 0) this.#bhAt = start + i;
    const k = Math.min(4 - this.#bhN, b.length - i);
    this.#bh.set(b.subarray(i, i + k), this.#bhN);
    this.#bhN += k;
    if (this.#bhN < 4) return i + k;
    this.#bhN = 0;
    const type = this.#bh[0]! & 0x7f;
    const len = (this.#bh[1]! << 16) | (this.#bh[2]! << 8) | this.#bh[3]!;
    if (type === 127 || (type === 0) !== (this.#bhAt === 4) || (type === 0 && len !== 34)) return `a FLAC metadata block of type ${type} and ${len} bytes at byte ${start + i}`;
    if (len > MAX_BLOCK) return `a FLAC metadata block of ${len} bytes`;
    this.#block = { type, last: (this.#bh[0]! & 0x80) !== 0, buf: new Uint8Array(len), got: 0 };
    if (len === 0) return this.#metadata(b, i + k, start);
    return i + k;
  }

  /** Frames: the CRC-16 runs over every byte; a sync where it is zero starts a candidate header. */
  #walkFrames(b: Uint8Array, i: number, start: number): string {
    let crc = this.#crc;
    for (; i < b.length; i++) {
      const c = b[i]!;
      if (this.#frame < 0 && this.#candAt < 0 && c !== 0xff) return this.#break(start + i, `no FLAC frame at byte ${start + i}`);
      if (this.#keepN === MAX_FRAME) return this.#break(this.#frame, `a FLAC frame at byte ${this.#frame} longer than ${MAX_FRAME} bytes`);
      this.#keep[this.#keepN++] = c;
      if (this.#candAt >= 0) {
        this.#cand[this.#candN++] = c;
        const len = frameHeader(this.#cand, this.#candN);
        if (len > 0) {
          // The sample rate, the sample size and the number of channels (their assignment changes frame by frame).
          const ch = this.#cand[3]! >> 4;
          const key = ((this.#cand[2]! & 15) << 8) | ((this.#cand[3]! & 0x0e) << 3) | (ch < 8 ? ch : 1);
          const num = codedNumber(this.#cand);
          if (!this.#candZero) this.#candAt = -1;
          // A header of the same stream further on, where the frame under way does not end: that frame was
          // broken (bytes put inside it), and is judged by itself (what follows, by media-shape.ts).
          if (!this.#candZero && key === this.#key && num > this.#num) {
            const m = new EntropyMeter({ small: true });
            m.write(this.#keep.subarray(0, this.#keepN - this.#candN));
            this.judged = m.opaque();
            this.#crc = crc;
            return this.#break(this.#frame, `a FLAC frame at byte ${this.#frame} whose CRC-16 does not hold before the next frame`);
          }
          if (this.#candZero) {
            this.#key = key;
            this.#num = num;
            // A new frame from the candidate on: its CRC from its first byte.
            this.#frame = this.#candAt;
            this.#frames++;
            this.#candAt = -1;
            this.#keep.set(this.#cand.subarray(0, this.#candN));
            this.#keepN = this.#candN;
            crc = 0;
            for (let k = 0; k < this.#candN; k++) crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ this.#cand[k]!]!;
            continue;
          }
        }
        if (len === 0) {
          if (this.#frame < 0) return this.#break(this.#candAt, `no FLAC frame at byte ${this.#candAt}`);
          this.#candAt = -1;
        }
      } else if (c === 0xff) {
        this.#cand[0] = c;
        this.#candN = 1;
        this.#candAt = start + i;
        this.#candZero = crc === 0 || this.#frame < 0;
      }
      crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >> 8) ^ c]!;
      if (crc === 0) this.#zeroAt = start + i + 1;
    }
    this.#crc = crc;
    return '';
  }

  end(total: number): string {
    if (this.#magic < 4) return 'no fLaC signature';
    if (this.#meta) return this.#break(total, 'FLAC metadata with no last block');
    if (this.#frames === 0) return total > this.#pos ? 'no FLAC frame' : '';
    if (this.#zeroAt === total) return '';
    // An ID3v1 tag after the last frame.
    const tag = this.#tail;
    if (this.#zeroAt === total - ID3V1 && tag[0] === 0x54 && tag[1] === 0x41 && tag[2] === 0x47) return '';
    const m = new EntropyMeter({ small: true });
    m.write(this.#keep.subarray(0, this.#keepN));
    this.judged = m.opaque();
    return this.#break(this.#frame, `a FLAC frame at byte ${this.#frame} whose CRC-16 does not hold to the content's end (${total})`);
  }
}
