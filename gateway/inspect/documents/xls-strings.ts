// The shared strings of an Excel 97–2003 workbook (BIFF8), reassembled. A
// string in the SST may be cut by a record boundary: the CONTINUE record that
// follows starts with a new option byte and may switch between 8-bit and
// UTF-16 characters, so a raw read sees the string split by five bytes.
// [MS-XLS] 2.4.265 (SST), 2.5.293 (XLUnicodeRichExtendedString), 2.4.58 (CONTINUE).

const SST = 0x00fc;
const CONTINUE = 0x003c;
const FILEPASS = 0x002f;
const BOF = 0x0809;

export type XlsStrings =
  | { ok: true; strings: string[] }
  | { ok: false; encrypted: boolean; why: string };

export function isBiff8(book: Buffer): boolean {
  return book.length >= 8 && book.readUInt16LE(0) === BOF && book.readUInt16LE(4) === 0x0600;
}

/** The SST's payload and its CONTINUE records' payloads, each separately. */
function sstRecords(book: Buffer): { parts: Buffer[] | null; encrypted: boolean } {
  let parts: Buffer[] | null = null;
  for (let at = 0; at + 4 <= book.length;) {
    const type = book.readUInt16LE(at);
    const len = book.readUInt16LE(at + 2);
    const body = book.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    if (type === FILEPASS) return { parts: null, encrypted: true };
    if (type === SST) parts = [body];
    else if (parts && type === CONTINUE) parts.push(body);
    else if (parts) break;
  }
  return { parts, encrypted: false };
}

export function xlsStrings(book: Buffer): XlsStrings {
  const { parts, encrypted } = sstRecords(book);
  if (encrypted) return { ok: false, encrypted: true, why: 'the workbook is encrypted (FILEPASS)' };
  if (!parts) return { ok: true, strings: [] };
  let rec = 0;
  let buf = parts[0]!;
  let at = 8; // cstTotal, cstUnique
  const next = (): boolean => {
    if (++rec >= parts.length) return false;
    buf = parts[rec]!;
    at = 0;
    return true;
  };
  const take = (n: number): Buffer => {
    if (at + n > buf.length) {
      if (at !== buf.length || !next() || n > buf.length) throw new Error('a shared string is cut short');
    }
    const b = buf.subarray(at, at + n);
    at += n;
    return b;
  };
  const strings: string[] = [];
  try {
    while (at < buf.length || next()) {
      const cch = take(2).readUInt16LE(0);
      let grbit = take(1)[0]!;
      const runs = grbit & 0x08 ? take(2).readUInt16LE(0) : 0;
      const ext = grbit & 0x04 ? take(4).readUInt32LE(0) : 0;
      let s = '';
      let left = cch;
      while (left > 0) {
        if (at >= buf.length) {
          // The characters go on in the next CONTINUE, after a fresh option byte.
          if (!next()) throw new Error('a shared string is cut short');
          grbit = take(1)[0]!;
        }
        const wide = (grbit & 0x01) !== 0;
        const fit = Math.min(left, Math.floor((buf.length - at) / (wide ? 2 : 1)));
        if (fit === 0) throw new Error('a character is split across records');
        const b = take(fit * (wide ? 2 : 1));
        s += wide ? b.toString('utf16le') : b.toString('latin1');
        left -= fit;
      }
      skip(runs * 4 + ext);
      strings.push(s);
    }
  } catch (e) {
    return { ok: false, encrypted: false, why: e instanceof Error ? e.message : String(e) };
  }
  return { ok: true, strings };

  function skip(n: number): void {
    while (n > 0) {
      if (at >= buf.length && !next()) throw new Error('formatting runs are cut short');
      const k = Math.min(n, buf.length - at);
      at += k;
      n -= k;
    }
  }
}
