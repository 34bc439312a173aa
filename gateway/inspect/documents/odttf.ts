import type { Member } from '../context/member.js';

// Word's embedded fonts (red team 1 Dec (c) G5): `word/fonts/font1.odttf` is a TrueType or OpenType font whose
// first 32 bytes are XORed with the 16 bytes of a GUID (ECMA-376 Part 1 §17.8.1; the key is in fontTable.xml,
// which a zip may hold after the font). Undone here without the key: bytes 32 on are the table directory in
// the clear, which gives the number of tables, hence the offset table (bytes 0-11) and so 12 of the key's 16
// bytes, which give the first record's checksum, offset and length (bytes 16-27). The 4 bytes left are the
// first two records' tags (12-15, 28-31), XORed with the same key bytes: a pair of known tags in order whose
// XOR is theirs. Undone, the font is typed and read as fonts are; a font that does not come out whole is
// read as it is (as before).

const HEAD = 32;
/** Offsets and lengths past this are no font's (the head held is the directory only: the tables are not seen yet). */
const MAX_FONT = 1 << 30;
const MAX_TABLES = 64;
/** Bytes held before the font is passed on: its table directory at most. */
export const ODTTF_HOLD = 12 + 16 * MAX_TABLES;
const TAGS = ['BASE', 'CBDT', 'CBLC', 'CFF ', 'CFF2', 'COLR', 'CPAL', 'DSIG', 'EBDT', 'EBLC', 'EBSC', 'FFTM', 'GDEF', 'GPOS', 'GSUB', 'HVAR', 'JSTF', 'LTSH', 'MATH', 'MERG', 'MVAR', 'OS/2', 'PCLT', 'STAT', 'SVG ', 'VDMX', 'VORG', 'VVAR', 'avar', 'cmap', 'cvar', 'cvt ', 'fpgm', 'fvar', 'gasp', 'glyf', 'gvar', 'hdmx', 'head', 'hhea', 'hmtx', 'kern', 'loca', 'ltag', 'maxp', 'meta', 'morx', 'name', 'post', 'prep', 'sbix', 'trak', 'vhea', 'vmtx'];

export function isObfuscatedFont(name: string): boolean {
  return /\.odttf$/i.test(name);
}

function tagOk(b: Buffer, at: number): boolean {
  for (let i = at; i < at + 4; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return false;
  return true;
}

/** The font with its first 32 bytes restored, or null when its directory does not say how. */
export function deobfuscate(b: Buffer): Buffer | null {
  if (b.length < 60) return null;
  // Records 3 on (from byte 44) are in the clear: count them.
  let n = 2;
  while (n < MAX_TABLES && 12 + 16 * (n + 1) <= b.length) {
    const r = 12 + 16 * n;
    if (!tagOk(b, r) || b.readUInt32BE(r + 8) >= MAX_FONT || b.readUInt32BE(r + 12) >= MAX_FONT || b.readUInt32BE(r + 8) < 12 + 16 * (n + 1)) break;
    n++;
  }
  // n counts records until the first that is not one; the directory ends where the tables begin.
  for (let tables = n; tables >= 3; tables--) {
    const plain = Buffer.alloc(12);
    const cff = TAGS_IN(b, tables).includes('CFF ');
    plain.writeUInt32BE(cff ? 0x4f54544f : 0x00010000, 0);
    const p = 2 ** Math.floor(Math.log2(tables));
    plain.writeUInt16BE(tables, 4);
    plain.writeUInt16BE(p * 16, 6);
    plain.writeUInt16BE(Math.log2(p), 8);
    plain.writeUInt16BE(tables * 16 - p * 16, 10);
    const key = Buffer.alloc(16);
    for (let i = 0; i < 12; i++) key[i] = b[i]! ^ plain[i]!;
    const out = Buffer.from(b);
    plain.copy(out, 0);
    for (let i = 16; i < 28; i++) out[i] = b[i]! ^ key[i - 16]!;
    const offset = out.readUInt32BE(20);
    const length = out.readUInt32BE(24);
    if (offset < 12 + 16 * tables || offset >= MAX_FONT || length >= MAX_FONT) continue;
    const third = b.toString('latin1', 44, 48);
    for (const t1 of TAGS) {
      const k = [0, 1, 2, 3].map((i) => b[12 + i]! ^ t1.charCodeAt(i));
      const t2 = String.fromCharCode(...[0, 1, 2, 3].map((i) => b[28 + i]! ^ k[i]!));
      if (t1 < t2 && t2 < third && TAGS.includes(t2)) {
        out.write(t1, 12, 'latin1');
        out.write(t2, 28, 'latin1');
        return out;
      }
    }
  }
  return null;
}

function TAGS_IN(b: Buffer, tables: number): string[] {
  const tags: string[] = [];
  for (let r = 2; r < tables && 12 + 16 * r + 4 <= b.length; r++) tags.push(b.toString('latin1', 12 + 16 * r, 16 + 16 * r));
  return tags;
}

/** A member named *.odttf: its head held (ODTTF_HOLD bytes), restored, then passed on with the rest. */
export class ObfuscatedFont implements Member {
  #inner: Member;
  #held: Buffer[] = [];
  #size = 0;
  #passed = false;

  constructor(inner: Member) {
    this.#inner = inner;
  }

  async update(chunk: Buffer): Promise<void> {
    if (this.#passed) return this.#inner.update(chunk);
    this.#held.push(chunk);
    this.#size += chunk.length;
    if (this.#size >= ODTTF_HOLD) await this.#pass();
  }

  async finish(): Promise<void> {
    if (!this.#passed) await this.#pass();
    await this.#inner.finish();
  }

  abort(): void {
    this.#inner.abort();
  }

  async #pass(): Promise<void> {
    this.#passed = true;
    const head = Buffer.concat(this.#held);
    this.#held = [];
    await this.#inner.update((head.length >= HEAD && deobfuscate(head)) || head);
  }
}
