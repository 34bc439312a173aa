import { findSignature } from '../signatures/embedded-signatures.js';

// A base64 run is decoded from its first character, but its data may begin a
// character or three later: a short line before the block (`…/bitgen.h`, a
// blank line, then the block), a name glued to it by '-' or '_' (both in the
// URL alphabet). Read from the wrong place, every byte of it is noise and what
// it holds is not read. The other three readings are the same bits shifted:
// one character is six bits. A held run (text-handler.ts) is also read so when
// its own reading looks like noise and a shifted one does not (text, or an
// archive's or a compressed stream's signature near its start).

/** The bytes of a run read from `chars` (1–3) characters on, as they stream. */
export class ShiftedRun {
  #skip: number;
  #shift: number;
  #prev = -1;

  constructor(chars: number) {
    const bits = 6 * chars;
    this.#skip = bits >> 3;
    this.#shift = bits & 7;
  }

  push(b: Uint8Array): Buffer {
    let i = 0;
    while (this.#skip > 0 && i < b.length) {
      this.#skip--;
      i++;
    }
    const out = Buffer.allocUnsafe(Math.max(0, b.length - i));
    let n = 0;
    const r = this.#shift;
    for (; i < b.length; i++) {
      const x = b[i]!;
      if (this.#prev >= 0) out[n++] = ((this.#prev << r) | (x >> (8 - r))) & 0xff;
      this.#prev = x;
    }
    return out.subarray(0, n);
  }
}

/** How much of b reads as text: printable ASCII, white space, whole UTF-8 sequences, GB2312 pairs (0 to 1). */
export function textShare(b: Uint8Array): number {
  let good = 0;
  let i = 0;
  // A window's edges may cut a character: its continuation bytes at the start, its lead at the end, are not held against it.
  while (i < 3 && i < b.length && (b[i]! & 0xc0) === 0x80) i++;
  let n = b.length - i;
  for (let k = 1; k <= 3 && k <= b.length; k++) {
    const x = b[b.length - k]!;
    if (x >= 0xc2 && x <= 0xf4 && k < (x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : 2)) {
      n -= k;
      break;
    }
    if ((x & 0xc0) !== 0x80) break;
  }
  const end = i + n;
  while (i < end) {
    const x = b[i]!;
    if ((x >= 0x20 && x < 0x7f) || x === 0x09 || x === 0x0a || x === 0x0d) {
      good++;
      i++;
      continue;
    }
    const len = x >= 0xf0 && x <= 0xf4 ? 4 : x >= 0xe0 ? 3 : x >= 0xc2 && x <= 0xdf ? 2 : 0;
    if (len && i + len <= end && continuation(b, i + 1, len - 1)) {
      good += len;
      i += len;
      continue;
    }
    if (x >= 0xa1 && x <= 0xf7 && i + 1 < end && b[i + 1]! >= 0xa1 && b[i + 1]! <= 0xfe) {
      good += 2;
      i += 2;
      continue;
    }
    i++;
  }
  return n > 0 ? good / n : 0;
}

function continuation(b: Uint8Array, from: number, n: number): boolean {
  for (let k = 0; k < n; k++) if ((b[from + k]! & 0xc0) !== 0x80) return false;
  return true;
}

/**
 * A reading of text: this share of it at least (noise from the wrong place reads 0.5-0.8, with GB2312's wide
 * range; a window of 192 bytes of a certificate's DER read 0.86 shifted, which is why a shifted reading taken
 * as text is read as a view, never judged as content).
 */
const TEXT = 0.85;
/** A run's own reading this clean is text: no other is looked for. Below it (noise reads 0.5-0.8, and a sender could pad the noise towards text), */
const CLEAN = 0.97;
/** a shifted reading is taken beside it when it reads as text and this much better. */
const BETTER = 0.05;
/** A signature this near the start of a shifted reading (a few bytes of the stray line before it). */
const SIGNATURE_NEAR = 48;

function signatureNearStart(b: Buffer): boolean {
  const at = findSignature(b.subarray(0, SIGNATURE_NEAR + 32));
  return at >= 0 && at <= SIGNATURE_NEAR;
}

/** A shifted reading worth taking: as text (a view), or as content when it starts with a signature. */
export interface Alignment {
  shift: number;
  text: boolean;
}

/** The shifts (1–3 characters) to read a held run with too: none when its own reading is clean text or starts with a signature. */
export function otherAlignments(held: Buffer): Alignment[] {
  if (held.length < 24) return [];
  const own = textShare(held);
  if (own >= CLEAN || signatureNearStart(held)) return [];
  const out: Alignment[] = [];
  for (let k = 1; k <= 3; k++) {
    const b = new ShiftedRun(k).push(held);
    const share = textShare(b);
    const text = share >= TEXT && share >= own + BETTER;
    if (text || signatureNearStart(b)) out.push({ shift: k, text });
  }
  return out;
}
