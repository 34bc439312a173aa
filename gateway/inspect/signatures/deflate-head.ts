// Is this plausibly the start of a deflate stream (RFC 1951)? A check in
// JavaScript of the first block's header, so that the bounded synchronous
// inflate that proves it (embedded-zlib.ts, about 0.1 ms each, most of it
// zlib's set-up) is run for a few candidates only: random bytes after a zlib
// header pass this about one time in 200 (one in eight before the code-length
// code was held complete and 24 fixed-code symbols decoded, not 8).
//   stored   LEN must be the complement of NLEN (§3.2.4)
//   fixed    the first 24 symbols decode, with no reserved code and no
//            distance reaching before the start of the output (§3.2.6)
//   dynamic  HLIT and HDIST in range, and the code-length code complete:
//            neither over-subscribed nor short (§3.2.7; zlib's inftrees.c)
//   type 3   reserved: never

const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const CL_ORDER_COUNT = 19;
/**
 * Symbols of a fixed-code block decoded before it is let through: random bits make a literal four times in
 * five, so eight let one in seven through (three trials a MiB of random binary, each some 30 µs of zlib);
 * 24 let one in a hundred.
 */
const FIXED_SYMBOLS = 24;

class Bits {
  #b: Buffer;
  #pos = 0;
  constructor(b: Buffer) {
    this.#b = b;
  }
  /** n bits, least significant first; -1 past the end. */
  get(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.#b[this.#pos >> 3];
      if (byte === undefined) return -1;
      v |= ((byte >> (this.#pos & 7)) & 1) << i;
      this.#pos++;
    }
    return v;
  }
  /** One bit of a Huffman code (most significant first when accumulated). */
  bit(): number {
    return this.get(1);
  }
}

/** The next symbol of the fixed literal/length code, -1 past the end, -2 reserved. */
function fixedSymbol(r: Bits): number {
  let c = 0;
  for (let i = 0; i < 7; i++) {
    const x = r.bit();
    if (x < 0) return -1;
    c = (c << 1) | x;
  }
  if (c <= 23) return 256 + c;
  let x = r.bit();
  if (x < 0) return -1;
  c = (c << 1) | x;
  if (c >= 48 && c <= 191) return c - 48;
  if (c >= 192 && c <= 199) return c - 192 + 280 >= 286 ? -2 : c - 192 + 280;
  x = r.bit();
  if (x < 0) return -1;
  c = (c << 1) | x;
  return c >= 400 ? c - 400 + 144 : -2;
}

function lengthExtra(sym: number): number {
  if (sym < 265 || sym === 285) return 0;
  return ((sym - 261) >> 2);
}

export function mayStartDeflate(b: Buffer): boolean {
  if (b.length < 2) return false;
  const r = new Bits(b);
  r.get(1); // BFINAL
  const type = r.get(2);
  if (type === 3) return false;
  if (type === 0) return b.length >= 5 && (b[1]! | (b[2]! << 8)) === (~(b[3]! | (b[4]! << 8)) & 0xffff);
  if (type === 2) {
    const hlit = r.get(5);
    const hdist = r.get(5);
    const hclen = r.get(4);
    if (hlit < 0 || hdist < 0 || hclen < 0 || hlit > 29 || hdist > 29) return hlit < 0 || hdist < 0 || hclen < 0;
    const count = new Array<number>(8).fill(0);
    for (let i = 0; i < hclen + 4 && i < CL_ORDER_COUNT; i++) {
      const l = r.get(3);
      if (l < 0) return true;
      count[l]!++;
    }
    let left = 1;
    for (let len = 1; len <= 7; len++) {
      left = (left << 1) - count[len]!;
      if (left < 0) return false;
    }
    // Complete: zlib refuses a code-length code that is incomplete ("invalid code lengths set": inftrees.c
    // allows an incomplete code only for distances of one code) and one that is empty (no lengths decode).
    return left === 0;
  }
  let out = 0;
  for (let n = 0; n < FIXED_SYMBOLS; n++) {
    const sym = fixedSymbol(r);
    if (sym === -1) return true;
    if (sym === -2) return false;
    if (sym < 256) {
      out++;
      continue;
    }
    if (sym === 256) return true;
    const le = r.get(lengthExtra(sym));
    if (le < 0) return true;
    const len = LEN_BASE[sym - 257]! + le;
    let d = 0;
    for (let i = 0; i < 5; i++) {
      const x = r.bit();
      if (x < 0) return true;
      d = (d << 1) | x;
    }
    if (d >= 30) return false;
    const extra = d < 4 ? 0 : (d >> 1) - 1;
    const e = r.get(extra);
    if (e < 0) return true;
    if (DIST_BASE[d]! + e > out) return false;
    out += len;
  }
  return true;
}
