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
// digits and one '-' (or '+') in four at most. A path is passed over only if its decoding is
// not text either: base64 of text (a marking among separators an attacker
// chose to make it look so) is read like any other run.

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
  return decodedText(decoded) === null;
}
