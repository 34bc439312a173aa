import zlib from 'node:zlib';

// Compressed RTF as Outlook stores a message body (PR_RTF_COMPRESSED, the
// `__substg1.0_10090102` stream of a .msg; TNEF's attRtfCompressed carries the
// same blob): MS-OXRTFCP. A 16-byte header (COMPSIZE, RAWSIZE, COMPTYPE, CRC),
// then control bytes whose bits, low first, say whether each next item is a
// literal byte or a 2-byte big-endian reference (12-bit offset into a 4 KiB
// ring dictionary primed with a fixed RTF prefix, 4-bit length + 2); a
// reference to the write position ends the data. Read raw, the body's text is
// cut into literals and references and never appears whole.

const LZFU = 0x75465a4c; // "LZFu": compressed
const MELA = 0x414c454d; // "MELA": stored uncompressed
const PREBUF = Buffer.from(
  '{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx',
  'latin1',
);

/**
 * MS-OXRTFCP 3.1.3.2: CRC-32 (reflected, 0xEDB88320) from 0, with no final inversion: zlib's
 * crc32 with both inversions undone (it starts from ~prev and inverts its result).
 */
export function lzfuCrc(b: Buffer): number {
  return ~zlib.crc32(b, 0xffffffff) >>> 0;
}

/** Whether a stream starts as compressed RTF does (sizes that fit the stream, a known COMPTYPE). */
export function isCompressedRtf(b: Buffer): boolean {
  if (b.length < 16) return false;
  const type = b.readUInt32LE(8);
  return (type === LZFU || type === MELA) && b.readUInt32LE(0) >= 12;
}

export type Lzfu = { ok: true; rtf: Buffer } | { ok: false; rtf: Buffer; why: string };

/**
 * The RTF, at most `max` bytes of it (RAWSIZE is a claim: the output is
 * bounded by what was actually produced, and more than it claims is a reason). A CRC that does not match, or data
 * cut short, still gives what was decompressed, with the reason.
 */
export function lzfuDecompress(b: Buffer, max: number): Lzfu {
  if (!isCompressedRtf(b)) return { ok: false, rtf: Buffer.alloc(0), why: 'not compressed RTF (no LZFu or MELA header)' };
  const compSize = b.readUInt32LE(0);
  const rawSize = b.readUInt32LE(4);
  const type = b.readUInt32LE(8);
  const end = Math.min(b.length, compSize + 4);
  const body = b.subarray(16, end);
  // RAWSIZE is a claim, not a bound: what the data holds past it is read too, and makes the message refused
  // (the review of 1 Dec: RAWSIZE 18 cut the RTF after `{\rtf1\ansi hello}`, and what followed was never read).
  if (type === MELA) {
    const rtf = body.subarray(0, Math.min(body.length, max));
    return body.length > rawSize ? { ok: false, rtf, why: `the RTF holds more than the ${rawSize} bytes its header says` } : { ok: true, rtf };
  }
  const cut = compSize + 4 > b.length;
  const crcOk = lzfuCrc(body) === b.readUInt32LE(12);
  // A control byte and its 8 references (17 bytes) give at most 136 bytes: RAWSIZE is not trusted for the allocation.
  const limit = Math.min(max, body.length * 8);
  const out = Buffer.alloc(limit);
  let n = 0;
  const dict = Buffer.alloc(4096);
  PREBUF.copy(dict);
  let wp = PREBUF.length;
  let ended = false;
  let i = 0;
  outer: while (i < body.length) {
    const ctl = body[i++]!;
    for (let k = 0; k < 8; k++) {
      if (i >= body.length) break outer;
      if (ctl & (1 << k)) {
        if (i + 2 > body.length) break outer;
        const v = body.readUInt16BE(i);
        i += 2;
        const off = v >> 4;
        if (off === wp) {
          ended = true;
          break outer;
        }
        const len = (v & 0x0f) + 2;
        for (let m = 0; m < len; m++) {
          const c = dict[(off + m) & 0xfff]!;
          dict[wp] = c;
          wp = (wp + 1) & 0xfff;
          if (n >= limit) break outer;
          out[n++] = c;
        }
      } else {
        const c = body[i++]!;
        dict[wp] = c;
        wp = (wp + 1) & 0xfff;
        if (n >= limit) break outer;
        out[n++] = c;
      }
    }
  }
  const rtf = out.subarray(0, n);
  if (rawSize > max) return { ok: false, rtf, why: `the compressed RTF says it holds ${rawSize} bytes, over ${max}; the rest was not read` };
  if (n > rawSize) return { ok: false, rtf, why: `the compressed RTF holds more than the ${rawSize} bytes its header says` };
  if (cut) return { ok: false, rtf, why: 'the compressed RTF is cut short' };
  if (!crcOk) return { ok: false, rtf, why: 'the compressed RTF fails its CRC' };
  if (!ended && n < limit) return { ok: false, rtf, why: 'the compressed RTF has no end marker' };
  return { ok: true, rtf };
}
