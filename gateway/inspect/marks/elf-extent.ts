// Where an ELF file's own bytes end: past its last section, segment and header table lies data the format does not
// account for (an overlay: bytes appended to a program, which the loader never reads). Read as the bytes stream:
// the ELF header from the first 64 bytes, then the program and section header tables as they pass (binary-integers.ts
// reads lone 64-bit values past the end only; review13, 2 Dec).
// https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html

/** Header tables larger than this are not kept (the extent is then unknown). */
const MAX_TABLE = 1024 * 1024;

interface Table {
  off: number;
  size: number;
  bytes: Buffer | null;
  /** Bytes of it the content held. */
  seen: number;
  count: number;
}

export class ElfExtent {
  #head = Buffer.alloc(0);
  #pos = 0;
  #c64 = false;
  #le = true;
  #ph: Table | null = null;
  #sh: Table | null = null;
  /** false: not an ELF file (or headers out of bounds); true: an ELF file's header was read. */
  #elf: boolean | null = null;

  /** The content's next bytes. */
  write(chunk: Buffer): void {
    const at = this.#pos;
    this.#pos += chunk.length;
    if (this.#elf === false) return;
    if (this.#elf === null) {
      this.#head = Buffer.concat([this.#head, chunk.subarray(0, 64 - this.#head.length)]);
      if (this.#head.length < 64) return;
      this.#parseHeader(this.#head);
      if (!this.#elf) return;
    }
    for (const t of [this.#ph, this.#sh]) if (t && at < t.off + t.size && at + chunk.length > t.off) copyInto(t, chunk, at);
  }

  /** The content's first bytes were an ELF header. */
  get isElf(): boolean {
    return this.#elf === true;
  }

  /**
   * Where the file's own bytes end, once all was written (null: not an ELF file, or a header table too large to
   * keep). A table the content does not hold whole (an offset past its end) accounts for nothing: what it would
   * name is unknown, and the bytes past the tables the content holds are read as no program's.
   */
  extent(): number | null {
    if (!this.#elf) return null;
    // (A header naming no table the content holds, `7F ELF` and zeros, is no program whose end is known.)
    if (![this.#ph, this.#sh].some((t) => t && t.size > 0 && t.seen >= t.size)) return null;
    let end = 64;
    const c64 = this.#c64;
    for (const [t, field] of [[this.#ph, c64 ? [8, 32] : [4, 16]], [this.#sh, c64 ? [24, 32] : [16, 20]]] as const) {
      if (!t || t.size === 0 || t.seen < t.size) continue;
      if (!t.bytes) return null;
      end = Math.max(end, t.off + t.size);
      const ent = t.size / t.count;
      for (let o = 0; o + ent <= t.size; o += ent) {
        // (SHT_NOBITS, 8: .bss holds no bytes of the file.)
        if (t === this.#sh && this.#u32(t.bytes, o + 4) === 8) continue;
        end = Math.max(end, this.#addr(t.bytes, o + field[0]!) + this.#addr(t.bytes, o + field[1]!));
      }
    }
    return end;
  }

  #parseHeader(h: Buffer): void {
    if (h.readUInt32BE(0) !== 0x7f454c46 || (h[4] !== 1 && h[4] !== 2) || (h[5] !== 1 && h[5] !== 2)) {
      this.#elf = false;
      return;
    }
    this.#c64 = h[4] === 2;
    this.#le = h[5] === 1;
    const c64 = this.#c64;
    const u16 = (o: number): number => (this.#le ? h.readUInt16LE(o) : h.readUInt16BE(o));
    const table = (off: number, ent: number, n: number): Table => {
      return { off, size: ent * n, bytes: ent * n <= MAX_TABLE ? Buffer.alloc(ent * n) : null, seen: 0, count: n };
    };
    this.#ph = table(this.#addr(h, c64 ? 32 : 28), u16(c64 ? 54 : 42), u16(c64 ? 56 : 44));
    this.#sh = table(this.#addr(h, c64 ? 40 : 32), u16(c64 ? 58 : 46), u16(c64 ? 60 : 48));
    this.#elf = true;
  }

  #u32(b: Buffer, o: number): number {
    return this.#le ? b.readUInt32LE(o) : b.readUInt32BE(o);
  }

  /** An address or offset field (4 bytes in ELF32, 8 in ELF64), as a Number. */
  #addr(b: Buffer, o: number): number {
    if (!this.#c64) return this.#u32(b, o);
    return Number(this.#le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
  }
}

/** Copies the part of chunk (at content offset `at`) that falls in the table. */
function copyInto(t: Table, chunk: Buffer, at: number): void {
  const from = Math.max(t.off, at);
  const to = Math.min(t.off + t.size, at + chunk.length);
  if (t.bytes) chunk.copy(t.bytes, from - t.off, from - at, to - at);
  t.seen += to - from;
}
