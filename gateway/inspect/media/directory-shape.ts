// ICO/CUR, TrueType/OpenType and WOFF/WOFF2 checked past their signature
// (media-shape.ts): a directory of regions in the first bytes, each of which
// must lie in the file, the file ending with the last of them.

/**
 * Tables of an sfnt font that hold outlines and bytecode, in which the digits
 * 0-9 are TrueType instructions (IUP, SHP, SHC, SHZ, SHPIX, IP: a hinted
 * glyph is full of them) and CFF operands; a run of them between bytes of no
 * text is no number (DejaVu Sans Condensed Bold Oblique's glyf holds
 * `5476767076767654`, which passes Luhn's check). Only these: a table of any
 * other tag is read as any binary (the review of 1 Dec: a register in a
 * one-table font tagged `DATA` crossed).
 */
const BYTECODE_TABLES = new Set(['glyf', 'fpgm', 'prep', 'cvt ', 'CFF ', 'CFF2', 'gvar']);

/** Bytes of an ICO's directory at most (6 + 256 entries of 16). */
const DIR_HEAD = 6 + 256 * 16;

/** ICO/CUR and sfnt fonts: a directory of regions (offset, length) in the first bytes; each must lie in the file, and the file end with the last. */
export class DirectoryShape {
  #kind: 'ico' | 'sfnt' | 'woff';
  #h = new Uint8Array(DIR_HEAD);
  #n = 0;
  #regions: Array<[number, number]> | null = null;
  /** ICO: the first four bytes of each image, gathered as the stream passes them. */
  #starts = new Map<number, number[]>();

  /** sfnt: the tables that hold no text (glyph outlines, hinting bytecode, metrics), as [start, end). */
  binary: Array<[number, number]> = [];

  /** WOFF and WOFF2: the file's length, from the header. */
  #length = -1;

  constructor(kind: 'ico' | 'sfnt' | 'woff') {
    this.#kind = kind;
  }

  /** Where the last image or table ends (and the padding let go), once the directory is read; -1 before. */
  limit(): number {
    if (!this.#regions) return -1;
    if (this.#kind === 'woff') return this.#length;
    let last = 0;
    for (const [off, len] of this.#regions) last = Math.max(last, off + len);
    return last + (this.#kind === 'sfnt' ? 3 : 0) + 4;
  }

  write(b: Uint8Array, start: number): string {
    if (this.#n < DIR_HEAD) {
      const take = Math.min(DIR_HEAD - this.#n, b.length);
      this.#h.set(b.subarray(0, take), this.#n);
      this.#n += take;
    }
    if (!this.#regions && this.#n >= this.#need()) {
      const why = this.#directory();
      if (why) return why;
    }
    for (const [at, got] of this.#starts) {
      for (let p = Math.max(at + got.length, start); p < at + 4 && p < start + b.length; p++) got.push(b[p - start]!);
    }
    return '';
  }

  end(total: number): string {
    if (!this.#regions) {
      const why = this.#n >= this.#need() ? this.#directory() : `a ${this.#kind === 'ico' ? 'icon' : 'font'} directory cut short`;
      if (why) return why;
    }
    let last = 0;
    for (const [off, len] of this.#regions!) {
      if (off + len > total) return `a region at byte ${off} of ${len} bytes ends past the content's end (${total})`;
      last = Math.max(last, off + len);
    }
    if (this.#length >= 0 && this.#length !== total) return `a web font of ${this.#length} bytes by its header, ${total} sent`;
    if (this.#kind !== 'woff' && total > last + (this.#kind === 'sfnt' ? 3 : 0) + 4) return `${total - last} bytes follow the last region (byte ${last})`;
    for (const [at, got] of this.#starts) {
      const png = got[0] === 0x89 && got[1] === 0x50 && got[2] === 0x4e && got[3] === 0x47;
      const dib = got[0] === 40 && got[1] === 0 && got[2] === 0 && got[3] === 0;
      if (!png && !dib) return `the image at byte ${at} is neither PNG nor a bitmap`;
    }
    return '';
  }

  #u16(at: number, le: boolean): number {
    return le ? this.#h[at]! | (this.#h[at + 1]! << 8) : (this.#h[at]! << 8) | this.#h[at + 1]!;
  }

  #u32(at: number, le: boolean): number {
    return le
      ? (this.#h[at]! | (this.#h[at + 1]! << 8) | (this.#h[at + 2]! << 16) | (this.#h[at + 3]! << 24)) >>> 0
      : ((this.#h[at]! << 24) | (this.#h[at + 1]! << 16) | (this.#h[at + 2]! << 8) | this.#h[at + 3]!) >>> 0;
  }

  /** Bytes the directory needs (known once its count is). */
  #need(): number {
    if (this.#n < 16) return 16;
    if (this.#kind === 'woff') return this.#h[3] === 0x32 ? 48 : 44 + 20 * this.#u16(12, false);
    return this.#kind === 'ico' ? 6 + 16 * this.#u16(4, true) : 12 + 16 * this.#u16(4, false);
  }

  #directory(): string {
    const regions: Array<[number, number]> = [];
    if (this.#kind === 'ico') {
      const count = this.#u16(4, true);
      if (count === 0 || count > 256) return `an icon directory of ${count} images`;
      const cur = this.#h[2] === 2;
      for (let i = 0; i < count; i++) {
        const e = 6 + 16 * i;
        const planes = this.#u16(e + 4, true);
        const bpp = this.#u16(e + 6, true);
        const size = this.#u32(e + 8, true);
        const off = this.#u32(e + 12, true);
        if ((this.#h[e + 3] !== 0 && this.#h[e + 3] !== 0xff) || (!cur && (planes > 1 || ![0, 1, 4, 8, 16, 24, 32].includes(bpp)))) return `icon entry ${i} is not one`;
        if (size < 4 || off < 6 + 16 * count) return `icon entry ${i}: ${size} bytes at byte ${off}`;
        regions.push([off, size]);
        this.#starts.set(off, []);
      }
    } else if (this.#kind === 'woff') {
      const count = this.#u16(12, false);
      if (count === 0 || count > 128 || this.#u16(14, false) !== 0) return `a web font of ${count} tables`;
      this.#length = this.#u32(8, false);
      // WOFF's directory (WOFF2's is of variable length and compressed: its length is what is checked).
      for (let i = 0; this.#h[3] === 0x46 && i < count; i++) {
        const r = 44 + 20 * i;
        for (let k = 0; k < 4; k++) if (this.#h[r + k]! < 0x20 || this.#h[r + k]! > 0x7e) return `web font table ${i} has no tag`;
        const off = this.#u32(r + 4, false);
        if (off < 44 + 20 * count) return `web font table ${i} at byte ${off}, inside the directory`;
        regions.push([off, this.#u32(r + 8, false)]);
      }
    } else {
      const count = this.#u16(4, false);
      if (count === 0 || count > 128) return `a font of ${count} tables`;
      for (let i = 0; i < count; i++) {
        const r = 12 + 16 * i;
        for (let k = 0; k < 4; k++) if (this.#h[r + k]! < 0x20 || this.#h[r + k]! > 0x7e) return `font table ${i} has no tag`;
        const off = this.#u32(r + 8, false);
        const len = this.#u32(r + 12, false);
        if (off < 12 + 16 * count) return `font table ${i} at byte ${off}, inside the directory`;
        regions.push([off, len]);
        if (BYTECODE_TABLES.has(String.fromCharCode(...this.#h.subarray(r, r + 4)))) this.binary.push([off, off + len]);
      }
    }
    this.#regions = regions;
    // Image starts already passed in the first bytes.
    for (const [at, got] of this.#starts) for (let p = at; p < at + 4 && p < this.#n; p++) got.push(this.#h[p]!);
    return '';
  }
}
