// Outlook PST and OST files ([MS-PST]) with "compressible encryption", Outlook's default for years
// (bCryptMethod NDB_CRYPT_PERMUTE, 1): every data block's bytes are substituted by a fixed table (§5.1, mpbbR to
// write, its inverse mpbbI to read), so a message body in UTF-16LE reads as noise (seventh red team, 1 Dec,
// R12 and V13: a body with a marking, an id and a mobile crossed, and EICAR as a body passed clamd). The
// file's pages (B-trees and allocation maps) are not substituted, the data blocks are: the whole file past
// its header is read back through mpbbI and inspected as content of its own — the blocks come out as Outlook
// wrote them (bodies, subjects, attachments), the pages as noise, which holds no text. NDB_CRYPT_CYCLIC
// ("high encryption", 2) is keyed by each block's id through the B-trees: not read, and reported.
//
// Header (§2.2.2.6): dwMagic `!BDN`, wMagicClient `SM` (PST) or `SO` (OST) at 8, wVer at 10 (14, 15: ANSI;
// 23 or more: Unicode), bCryptMethod at 0x1CD (ANSI) or 0x201 (Unicode).

/** mpbbR ([MS-PST] §5.1): the substitution a block is written with. */
const MPBB_R = Buffer.from(
  '41361362a8216ebbf416cc047f64e85d1ef2cb2a74c55e35d295479e962d9a884c7d843fdbac31b6485ff6c4d8398be7233b388ec8c1df25b120a546604e9cfbaad35651457c550007c92b9d859b09a08fadb30f63ab894bd7a7155a716642bf264a6b98faea7753b270052cfd593a867ece06eb827857c78d43afb41cd45bcde2e9274fc3087280cfb0eff5286dbe304d3492d50e3c2232e5e4f99fc2d10a8112e1ee918376e397e6618a1779a4b7dc907a5c8c02a6ca69de501a1193b9528758fced1d37491b6ae0293399bd6cd994f340546ff0c673b8d63e6518441fdd6710f10c19ecae03a1147ba90bfff8a3c0a201f72ebc2468750dfeba2fb5d0da3d',
  'hex',
);
/** mpbbI: the inverse, a block read with. */
const MPBB_I = new Uint8Array(256);
for (let b = 0; b < 256; b++) MPBB_I[MPBB_R[b]!] = b;

/** The header's bytes looked at (its Unicode form is 564 bytes; what follows to the first page is zeros). */
export const PST_HEADER = 1024;

export type PstCrypt = 'none' | 'permute' | 'cyclic' | 'unknown';

/** The crypt method of a PST or OST whose header this is (PST_HEADER bytes, or the whole file), or null when it is none. */
export function pstCrypt(head: Buffer): PstCrypt | null {
  if (head.length < 0x202 || head.toString('latin1', 0, 4) !== '!BDN') return null;
  const client = head.toString('latin1', 8, 10);
  if (client !== 'SM' && client !== 'SO') return null;
  const ver = head.readUInt16LE(10);
  const at = ver >= 23 ? 0x201 : ver === 14 || ver === 15 ? 0x1cd : -1;
  if (at < 0) return 'unknown';
  const m = head[at]!;
  return m === 0 ? 'none' : m === 1 ? 'permute' : m === 2 ? 'cyclic' : 'unknown';
}

/** The bytes of a PST past its header, read back through mpbbI as they stream (the header held until it is whole). */
export class PstPermute {
  #head: Buffer[] = [];
  #headN = 0;
  #crypt: PstCrypt | null | undefined;

  /** What the header says, once PST_HEADER bytes (or the whole file) were seen. */
  get crypt(): PstCrypt | null | undefined {
    return this.#crypt;
  }

  /** The chunk's bytes decoded (past PST_HEADER), when the file is a PST with compressible encryption; else none. */
  write(chunk: Buffer): Buffer | null {
    if (this.#crypt === undefined) {
      this.#head.push(Buffer.from(chunk));
      this.#headN += chunk.length;
      if (this.#headN < PST_HEADER) return null;
      const all = Buffer.concat(this.#head);
      this.#head = [];
      this.#crypt = pstCrypt(all);
      return this.#crypt === 'permute' ? decode(all.subarray(PST_HEADER)) : null;
    }
    return this.#crypt === 'permute' ? decode(chunk) : null;
  }

  /** At the file's end: a header shorter than PST_HEADER is judged as it is. */
  end(): void {
    if (this.#crypt === undefined) this.#crypt = pstCrypt(Buffer.concat(this.#head));
    this.#head = [];
  }
}

function decode(b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(b.length);
  for (let i = 0; i < b.length; i++) out[i] = MPBB_I[b[i]!]!;
  return out;
}
