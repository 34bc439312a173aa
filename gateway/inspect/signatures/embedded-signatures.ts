import { compressionOf } from './compression-magic.js';

// Archives that do not start at byte 0: a zip appended to an image (the
// classic polyglot), a 7z or an xz stream inside a PDF's header trailer.
// Signatures are searched with Buffer.indexOf (native) and each hit is
// checked further, so that the four bytes of a magic number met by chance
// in compressed data do not start a walk.

const MAGICS: Buffer[] = [
  Buffer.from('PK\u0003\u0004', 'latin1'),
  Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), // 7z
  Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), // xz
  Buffer.from('BZh', 'latin1'),
  Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), // zstd
  Buffer.from([0x1f, 0x8b, 0x08]), // gzip
  Buffer.from('Rar!\u001a\u0007', 'latin1'),
];

/** Bytes a signature check needs; a hit nearer the end of a chunk than this waits for the next one. */
export const SIGNATURE_SPAN = 32;

function plausible(b: Buffer, at: number): boolean {
  const h = b.subarray(at, at + SIGNATURE_SPAN);
  if (h[0] === 0x50) {
    // zip local header: version needed ≤ 6.3, a known method, a name of sane length
    if (h.length < 30) return false;
    const version = h.readUInt16LE(4);
    const method = h.readUInt16LE(8);
    const nameLen = h.readUInt16LE(26);
    return version <= 63 && [0, 8, 9, 12, 14, 93, 95, 98, 99].includes(method) && nameLen > 0 && nameLen <= 1024;
  }
  if (h[0] === 0x1f) return h.length >= 10 && (h[3]! & 0xe0) === 0 && [0, 2, 4].includes(h[8]!) && (h[9]! <= 13 || h[9] === 255);
  if (h[0] === 0x42 || h[0] === 0x28) return compressionOf(h) !== undefined && (h[0] !== 0x28 || (h[4]! & 0x08) === 0); // zstd: reserved bit clear
  return true; // 7z, xz, RAR: six or seven bytes of magic
}

/** The first plausible signature in b that has SIGNATURE_SPAN bytes after it, or -1. */
export function findSignature(b: Buffer): number {
  let best = -1;
  const end = b.length - SIGNATURE_SPAN;
  for (const m of MAGICS) {
    for (let at = b.indexOf(m); at >= 0 && at <= end && (best < 0 || at < best); at = b.indexOf(m, at + 1)) {
      if (plausible(b, at)) {
        best = at;
        break;
      }
    }
  }
  return best;
}
