// What an xz stream asks of its decoder (tukaani.org xz-file-format 1.2.1,
// §2.1.1.2 check types, §3.1 block header, §5.3 filter IDs). The decoder in
// use (xz-decompress, XZ Embedded in WebAssembly) reads LZMA2 with no check,
// CRC32 or CRC64; a stream that needs more is not broken, it is one the
// inspectors cannot read, and is named so.

const CHECKS: Record<number, string> = { 0: 'none', 1: 'CRC32', 4: 'CRC64', 10: 'SHA-256' };
const READ_CHECKS = new Set([0, 1, 4]);
const FILTERS: Record<number, string> = {
  0x03: 'delta', 0x04: 'BCJ x86', 0x05: 'BCJ PowerPC', 0x06: 'BCJ IA-64', 0x07: 'BCJ ARM', 0x08: 'BCJ ARM-Thumb',
  0x09: 'BCJ SPARC', 0x0a: 'BCJ ARM64', 0x0b: 'BCJ RISC-V', 0x21: 'LZMA2',
};

/** Bytes an xz stream's head needs for its stream header and first block header. */
export const XZ_HEAD_BYTES = 12 + 1024;

function varint(b: Buffer, p: number): [number, number] | null {
  let v = 0;
  for (let i = 0; i < 9 && p + i < b.length; i++) {
    v += (b[p + i]! & 0x7f) * 2 ** (7 * i);
    if (!(b[p + i]! & 0x80)) return [v, p + i + 1];
  }
  return null;
}

/** What the decoder does not support in this xz stream's header or first block, or undefined. */
export function xzUnsupported(head: Buffer): string | undefined {
  if (head.length < 12) return undefined;
  const check = head[7]! & 0x0f;
  if (!READ_CHECKS.has(check)) return `integrity check ${CHECKS[check] ?? `type ${check}`}`;
  if (head.length < 14 || head[12] === 0) return undefined;
  const end = 12 + (head[12]! + 1) * 4;
  const flags = head[13]!;
  let p = 14;
  for (const bit of [0x40, 0x80]) {
    if (!(flags & bit)) continue;
    const v = varint(head, p);
    if (!v) return undefined;
    p = v[1];
  }
  const names: string[] = [];
  for (let i = 0; i <= (flags & 3) && p < Math.min(end, head.length); i++) {
    const id = varint(head, p);
    const size = id && varint(head, id[1]);
    if (!id || !size) return undefined;
    names.push(FILTERS[id[0]] ?? `filter 0x${id[0].toString(16)}`);
    p = size[1] + size[0];
  }
  const other = names.filter((n) => n !== 'LZMA2');
  return other.length ? `filter ${other.join(' + ')}` : undefined;
}
