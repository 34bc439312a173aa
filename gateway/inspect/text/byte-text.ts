import { isUtf8 } from 'node:buffer';

// Decoded bytes read as text in the encodings a person's tools write:
// bytesAsText (ASCII, UTF-8, GB2312) and UTF-16 either order, with or without
// a BOM (what PowerShell's [Convert]::ToBase64String of a Unicode string, or
// a hex dump of a Windows text file, holds). UTF-16 is taken only when every
// code unit is text: printable ASCII, general punctuation and symbols (★),
// CJK punctuation, the CJK ideographs, compatibility ideographs or the
// full-width forms. Random bytes pass that test one unit in three, so it is
// asked of six units at least, or of four when one of them is ASCII (a unit
// 00xx, which random bytes make once in 700): random hex or base64 of six
// units reads as text about once in 400, of a hash's sixteen once in 10^7.

const MIN_UNITS = 6;
const MIN_UNITS_ASCII = 4;

/** A UTF-16 code unit of text: printable ASCII, punctuation and symbols (★), CJK punctuation, ideographs, full-width forms. */
export function unitIsText(u: number): boolean {
  if (u < 0x80) return (u >= 0x20 && u < 0x7f) || u === 0x09 || u === 0x0a || u === 0x0d;
  return (u >= 0x2000 && u <= 0x2bff) || (u >= 0x3000 && u <= 0x30ff) || (u >= 0x4e00 && u <= 0x9fff) || (u >= 0xf900 && u <= 0xfaff) || (u >= 0xff00 && u <= 0xffef);
}

/** b as UTF-16 (LE when `le`) when every unit is text, else null. */
function utf16Text(b: Buffer, le: boolean): string | null {
  if (b.length % 2 !== 0 || b.length < MIN_UNITS_ASCII * 2) return null;
  let ascii = false;
  for (let i = 0; i < b.length; i += 2) {
    const u = le ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!;
    if (!unitIsText(u)) return null;
    if (u < 0x80) ascii = true;
  }
  if (!ascii && b.length < MIN_UNITS * 2) return null;
  // (ASCII in UTF-16, an id number, has a NUL every other byte, which bytesAsText refused.)
  return (le ? b : Buffer.from(b).swap16()).toString('utf16le');
}

/** The text these decoded bytes are, or null. */
export function decodedText(b: Buffer): string | null {
  const t = bytesAsText(b);
  if (t !== null) return t;
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    return utf16Text(b.subarray(2), b[0] === 0xff);
  }
  return utf16Text(b, false) ?? utf16Text(b, true);
}

/**
 * Decoded bytes (a base64, base32 or hex token) as text a person would write
 * (ASCII without controls, UTF-8, or GB2312's double-byte characters between
 * ASCII), else null. Ordinary words made of base64's letters (a JSON key,
 * "description", "user1234") decode to bytes that fail this.
 */
export function bytesAsText(b: Buffer): string | null {
  if (b.length < 4) return null;
  let high = false;
  for (const x of b) {
    if ((x < 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d) || x === 0x7f) return null;
    if (x >= 0x80) high = true;
  }
  if (!high) return b.toString('latin1');
  if (isUtf8(b)) return b.toString('utf8');
  return isGb2312Text(b) ? GB18030.decode(b) : null;
}

const GB18030 = new TextDecoder('gb18030');

/** ASCII and GB2312's assigned double-byte rows only, at least two such characters. */
function isGb2312Text(b: Buffer): boolean {
  let pairs = 0;
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (x < 0x80) continue;
    const y = b[i + 1];
    // Rows A1–A9 are symbols (★ is A1EF), B0–F7 characters; AA–AF are unassigned.
    if (x < 0xa1 || (x > 0xa9 && x < 0xb0) || x > 0xf7 || y === undefined || y < 0xa1 || y > 0xfe) return false;
    pairs++;
    i++;
  }
  return pairs >= 2;
}
