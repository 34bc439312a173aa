import { randomBytes } from 'node:crypto';

// Unique, readable content of a given size for tests about durability and
// delivery, not inspection. Random bytes are refused by the default policy
// (deny-uninspectable: a blob no inspector can read never crosses), so tests
// that need "some file" send lower-case words: no digits (no personal data),
// spaces every few letters (no base64 run), nothing the inspectors flag.
export function textBody(size: number): Buffer {
  const out = Buffer.alloc(size);
  const noise = randomBytes(size);
  let sinceSpace = 0;
  for (let i = 0; i < size; i++) {
    if (sinceSpace >= 3 && (noise[i]! % 5 === 0 || sinceSpace >= 8)) {
      out[i] = i % 61 === 60 ? 0x0a : 0x20;
      sinceSpace = 0;
    } else {
      out[i] = 0x61 + (noise[i]! % 26);
      sinceSpace++;
    }
  }
  return out;
}
