import { decodedText } from './byte-text.js';

// File paths are base64 characters: `libs/spirit/include/boost/spirit/repository/home/qi`
// is a run of 64 of them, and a list of files (a Debian copyright file, `find`
// output, a tar listing, a build log) holds thousands. Each was decoded and
// inspected as content of its own, about 2 ms of CPU for 48 bytes of noise, and
// counted as a member: a list of 11,000 paths was refused `archive-limit:members`
// and a 2 MiB copyright file took 6 s.
//
// A run is a path when its characters are words apart by '/': three slashes
// at least, no segment longer than 24, each segment mostly lower case (upper
// case at most one letter in six after its first, as `AbstractBeanFactory`;
// base64 of UTF-8 or of ASCII digits is two in five), not more than half
// digits and one '-' (or '+') in four at most. A path is passed over only if
// its decoding is not text and holds nothing the default policy refuses, in
// any encoding (holdsText): base64 of text, or of a marking an attacker placed
// in a segment, is read like any other run.

/** Decoded runs longer than this are read as they stream, path or not. */
export const PATH_RUN_MAX = 768;

const MAX_SEGMENT = 24;

/** Is this decoded run the base64 reading of a file path, and nothing else? */
export function isPathRun(decoded: Buffer): boolean {
  if (decoded.length > PATH_RUN_MAX) return false;
  // Re-encoded: the run's own characters but for the bits its last one lost and its padding, and
  // with '+' for a '-' (62 in base64url: `dist-packages`) and '/' for a '_' (63, a separator here too).
  const s = decoded.toString('base64').replace(/=+$/, '');
  const segments = s.split('/');
  if (segments.length < 4) return false;
  for (const seg of segments) {
    if (seg.length > MAX_SEGMENT) return false;
    let upper = 0;
    let digits = 0;
    let hyphens = 0;
    for (let i = 0; i < seg.length; i++) {
      const c = seg.charCodeAt(i);
      if (c >= 0x41 && c <= 0x5a && i > 0) upper++;
      else if (c >= 0x30 && c <= 0x39) digits++;
      else if (c === 0x2b) hyphens++;
    }
    if (upper * 6 > Math.max(6, seg.length) || digits * 2 > seg.length || hyphens * 4 > Math.max(4, seg.length)) return false;
  }
  return decodedText(decoded) === null && !holdsText(decoded);
}

/**
 * What the default policy refuses, in any encoding, inside the noise: the character every marking has (密:
 * UTF-8 E5 AF 86, UTF-16 either order, GBK C3 DC, Big5 B1 4B), six ASCII digits in a row (in one byte or
 * two), or twelve printable ASCII characters. A path decodes to noise that seldom holds one (each is a
 * chance of about one in 65,536 a place); a marking placed in a segment so as to decode cleanly between the
 * slashes' noise (the red team, 30 Nov, evening) does. Keywords of an operator's own are not looked for.
 */
function holdsText(b: Buffer): boolean {
  if (b.indexOf(MI_UTF8) >= 0 || b.indexOf(MI_LE) >= 0 || b.indexOf(MI_BE) >= 0 || b.indexOf(MI_GBK) >= 0 || b.indexOf(MI_BIG5) >= 0) return true;
  let digits = 0;
  let wide = 0;
  let ascii = 0;
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    digits = x >= 0x30 && x <= 0x39 ? digits + 1 : 0;
    ascii = x >= 0x20 && x < 0x7f ? ascii + 1 : 0;
    // UTF-16 digits: a digit byte beside a zero byte, in either order.
    wide = (x >= 0x30 && x <= 0x39 && (b[i + 1] === 0 || b[i - 1] === 0)) || (x === 0 && wide > 0) ? wide + 1 : 0;
    if (digits >= 6 || ascii >= 12 || wide >= 12) return true;
  }
  return false;
}

const MI_UTF8 = Buffer.from('密');
const MI_LE = Buffer.from('密', 'utf16le');
const MI_BE = Buffer.from([0x5b, 0xc6]);
const MI_GBK = Buffer.from([0xc3, 0xdc]);
const MI_BIG5 = Buffer.from([0xb1, 0x4b]);
