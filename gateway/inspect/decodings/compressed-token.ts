import zlib from 'node:zlib';
import { decodedText } from '../text/byte-text.js';
import { compressionOf, isZlib } from '../signatures/compression-magic.js';
import { mayStartDeflate } from '../signatures/deflate-head.js';

// A short encoded token (base64, base32, hex) whose bytes are not text may be
// compressed text (red team, 30 November: base64 of gzip, zlib, bare deflate
// or brotli under 64 characters crossed unread, `{"d":"H4sIAAAA…"}`).
//   gzip, zlib  (a header says so) handed on as content of its own, which
//               the content inspector decompresses as it streams, under the
//               expansion and ratio limits, whatever it holds
//   bare deflate, brotli  (no header) tried synchronously, up to 1 MiB of
//               output, and read only when the stream is whole and what it
//               inflates to is text; bare deflate past 1 MiB is handed on
//               as content (the content inspector tries bare deflate at 0)
// Random bytes almost never make a whole deflate or brotli stream, so a
// hash or a key costs a failed try or two and is not read. Tokens in the
// stretches of text of binary content are not tried (text-handler.ts):
// random bytes make short tokens there by the thousand.

const MAX_OUT = 1024 * 1024;

/**
 * Tokens already tried that decompress to nothing: minified code repeats the
 * same identifiers thousands of times, and each failed try costs zlib's
 * set-up and an error (pdf.js's worker: 12 CPU-s, most of it here). A failed
 * try always fails again, so remembering it changes no verdict. Bounded.
 */
const FAILED = new Set<string>();
const MAX_FAILED = 16_384;

/**
 * What the bytes of a token that is not text decompress to: text, bytes to
 * inspect as content, or null. `brotli` false: not tried as brotli (no header
 * to check first), for the radixes that run over identifiers and code by the
 * thousand (radix-runs.ts).
 */
export function compressedToken(b: Buffer, brotli = true): { text: string } | { content: Buffer } | null {
  if (b.length < 8) return null;
  if (compressionOf(b) === 'gzip' || isZlib(b)) return { content: Buffer.from(b) };
  const key = b.toString('latin1');
  if (FAILED.has(key)) return null;
  // The errors of failed tries are dropped unread: no stack trace to build for each.
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const found = tryInflate(b, brotli);
    if (found === null) {
      if (FAILED.size >= MAX_FAILED) FAILED.clear();
      FAILED.add(key);
    }
    return found;
  } finally {
    Error.stackTraceLimit = stackLimit;
  }
}

function tryInflate(b: Buffer, brotli: boolean): { text: string } | { content: Buffer } | null {
  // Bare deflate: a plausible first block header (deflate-head.ts) before zlib is asked.
  if (mayStartDeflate(b.subarray(0, 64))) {
    try {
      const t = decodedText(zlib.inflateRawSync(b, { maxOutputLength: MAX_OUT }));
      if (t !== null) return { text: t };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { content: Buffer.from(b) };
    }
  }
  if (!brotli) return null;
  try {
    const t = decodedText(zlib.brotliDecompressSync(b, { maxOutputLength: MAX_OUT }));
    if (t !== null) return { text: t };
  } catch {
    // not brotli
  }
  return null;
}
