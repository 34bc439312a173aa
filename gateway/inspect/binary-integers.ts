// Integers stored as binary in records programs serialise (fifth red team,
// N19: contacts whose mobile numbers are integers crossed as msgpack, CBOR,
// BSON, a Python pickle or a NumPy .npy: the names were read, the numbers
// never, since 13812345678 is five to eight bytes, not eleven digits). In
// binary content of no known type, an integer is read where the format's own
// marker says one follows, and written as its digits a line each, for the
// text scanner (a view one level down):
//   msgpack  CF (uint 64), D3 (int 64): big-endian
//   CBOR     1B (uint 64): big-endian
//   BSON     12 (int64), a C string key, then little-endian
//   pickle   8A 05 (LONG1 of 5 bytes, little-endian), in content that starts as a pickle (80 02–05)
//   .npy     the array after a `\x93NUMPY` header whose descr is an 8-byte integer
// Written are integers of 11 digits (a mobile number) only, tested on the
// 32-bit high word before any number is made: a 64-bit value in that range
// has 3 zero bytes above it, which random or ordinary binary seldom holds
// after a marker byte. Longer ones (an id number whole, 15 to 18 digits)
// are not written: random binary gave card numbers (a 16-digit value whose
// Luhn digit holds, one in some hundreds), and every such finding was false.
// 32-bit forms are not read (a marker byte every few hundred in any binary).

const MOBILE_MIN = 10_000_000_000;
const MOBILE_MAX = 100_000_000_000;
const WORD = 2 ** 32;
/** The longest form looked at from its marker: BSON's type byte, a 64-byte key, its NUL, 8 bytes. */
const MAX_FORM = 1 + 64 + 1 + 8;
/** At most this many characters of digits a transfer: past it the view is cut (the content is still read raw). */
const MAX_OUT = 4 * 1024 * 1024;

const ZERO3 = Buffer.alloc(3);
const MARKER = new Uint8Array(256);
for (const m of [0xcf, 0xd3, 0x1b, 0x12, 0x8a]) MARKER[m] = 1;

/** A 64-bit integer from its two 32-bit words, when it has 11 digits; else -1. */
function mobileRange(hi: number, lo: number): number {
  if (hi < 2 || hi > 23) return -1; // 1e10 / 2^32 = 2.3, 1e11 / 2^32 = 23.3
  const v = hi * WORD + lo;
  return v >= MOBILE_MIN && v < MOBILE_MAX ? v : -1;
}

export class BinaryIntegers {
  #tail: Buffer = Buffer.alloc(0);
  /** Offset in the content of #tail's first byte. */
  #pos = 0;
  #out: string[] = [];
  #size = 0;
  /** A .npy array of 64-bit integers: where its data starts, its byte order. */
  #npy: { start: number; le: boolean } | null = null;
  #pickle = false;
  #first = true;

  write(chunk: Buffer): void {
    const b = this.#tail.length ? Buffer.concat([this.#tail, chunk]) : chunk;
    if (this.#first) {
      this.#first = false;
      this.#npy = npyHeader(b);
      this.#pickle = b.length >= 2 && b[0] === 0x80 && b[1]! >= 2 && b[1]! <= 5;
    }
    const stop = b.length - MAX_FORM;
    this.#scan(b, 0, stop);
    const keep = Math.max(stop, 0);
    this.#tail = Buffer.from(b.subarray(keep));
    this.#pos += keep;
  }

  /** The integers found, a line each ('' when none). */
  finish(): string {
    this.#scan(this.#tail, 0, this.#tail.length);
    this.#tail = Buffer.alloc(0);
    return this.#out.length ? `${this.#out.join('\n')}\n` : '';
  }

  #scan(b: Buffer, from: number, to: number): void {
    if (this.#npy || this.#pickle) this.#scanEach(b, from, to);
    else this.#scanZeros(b, from, to);
  }

  /**
   * The markers of msgpack, CBOR and BSON in b[from, to), found from the three zero bytes every 11-digit value
   * has above its high word's low byte (mobileRange: hi is 2 to 23), not byte by byte: random binary holds a
   * marker byte every 50 bytes and three zeros in a row once in 16 MiB, and the marker search byte by byte was
   * some half of random binary's CPU (1 Dec: 256 -> 129 MB per CPU-s). For a big-endian form (CF, D3, 1B) the
   * zeros follow the marker; for BSON they are the value's last three bytes, after the key's NUL, and the marker
   * is the byte before the key (the nearest under 0x20 before the NUL). The same integers as #scanEach, in the
   * same order (by their marker's place).
   */
  #scanZeros(b: Buffer, from: number, to: number): void {
    const found: Array<[number, number]> = [];
    const add = (at: number, v: number): void => {
      if (v >= 0) found.push([at, v]);
    };
    for (let z = b.indexOf(ZERO3, from + 1); z >= 0; z = b.indexOf(ZERO3, z + 1)) {
      const i = z - 1;
      const m = b[i]!;
      if (i < to && (m === 0xcf || m === 0xd3 || m === 0x1b) && i + 9 <= b.length) add(i, mobileRange(b.readUInt32BE(i + 1), b.readUInt32BE(i + 5)));
      const j = z - 6;
      if (j < from + 2 || b[j] !== 0 || j + 9 > b.length) continue;
      let k = j - 1;
      while (k >= from && j - k <= 64 && b[k]! >= 0x20) k--;
      if (k >= from && k < to && k < j - 1 && b[k] === 0x12) add(k, mobileRange(b.readUInt32LE(j + 5), b.readUInt32LE(j + 1)));
    }
    if (found.length > 1) found.sort((x, y) => x[0] - y[0]);
    for (const [, v] of found) this.#put(v);
  }

  /** Byte by byte: a .npy's array, or a pickle's LONG1 (content that starts as a pickle), beside the other forms. */
  #scanEach(b: Buffer, from: number, to: number): void {
    const npy = this.#npy;
    for (let i = from; i < to; i++) {
      if (npy && this.#pos + i >= npy.start) {
        if ((this.#pos + i - npy.start) % 8 === 0 && i + 8 <= b.length) {
          this.#put(npy.le ? mobileRange(b.readUInt32LE(i + 4), b.readUInt32LE(i)) : mobileRange(b.readUInt32BE(i), b.readUInt32BE(i + 4)));
        }
        continue;
      }
      const m = b[i]!;
      if (!MARKER[m]) continue;
      switch (m) {
        case 0xcf:
        case 0xd3:
        case 0x1b:
          if (i + 9 <= b.length) this.#put(mobileRange(b.readUInt32BE(i + 1), b.readUInt32BE(i + 5)));
          break;
        case 0x12: {
          // BSON: a key of printable bytes and its NUL, then the value.
          let j = i + 1;
          while (j < b.length && j - i <= 64 && b[j]! >= 0x20) j++;
          if (j === i + 1 || j + 9 > b.length || b[j] !== 0) break;
          this.#put(mobileRange(b.readUInt32LE(j + 5), b.readUInt32LE(j + 1)));
          break;
        }
        case 0x8a:
          if (this.#pickle && b[i + 1] === 5 && i + 7 <= b.length) this.#put(mobileRange(b[i + 6]!, b.readUInt32LE(i + 2)));
          break;
      }
    }
  }

  #put(v: number): void {
    if (v < 0 || this.#size > MAX_OUT) return;
    const s = String(v);
    this.#out.push(s);
    this.#size += s.length + 1;
  }
}

/** A NumPy array file's 64-bit integer data: `\x93NUMPY`, version, header length, a dict whose descr is `<i8`, `>u8`… */
function npyHeader(b: Buffer): { start: number; le: boolean } | null {
  if (b.length < 10 || b.toString('latin1', 0, 6) !== '\x93NUMPY') return null;
  const v2 = b[6]! >= 2;
  const hlen = v2 ? b.readUInt32LE(8) : b.readUInt16LE(8);
  const at = v2 ? 12 : 10;
  const head = b.toString('latin1', at, Math.min(b.length, at + hlen));
  const d = /'descr'\s*:\s*'([<>|=])[iu]8'/.exec(head);
  if (!d) return null;
  return { start: at + hlen, le: d[1] !== '>' };
}
