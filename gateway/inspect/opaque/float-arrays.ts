import { EntropyMeter } from './entropy-meter.js';
import { PickleWalk, startsAsPickle } from './pickle-walk.js';

// Doubles a program wrote: a Python pickle's floats (BINFLOAT, pickle-walk.ts)
// and a NumPy .npy array of float64 (`descr` '<f8' or '>f8'). Their sign,
// exponent and mantissa bytes measure as encrypted data (binfp, 2 Dec: a pickle
// of 1,000 floats drawn from a normal distribution, and the .npy of them, were
// refused `uninspectable`). Read as the numbers they hold instead: a value
// that is a whole number of 11 digits is written as its digits (a mobile
// number kept as a float, as pandas keeps an integer column with a gap), for
// the text scanner; and the content is judged by entropy without the 8 bytes
// of every value a program computing measurements writes, the rest (opcodes,
// the header, strings, bytes, any other value) judged as before. A value is
// such a double when it is 0, ±infinity, the NaN every runtime writes
// (7FF8… or FFF8…, no payload) or a normal number of float32's exponent range
// (2^-126 to 2^128, 1.2e-38 to 3.4e38). Random bytes make one seven times in
// eight something else (an exponent of 11 bits outside 254 values, a
// subnormal, a NaN with a payload): cipher text in an .npy declared '<f8' or
// in BINFLOATs leaves most of itself to the meter and stays refused. Values
// crafted into that range carry 61 bits of 64 as numbers, as floats of one
// magnitude (Python's random(), 52 bits) already passed by their entropy: a
// custom encoding of numbers, as decimal digits in text are, not bytes read.
// Content that does not hold to the layout whole (a pickle that does not end
// at its STOP, an opcode no protocol has, an .npy whose data is not its
// shape's) is judged whole, as before.

/** 1e10 and 1e11: a mobile number's 11 digits. */
const MOBILE_MIN = 1e10;
const MOBILE_MAX = 1e11;
/** float32's normal exponents, biased as float64's (1023 - 126, 1023 + 127). */
const EXP_MIN = 897;
const EXP_MAX = 1150;
/** At most this many characters of digits (as binary-integers.ts). */
const MAX_OUT = 4 * 1024 * 1024;
/** A .npy header is read from the content's first bytes: at most this many held for it. */
const MAX_NPY_HEAD = 64 * 1024;

/** Is the double whose high and low 32-bit words these are one a program computing writes (see the head)? */
export function computedDouble(hi: number, lo: number): boolean {
  const e = (hi >>> 20) & 0x7ff;
  const m = hi & 0xfffff;
  if (e === 0) return m === 0 && lo === 0;
  if (e === 0x7ff) return lo === 0 && (m === 0 || m === 0x80000);
  return e >= EXP_MIN && e <= EXP_MAX;
}

/** A NumPy array file of float64: where its data starts, its byte order and how many bytes the shape says. */
interface NpyFloats {
  start: number;
  le: boolean;
  bytes: number;
}

/** The header of an .npy of float64 from the content's first bytes; null when it is not one, undefined when more bytes are needed. */
function npyFloats(b: Buffer): NpyFloats | null | undefined {
  if (b.length < 6) return b.toString('latin1', 0, b.length) === '\x93NUMPY'.slice(0, b.length) ? undefined : null;
  if (b.toString('latin1', 0, 6) !== '\x93NUMPY') return null;
  if (b.length < 12) return undefined;
  const v2 = b[6]! >= 2;
  const at = v2 ? 12 : 10;
  const hlen = v2 ? b.readUInt32LE(8) : b.readUInt16LE(8);
  if (at + hlen > MAX_NPY_HEAD) return null;
  if (b.length < at + hlen) return undefined;
  const head = b.toString('latin1', at, at + hlen);
  const d = /'descr'\s*:\s*'([<>=])f8'/.exec(head);
  const s = /'shape'\s*:\s*\(([\d,\s]*)\)/.exec(head);
  if (!d || !s) return null;
  let count = 1;
  for (const x of s[1]!.split(',')) if (x.trim()) count *= Number(x.trim());
  return { start: at + hlen, le: d[1] !== '>', bytes: count * 8 };
}

export class FloatArrays {
  /** The bytes that are not computed doubles, judged as the content would be. */
  #rest: EntropyMeter;
  #kind: 'unknown' | 'pickle' | 'npy' | 'none' = 'unknown';
  #walk: PickleWalk | null = null;
  #npy: NpyFloats | null = null;
  /** The content's first bytes, held until its kind is known. */
  #head: Buffer = Buffer.alloc(0);
  /** Content offset of the next byte written. */
  #off = 0;
  /** Bytes of an .npy value cut by a chunk's end. */
  #carry: Buffer = Buffer.alloc(0);
  #values = 0;
  #out: string[] = [];
  #size = 0;

  constructor(o: { small?: boolean } = {}) {
    this.#rest = new EntropyMeter({ small: o.small });
  }

  write(chunk: Buffer): void {
    if (this.#kind === 'none') return;
    if (this.#kind === 'unknown') {
      const b = this.#head.length ? Buffer.concat([this.#head, chunk]) : chunk;
      const npy = npyFloats(b);
      if (npy === undefined && b.length < MAX_NPY_HEAD) {
        this.#head = Buffer.from(b);
        return;
      }
      this.#head = Buffer.alloc(0);
      if (npy) {
        this.#kind = 'npy';
        this.#npy = npy;
      } else if (startsAsPickle(b)) {
        this.#kind = 'pickle';
        this.#walk = new PickleWalk({ bytes: (x) => this.#rest.write(x), float: (x) => this.#value(x, false) });
      } else {
        this.#kind = 'none';
        return;
      }
      chunk = b;
    }
    if (this.#walk) {
      this.#walk.write(chunk);
      if (this.#walk.broken) this.#kind = 'none';
      return;
    }
    this.#npyData(chunk);
  }

  /** An .npy's bytes: the header to the meter, then a value every 8 bytes. */
  #npyData(chunk: Buffer): void {
    const npy = this.#npy!;
    let b = chunk;
    let at = this.#off;
    if (this.#carry.length) {
      b = Buffer.concat([this.#carry, chunk]);
      at -= this.#carry.length;
      this.#carry = Buffer.alloc(0);
    }
    this.#off += chunk.length;
    let i = 0;
    if (at < npy.start) {
      i = Math.min(b.length, npy.start - at);
      this.#rest.write(b.subarray(0, i));
    }
    for (; i + 8 <= b.length; i += 8) this.#value(b.subarray(i, i + 8), npy.le);
    if (i < b.length) this.#carry = Buffer.from(b.subarray(i));
  }

  /** A double's 8 bytes: a computed one is read as its number, any other judged with the rest. */
  #value(b: Uint8Array, le: boolean): void {
    const buf = Buffer.from(b.buffer, b.byteOffset, 8);
    const h = le ? buf.readUInt32LE(4) : buf.readUInt32BE(0);
    const lo = le ? buf.readUInt32LE(0) : buf.readUInt32BE(4);
    if (!computedDouble(h, lo)) {
      this.#rest.write(b);
      return;
    }
    this.#values++;
    const v = le ? buf.readDoubleLE(0) : buf.readDoubleBE(0);
    if (v >= MOBILE_MIN && v < MOBILE_MAX && Number.isInteger(v) && this.#size <= MAX_OUT) {
      const s = String(v);
      this.#out.push(s);
      this.#size += s.length + 1;
    }
  }

  /** The content held to its layout whole, with at least one computed double in it: judge it by opaque(), not as a whole. */
  held(): boolean {
    if (this.#values === 0) return false;
    if (this.#kind === 'pickle') return this.#walk!.whole;
    return this.#kind === 'npy' && this.#carry.length === 0 && this.#off - this.#npy!.start === this.#npy!.bytes;
  }

  /** Do the bytes that are not computed doubles look compressed or encrypted (as EntropyMeter judges content)? */
  opaque(): boolean {
    return this.#rest.opaque();
  }

  /** The whole numbers of 11 digits, a line each ('' when none). */
  digits(): string {
    return this.#out.length ? `${this.#out.join('\n')}\n` : '';
  }
}
