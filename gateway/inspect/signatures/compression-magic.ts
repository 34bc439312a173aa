import zlib from 'node:zlib';
import { mayStartDeflate } from './deflate-head.js';

// What compression content starts with, by its magic number: a leaf that the
// text tokens (a base64 run that decodes to gzip), the embedded-stream search
// and the decompressor all ask, without the decompressor's codecs.

/** Bytes after a hit given to a trial inflate. */
export const INFLATE_TRIAL = 4096;

/** `br` (brotli) has no magic number: it is never sniffed, only decoded where it is declared (a .br name, Content-Encoding: br). */
export type Compression = 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'zlib' | 'deflate' | 'br';

/** The compression of content by its magic number, if any. */
export function compressionOf(head: Buffer): Compression | undefined {
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 8) return 'gzip';
  if (head.length >= 10 && head.subarray(0, 3).toString('latin1') === 'BZh' && head[3]! >= 0x31 && head[3]! <= 0x39 && head.subarray(4, 10).toString('latin1') === '1AY&SY') return 'bzip2';
  if (head.length >= 6 && head[0] === 0xfd && head.subarray(1, 6).toString('latin1') === '7zXZ\u0000') return 'xz';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return undefined;
}

/** A zlib stream header (RFC 1950 §2.2: deflate, a window of at most 32 KiB, the check bits, no preset dictionary). Two bytes prove little: only for content that is not text. */
export function isZlib(head: Buffer): boolean {
  return head.length >= 2 && (head[0]! & 0x0f) === 8 && head[0]! >> 4 <= 7 && ((head[0]! << 8) | head[1]!) % 31 === 0 && (head[1]! & 0x20) === 0;
}

/** Does b start a zlib stream? (a bounded synchronous inflate: no error, some output) */
export function inflatesAt(b: Buffer): boolean {
  if (!mayStartDeflate(b.subarray(2, 64))) return false;
  try {
    return zlib.inflateSync(b.subarray(0, INFLATE_TRIAL), { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 1024 }).length > 0;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
  }
}
