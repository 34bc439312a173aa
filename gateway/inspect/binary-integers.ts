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
//   pickle   8A n (LONG1: n = 5 to 8 bytes little-endian, two's complement)
//   .npy     the array after a `\x93NUMPY` header whose descr is an 8- or 4-byte integer
// Only 64-bit forms (a mobile number needs 34 bits): a 32-bit marker is a
// byte any binary holds every few hundred, and would write a random number
// each time. Written are integers of 11 digits (a mobile number) and of 15
// to 18 (an id number whole, old and new; a card number): timestamps in
// seconds or milliseconds (10, 13 digits), sizes and counts are what such
// records hold most, and writing them all cost as much again as the rest of
// the reading of a msgpack log; a random 64-bit value is 19 or 20 digits
// 19 times in 20.

const MOBILE_MIN = 10_000_000_000n;
const MOBILE_MAX = 100_000_000_000n;
const ID_MIN = 100_000_000_000_000n;
const ID_MAX = 1_000_000_000_000_000_000n;
/** The longest form looked at from its marker: BSON's type byte, a 64-byte key, its NUL, 8 bytes. */
const MAX_FORM = 1 + 64 + 1 + 8;
/** At most this many characters of digits a transfer: past it the view is cut (the content is still read raw). */
const MAX_OUT = 4 * 1024 * 1024;

const MARKER = new Uint8Array(256);
for (const m of [0xcf, 0xd3, 0x1b, 0x12, 0x8a]) MARKER[m] = 1;

export class BinaryIntegers {
  #tail: Buffer = Buffer.alloc(0);
  /** Offset in the content of #tail's first byte. */
  #pos = 0;
  #out: string[] = [];
  #size = 0;
  /** A .npy array: where its data starts, its item size and byte order. */
  #npy: { start: number; size: 4 | 8; le: boolean } | null = null;
  #first = true;

  write(chunk: Buffer): void {
    const b = this.#tail.length ? Buffer.concat([this.#tail, chunk]) : chunk;
    if (this.#first) {
      this.#first = false;
      this.#npy = npyHeader(b);
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
    const npy = this.#npy;
    for (let i = from; i < to; i++) {
      if (npy && this.#pos + i >= npy.start) {
        if ((this.#pos + i - npy.start) % npy.size === 0 && i + npy.size <= b.length) {
          this.#put(npy.size === 8 ? (npy.le ? b.readBigInt64LE(i) : b.readBigInt64BE(i)) : BigInt(npy.le ? b.readInt32LE(i) : b.readInt32BE(i)));
        }
        continue;
      }
      const m = b[i]!;
      if (!MARKER[m]) continue;
      const left = b.length - i - 1;
      switch (m) {
        case 0xcf:
        case 0x1b:
          if (left >= 8) this.#put(b.readBigUInt64BE(i + 1));
          break;
        case 0xd3:
          if (left >= 8) this.#put(b.readBigInt64BE(i + 1));
          break;
        case 0x12: {
          // BSON: a key of printable bytes and its NUL, then the value.
          let j = i + 1;
          while (j < b.length && j - i <= 64 && b[j]! >= 0x20) j++;
          if (j === i + 1 || j >= b.length || b[j] !== 0) break;
          if (j + 9 <= b.length) this.#put(b.readBigInt64LE(j + 1));
          break;
        }
        case 0x8a: {
          const n = b[i + 1];
          if (n !== undefined && n >= 5 && n <= 8 && i + 2 + n <= b.length) {
            let v = 0n;
            for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[i + 2 + k]!);
            if (b[i + 1 + n]! & 0x80) v -= 1n << BigInt(8 * n);
            this.#put(v);
          }
          break;
        }
      }
    }
  }

  #put(v: bigint): void {
    if (v < 0n) v = -v;
    if (!((v >= MOBILE_MIN && v < MOBILE_MAX) || (v >= ID_MIN && v < ID_MAX))) return;
    if (this.#size > MAX_OUT) return;
    const s = v.toString();
    this.#out.push(s);
    this.#size += s.length + 1;
  }
}

/** A NumPy array file's integer data: `\x93NUMPY`, version, header length, a dict whose descr is `<i8`, `>u4`… */
function npyHeader(b: Buffer): { start: number; size: 4 | 8; le: boolean } | null {
  if (b.length < 10 || b.toString('latin1', 0, 6) !== '\x93NUMPY') return null;
  const v2 = b[6]! >= 2;
  const hlen = v2 ? b.readUInt32LE(8) : b.readUInt16LE(8);
  const at = v2 ? 12 : 10;
  const head = b.toString('latin1', at, Math.min(b.length, at + hlen));
  const d = /'descr'\s*:\s*'([<>|=])([iu])([48])'/.exec(head);
  if (!d) return null;
  return { start: at + hlen, size: d[3] === '8' ? 8 : 4, le: d[1] !== '>' };
}
