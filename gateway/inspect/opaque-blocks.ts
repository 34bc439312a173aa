// Compressed or encrypted stretches of binary content cannot hold readable
// text; reading them in every encoding is what made binary content slow. A
// block of 512 bytes is opaque when it has almost no zero bytes (structured
// binary and UTF-16/32 text have many) and many other control bytes (text in
// any 8-bit or multi-byte encoding has none, UTF-16 CJK about 5 %, random
// bytes 11 %). One table lookup a byte.

const BLOCK = 512;
const MAX_ZEROS = 10;
const MIN_CONTROLS = 41;

const CONTROL = new Uint8Array(256);
for (let c = 1; c < 0x20; c++) if (c !== 0x09 && c !== 0x0a && c !== 0x0d) CONTROL[c] = 1;
CONTROL[0x7f] = 1;

/** The stretches of b that are not opaque, as [from, to) pairs. */
export function readableStretches(b: Buffer): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let from = 0; from < b.length; from += BLOCK) {
    const to = Math.min(b.length, from + BLOCK);
    let zeros = 0;
    let controls = 0;
    for (let i = from; i < to; i++) {
      const c = b[i]!;
      if (c === 0) zeros++;
      else controls += CONTROL[c]!;
    }
    const opaque = to - from === BLOCK && zeros <= MAX_ZEROS && controls >= MIN_CONTROLS;
    if (!opaque) {
      if (start < 0) start = from;
      continue;
    }
    if (start >= 0) out.push([start, from]);
    start = -1;
  }
  if (start >= 0) out.push([start, b.length]);
  return out;
}
