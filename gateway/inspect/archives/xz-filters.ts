// The decoder side of xz's filters before LZMA2 (tukaani.org xz-file-format
// 1.2.1 §5.3.2 delta, §5.3.3 branch/call/jump converters): what xz writes
// for executables (`xz --x86`, `--arm`, `--armthumb`, `--arm64`,
// `--powerpc`, `--sparc`, `--delta`). The decoder in use (XZ Embedded in
// WebAssembly, xz-decompress) reads none of them; each is a small transform
// of the bytes LZMA2 gives back, done here. A BCJ filter turns the absolute
// addresses of call and jump instructions the encoder wrote back into the
// relative ones they were (x86 E8/E9; ARM BL; Thumb BL pairs; ARM64 BL and
// ADRP; PowerPC `bl`; SPARC `call`), counting positions from the filter's
// start offset. The text a file carries is untouched by them, but bytes next
// to such opcodes are changed, so the file is read as its receiver reads it.

/** A streaming decoder: bytes in, the bytes as they were before the encoder's filter; end() gives what it held back. */
export interface XzFilter {
  write(b: Buffer): Buffer;
  end(): Buffer;
}

/** A BCJ converter in decode mode: converts buf from its start, `pos` its position in the stream; returns how many bytes are done. */
type Convert = (buf: Buffer, pos: number) => number;

/** A simple (BCJ) filter: converts what it can, holds back the few bytes an instruction may still need. */
class Simple implements XzFilter {
  #tail: Buffer = Buffer.alloc(0);
  #pos: number;
  readonly #convert: Convert;

  constructor(convert: Convert, start: number) {
    this.#convert = convert;
    this.#pos = start;
  }

  write(b: Buffer): Buffer {
    const buf = this.#tail.length ? Buffer.concat([this.#tail, b]) : Buffer.from(b);
    const n = this.#convert(buf, this.#pos);
    this.#pos = (this.#pos + n) >>> 0;
    this.#tail = buf.subarray(n);
    return buf.subarray(0, n);
  }

  end(): Buffer {
    const t = this.#tail;
    this.#tail = Buffer.alloc(0);
    return t;
  }
}

const x86Ms = (b: number): boolean => b === 0 || b === 0xff;
const MASK_ALLOWED = [true, true, true, false, true, false, false, false];
const MASK_BIT = [0, 1, 2, 2, 3, 3, 3, 3];

/** x86: E8 (call) and E9 (jmp) rel32, with the state of the bytes before them. */
function x86(): Convert {
  let prevMask = 0;
  let prevPos = -5 >>> 0;
  return (buf, now) => {
    if (buf.length < 5) return 0;
    if (((now - prevPos) >>> 0) > 5) prevPos = (now - 5) >>> 0;
    const limit = buf.length - 5;
    let i = 0;
    while (i <= limit) {
      let b = buf[i]!;
      if (b !== 0xe8 && b !== 0xe9) {
        i++;
        continue;
      }
      const offset = (now + i - prevPos) >>> 0;
      prevPos = (now + i) >>> 0;
      if (offset > 5) prevMask = 0;
      else for (let k = 0; k < offset; k++) prevMask = ((prevMask & 0x77) << 1) & 0xff;
      b = buf[i + 4]!;
      if (x86Ms(b) && MASK_ALLOWED[(prevMask >>> 1) & 7] && prevMask >>> 1 < 0x10) {
        let src = buf.readUInt32LE(i + 1);
        let dest: number;
        for (;;) {
          dest = (src - (now + i + 5)) >>> 0;
          if (prevMask === 0) break;
          const k = MASK_BIT[prevMask >>> 1]!;
          b = (dest >>> (24 - k * 8)) & 0xff;
          if (!x86Ms(b)) break;
          src = (dest ^ ((2 ** (32 - k * 8)) - 1)) >>> 0;
        }
        buf[i + 4] = (dest >>> 24) & 1 ? 0xff : 0;
        buf[i + 3] = (dest >>> 16) & 0xff;
        buf[i + 2] = (dest >>> 8) & 0xff;
        buf[i + 1] = dest & 0xff;
        i += 5;
        prevMask = 0;
      } else {
        i++;
        prevMask |= 1;
        if (x86Ms(b)) prevMask |= 0x10;
      }
    }
    return i;
  };
}

/** ARM: BL (a byte EB after 24 bits of word offset), little-endian. */
const arm: Convert = (buf, now) => {
  let i = 0;
  for (; i + 4 <= buf.length; i += 4) {
    if (buf[i + 3] !== 0xeb) continue;
    const src = ((buf[i + 2]! << 16) | (buf[i + 1]! << 8) | buf[i]!) << 2;
    const dest = ((src - (now + i + 8)) >>> 2) & 0xffffff;
    buf[i + 2] = dest >>> 16;
    buf[i + 1] = (dest >>> 8) & 0xff;
    buf[i] = dest & 0xff;
  }
  return i;
};

/** ARM-Thumb: a BL pair (F000 F800 with 22 bits of offset). */
const armThumb: Convert = (buf, now) => {
  let i = 0;
  for (; i + 4 <= buf.length; i += 2) {
    if ((buf[i + 1]! & 0xf8) !== 0xf0 || (buf[i + 3]! & 0xf8) !== 0xf8) continue;
    const src = (((buf[i + 1]! & 7) << 19) | (buf[i]! << 11) | ((buf[i + 3]! & 7) << 8) | buf[i + 2]!) << 1;
    const dest = ((src - (now + i + 4)) >>> 0) >>> 1;
    buf[i + 1] = 0xf0 | ((dest >>> 19) & 7);
    buf[i] = (dest >>> 11) & 0xff;
    buf[i + 3] = 0xf8 | ((dest >>> 8) & 7);
    buf[i + 2] = dest & 0xff;
    i += 2;
  }
  return i;
};

/** ARM64: BL (26 bits of word offset) and ADRP (21 bits of page offset, converted within ±512 MiB). */
const arm64: Convert = (buf, now) => {
  let i = 0;
  for (; i + 4 <= buf.length; i += 4) {
    let pc = (now + i) >>> 0;
    let instr = buf.readUInt32LE(i);
    if (instr >>> 26 === 0x25) {
      pc = (0 - (pc >>> 2)) >>> 0;
      buf.writeUInt32LE((0x94000000 | ((instr + pc) & 0x03ffffff)) >>> 0, i);
    } else if (((instr & 0x9f000000) >>> 0) === 0x90000000) {
      const src = ((instr >>> 29) & 3) | ((instr >>> 3) & 0x001ffffc);
      if ((src + 0x00020000) & 0x001c0000) continue;
      instr = (instr & 0x9000001f) >>> 0;
      pc = (0 - (pc >>> 12)) >>> 0;
      const dest = (src + pc) >>> 0;
      instr = (instr | ((dest & 3) << 29) | ((dest & 0x0003fffc) << 3) | ((0 - (dest & 0x00020000)) & 0x00e00000)) >>> 0;
      buf.writeUInt32LE(instr, i);
    }
  }
  return i;
};

/** PowerPC: `bl` (opcode 18 with AA=0, LK=1), big-endian. */
const powerpc: Convert = (buf, now) => {
  let i = 0;
  for (; i + 4 <= buf.length; i += 4) {
    if (buf[i]! >>> 2 !== 0x12 || (buf[i + 3]! & 3) !== 1) continue;
    const src = (((buf[i]! & 3) << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | (buf[i + 3]! & ~3)) >>> 0;
    const dest = (src - (now + i)) >>> 0;
    buf[i] = 0x48 | ((dest >>> 24) & 3);
    buf[i + 1] = (dest >>> 16) & 0xff;
    buf[i + 2] = (dest >>> 8) & 0xff;
    buf[i + 3] = (buf[i + 3]! & 3) | (dest & 0xfc);
  }
  return i;
};

/** SPARC: `call` with its 30-bit displacement, within ±8 MiB words as the encoder converts. */
const sparc: Convert = (buf, now) => {
  let i = 0;
  for (; i + 4 <= buf.length; i += 4) {
    if (!((buf[i] === 0x40 && (buf[i + 1]! & 0xc0) === 0) || (buf[i] === 0x7f && (buf[i + 1]! & 0xc0) === 0xc0))) continue;
    const src = (buf.readUInt32BE(i) << 2) >>> 0;
    let dest = ((src - (now + i)) >>> 0) >>> 2;
    dest = ((((0 - ((dest >>> 22) & 1)) << 22) & 0x3fffffff) | (dest & 0x3fffff) | 0x40000000) >>> 0;
    buf.writeUInt32BE(dest, i);
  }
  return i;
};

/** Delta: each byte the sum of what was stored and the byte `distance` before it. */
class Delta implements XzFilter {
  readonly #distance: number;
  readonly #history = new Uint8Array(256);
  #pos = 0;

  constructor(distance: number) {
    this.#distance = distance;
  }

  write(b: Buffer): Buffer {
    const out = Buffer.from(b);
    const h = this.#history;
    for (let i = 0; i < out.length; i++) {
      const v = (out[i]! + h[(this.#pos - this.#distance) & 0xff]!) & 0xff;
      out[i] = v;
      h[this.#pos++ & 0xff] = v;
    }
    return out;
  }

  end(): Buffer {
    return Buffer.alloc(0);
  }
}

/** Filter IDs (§5.3) this module decodes, by name as xz's options call them. */
export const FILTER_NAMES: Record<number, string> = {
  0x03: 'delta', 0x04: 'BCJ x86', 0x05: 'BCJ PowerPC', 0x06: 'BCJ IA-64', 0x07: 'BCJ ARM', 0x08: 'BCJ ARM-Thumb',
  0x09: 'BCJ SPARC', 0x0a: 'BCJ ARM64', 0x0b: 'BCJ RISC-V', 0x21: 'LZMA2',
};

const CONVERTERS: Record<number, () => Convert> = { 0x04: x86, 0x05: () => powerpc, 0x07: () => arm, 0x08: () => armThumb, 0x09: () => sparc, 0x0a: () => arm64 };

/** The decoder of filter `id` with its properties, or a reason it is not read. */
export function xzFilter(id: number, props: Buffer): XzFilter | string {
  if (id === 0x03) return props.length === 1 ? new Delta(props[0]! + 1) : 'delta properties of the wrong size';
  const c = CONVERTERS[id];
  if (!c) return `filter ${FILTER_NAMES[id] ?? `0x${id.toString(16)}`}`;
  if (props.length !== 0 && props.length !== 4) return `${FILTER_NAMES[id]} properties of the wrong size`;
  const start = props.length === 4 ? props.readUInt32LE(0) : 0;
  return new Simple(c(), start);
}
