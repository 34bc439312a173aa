// A VBA project's macros as the Visual Basic Editor shows them (MS-OVBA): the
// `dir` stream of a project's `VBA` storage names its modules, the stream
// that holds each and where in it the module's source starts; the source, and
// the `dir` stream itself, are stored compressed. The compression puts a flag
// byte before every 8 tokens and a 2-byte copy token where bytes repeat, so
// read raw a string in a macro (`MsgBox "机密★10年"`, a list of phone numbers)
// is cut (review14: it crossed in an .xlsm, a .docm or a .doc with macros).
// WPS keeps its macros the same way.

export type Decompressed = { ok: true; out: Buffer } | { ok: false; why: string };

/** MS-OVBA 2.4.1.3.1: a CompressedContainer from `start` to the end of `buf`, at most `max` bytes out. */
export function ovbaDecompress(buf: Buffer, start: number, max: number): Decompressed {
  if (buf[start] !== 0x01) return { ok: false, why: `no compressed container at offset ${start} (signature ${buf[start] ?? 'missing'})` };
  const out: Buffer[] = [];
  let total = 0;
  let i = start + 1;
  while (i + 2 <= buf.length) {
    const header = buf.readUInt16LE(i);
    if (((header >> 12) & 7) !== 3) return { ok: false, why: `a chunk header with a bad signature at offset ${i}` };
    const end = Math.min(buf.length, i + (header & 0x0fff) + 3);
    i += 2;
    const chunk = Buffer.alloc(4096);
    let n = 0;
    if (!(header & 0x8000)) {
      // Stored: 4,096 bytes as they are (the last chunk may be shorter).
      n = Math.min(4096, buf.length - i);
      buf.copy(chunk, 0, i, i + n);
      i += n;
    } else {
      while (i < end) {
        const flags = buf[i++]!;
        for (let k = 0; k < 8 && i < end; k++) {
          if (!(flags & (1 << k))) {
            if (n >= 4096) return { ok: false, why: 'a chunk decompresses past 4,096 bytes' };
            chunk[n++] = buf[i++]!;
            continue;
          }
          if (i + 2 > end) return { ok: false, why: 'a copy token cut short' };
          const token = buf.readUInt16LE(i);
          i += 2;
          const bits = Math.max(Math.ceil(Math.log2(n)), 4);
          const length = (token & (0xffff >> bits)) + 3;
          const offset = (token >> (16 - bits)) + 1;
          if (offset > n || n + length > 4096) return { ok: false, why: 'a copy token outside its chunk' };
          for (let c = 0; c < length; c++, n++) chunk[n] = chunk[n - offset]!;
        }
      }
    }
    total += n;
    if (total > max) return { ok: false, why: `the source decompresses past ${max} bytes` };
    out.push(chunk.subarray(0, n));
  }
  return { ok: true, out: Buffer.concat(out, total) };
}

export interface VbaModule {
  /** The module's stream in the VBA storage (its Unicode name where the project gives one). */
  stream: string;
  /** Where its compressed source starts in that stream. */
  offset: number;
}

export type VbaDir = { ok: true; modules: VbaModule[] } | { ok: false; why: string };

/** MS-OVBA 2.3.4.2: the records of a decompressed `dir` stream, read for each module's stream name and source offset. */
export function vbaDir(dir: Buffer): VbaDir {
  const modules: VbaModule[] = [];
  let cur: { name?: string; unicode?: string; offset?: number } | null = null;
  const close = (): string | null => {
    if (!cur) return null;
    const stream = cur.unicode ?? cur.name;
    if (stream === undefined || cur.offset === undefined) return 'a module without its stream name or source offset';
    modules.push({ stream, offset: cur.offset });
    cur = null;
    return null;
  };
  let i = 0;
  while (i + 6 <= dir.length) {
    const id = dir.readUInt16LE(i);
    // PROJECTVERSION's size field is a reserved 4; its data is 6 bytes (a major and a minor version).
    const size = id === 0x0009 ? 6 : dir.readUInt32LE(i + 2);
    const data = dir.subarray(i + 6, i + 6 + size);
    if (data.length < size) return { ok: false, why: `record 0x${id.toString(16)} runs past the stream's end` };
    i += 6 + size;
    if (id === 0x0010) break; // the dir stream's terminator
    if (id === 0x0019) {
      const why = close();
      if (why) return { ok: false, why };
      cur = { name: data.toString('latin1') };
    } else if (cur && id === 0x001a) cur.name = data.toString('latin1');
    else if (cur && id === 0x0032) cur.unicode = data.toString('utf16le');
    else if (cur && id === 0x0031 && size === 4) cur.offset = data.readUInt32LE(0);
    else if (id === 0x002b) {
      const why = close();
      if (why) return { ok: false, why };
    }
  }
  const why = close();
  return why ? { ok: false, why } : { ok: true, modules };
}
