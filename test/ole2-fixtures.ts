// Legacy Office files made by test code: OLE2/CFB containers (written with
// `cfb`) holding a Word 97 FIB and piece table, or a BIFF8 workbook with a
// shared-string table, and a compound file whose stream's sectors are out of
// order. Each is built so that a raw read of its bytes does not see the text whole.
import CFB from 'cfb';

const u16 = (s: string) => Buffer.from(s, 'utf16le');

export function compound(streams: Array<[string, Buffer]>): Buffer {
  const c = CFB.utils.cfb_new();
  for (const [name, data] of streams) CFB.utils.cfb_add(c, name, data);
  return Buffer.from(CFB.write(c, { type: 'buffer' }) as Uint8Array);
}

/** A piece: its text, and whether it is stored 8-bit (cp1252, "compressed") or UTF-16LE. */
export interface Piece { text: string; compressed?: boolean }

/**
 * A Word 97 document whose pieces are stored in the WordDocument stream in
 * `storeOrder` (indexes into `pieces`), while the piece table gives the
 * reading order 0, 1, 2…; `encrypted` sets fEncrypted.
 */
export function wordDocument(pieces: Piece[], storeOrder = pieces.map((_, i) => i), opts: { encrypted?: boolean; brokenClx?: boolean } = {}): Buffer {
  const CSW = 14;
  const CSLW = 22;
  const CB_RG_FC_LCB = 93;
  const fibLen = 32 + 2 + CSW * 2 + 2 + CSLW * 4 + 2 + CB_RG_FC_LCB * 8;
  const fib = Buffer.alloc(fibLen);
  fib.writeUInt16LE(0xa5ec, 0);
  fib.writeUInt16LE(0x00c1, 2); // nFib: Word 97
  fib.writeUInt16LE(0x0200 | (opts.encrypted ? 0x0100 : 0), 0x0a); // fWhichTblStm: 1Table
  let at = 32;
  fib.writeUInt16LE(CSW, at);
  at += 2 + CSW * 2;
  fib.writeUInt16LE(CSLW, at);
  at += 2 + CSLW * 4;
  fib.writeUInt16LE(CB_RG_FC_LCB, at);
  const clxAt = at + 2 + 33 * 8;
  // The pieces' bytes after the FIB, in storeOrder, with filler between them.
  const fcs: number[] = new Array<number>(pieces.length);
  const body: Buffer[] = [fib];
  let off = fibLen;
  for (const k of storeOrder) {
    const p = pieces[k]!;
    const filler = u16('\r');
    body.push(filler);
    off += filler.length;
    fcs[k] = off;
    const bytes = p.compressed ? Buffer.from(p.text, 'latin1') : u16(p.text);
    body.push(bytes);
    off += bytes.length;
  }
  const doc = Buffer.concat(body);
  // The Clx: one Prc, then the Pcdt with its PlcPcd.
  const n = pieces.length;
  const plc = Buffer.alloc(4 * (n + 1) + 8 * n);
  let cp = 0;
  pieces.forEach((p, k) => {
    plc.writeUInt32LE(cp, k * 4);
    cp += p.text.length;
    const pcd = 4 * (n + 1) + k * 8;
    plc.writeUInt32LE(p.compressed ? (fcs[k]! * 2) | 0x40000000 : fcs[k]!, pcd + 2);
  });
  plc.writeUInt32LE(cp, n * 4);
  const prc = Buffer.from([0x01, 0x02, 0x00, 0x00, 0x00]);
  const pcdt = Buffer.alloc(5);
  pcdt[0] = 0x02;
  pcdt.writeUInt32LE(plc.length, 1);
  const clx = Buffer.concat([prc, pcdt, opts.brokenClx ? plc.subarray(0, plc.length - 3) : plc]);
  const table = Buffer.concat([Buffer.alloc(64), clx]);
  doc.writeUInt32LE(64, clxAt);
  doc.writeUInt32LE(opts.brokenClx ? clx.length + 3 : clx.length, clxAt + 4);
  return compound([['WordDocument', doc], ['1Table', table]]);
}

function record(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16LE(type, 0);
  h.writeUInt16LE(body.length, 2);
  return Buffer.concat([h, body]);
}

/**
 * A BIFF8 workbook whose shared-string table holds `strings` (UTF-16), each
 * one cut into a CONTINUE record after its first `cut` characters.
 */
export function xlsWorkbook(strings: string[], cut: number, opts: { encrypted?: boolean } = {}): Buffer {
  const bof = Buffer.alloc(16);
  bof.writeUInt16LE(0x0600, 0);
  bof.writeUInt16LE(0x0005, 2);
  const recs: Buffer[] = [record(0x0809, bof)];
  if (opts.encrypted) recs.push(record(0x002f, Buffer.alloc(54)));
  const head = Buffer.alloc(8);
  head.writeUInt32LE(strings.length, 0);
  head.writeUInt32LE(strings.length, 4);
  let sst: Buffer[] = [head];
  const continues: Buffer[] = [];
  strings.forEach((s, i) => {
    const hdr = Buffer.alloc(3);
    hdr.writeUInt16LE(s.length, 0);
    hdr[2] = 0x01; // fHighByte: UTF-16
    if (i === strings.length - 1 && cut > 0 && cut < s.length) {
      // The last string goes on in a CONTINUE, which starts with its own option byte.
      sst.push(hdr, u16(s.slice(0, cut)));
      continues.push(Buffer.concat([Buffer.from([0x01]), u16(s.slice(cut))]));
    } else sst.push(hdr, u16(s));
  });
  recs.push(record(0x00fc, Buffer.concat(sst)));
  for (const c of continues) recs.push(record(0x003c, c));
  recs.push(record(0x000a, Buffer.alloc(0)));
  sst = [];
  return compound([['Workbook', Buffer.concat(recs)]]);
}

/** A cell of a BIFF8 sheet: text (a LABELSST into the SST), a number, or a number in the form named. */
export interface XlsCell { r: number; c: number; v: string | number; as?: 'number' | 'rk' | 'formula' | 'formula-string' }

/** An RkNumber for an integer that fits 30 bits, or for a number stored ×100 as such an integer. */
function rk(v: number): number {
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 29) return ((v << 2) | 0x02) >>> 0;
  const h = Math.round(v * 100);
  if (Math.abs(h) < 2 ** 29) return ((h << 2) | 0x03) >>> 0;
  throw new Error(`${v} has no RK form`);
}

/**
 * A BIFF8 workbook with one sheet of `cells`: text through the shared-string
 * table, numbers as NUMBER (8-byte doubles), RK, FORMULA cached results, or
 * (cells of one row with `as: 'rk'` next to each other) one MULRK record.
 */
/** `page`: the sheet's HEADER and FOOTER records (Excel's codes as written). */
export function xlsCellBook(cells: XlsCell[], page: { header?: string; footer?: string } = {}): Buffer {
  const strings = [...new Set(cells.filter((x) => typeof x.v === 'string' && x.as !== 'formula-string').map((x) => x.v as string))];
  const bof = (dt: number) => {
    const b = Buffer.alloc(16);
    b.writeUInt16LE(0x0600, 0);
    b.writeUInt16LE(dt, 2);
    return record(0x0809, b);
  };
  const head = Buffer.alloc(8);
  head.writeUInt32LE(strings.length, 0);
  head.writeUInt32LE(strings.length, 4);
  const sst = Buffer.concat([head, ...strings.flatMap((s) => [Buffer.from([s.length & 0xff, s.length >> 8, 0x01]), u16(s)])]);
  const rc = (r: number, c: number, extra: number) => {
    const b = Buffer.alloc(6 + extra);
    b.writeUInt16LE(r, 0);
    b.writeUInt16LE(c, 2);
    b.writeUInt16LE(15, 4);
    return b;
  };
  const recs: Buffer[] = [];
  for (let i = 0; i < cells.length; i++) {
    const { r, c, v, as } = cells[i]!;
    if (typeof v === 'string' && as !== 'formula-string') {
      const b = rc(r, c, 4);
      b.writeUInt32LE(strings.indexOf(v), 6);
      recs.push(record(0x00fd, b));
    } else if (as === 'rk') {
      // Consecutive RK cells of one row go in one MULRK, as Excel writes them.
      const run = [cells[i]!];
      while (cells[i + run.length]?.as === 'rk' && cells[i + run.length]!.r === r && cells[i + run.length]!.c === c + run.length) run.push(cells[i + run.length]!);
      if (run.length === 1) {
        const b = rc(r, c, 4);
        b.writeUInt32LE(rk(v as number), 6);
        recs.push(record(0x027e, b));
      } else {
        const b = Buffer.alloc(4 + run.length * 6 + 2);
        b.writeUInt16LE(r, 0);
        b.writeUInt16LE(c, 2);
        run.forEach((x, k) => {
          b.writeUInt16LE(15, 4 + k * 6);
          b.writeUInt32LE(rk(x.v as number), 6 + k * 6);
        });
        b.writeUInt16LE(c + run.length - 1, b.length - 2);
        recs.push(record(0x00bd, b));
        i += run.length - 1;
      }
    } else if (as === 'formula' || as === 'formula-string') {
      // FormulaValue, grbit, chn, then a tiny formula (ptgInt 0) that a reader never evaluates here.
      const b = rc(r, c, 8 + 2 + 4 + 2 + 3);
      if (typeof v === 'number') b.writeDoubleLE(v, 6);
      else b.writeUInt16LE(0xffff, 12); // byte 6 = 0: a string result, in the STRING record after
      b.writeUInt16LE(3, 20);
      b[22] = 0x1e;
      recs.push(record(0x0006, b));
      if (typeof v === 'string') recs.push(record(0x0207, Buffer.concat([Buffer.from([v.length & 0xff, v.length >> 8, 0x01]), u16(v)])));
    } else {
      const b = rc(r, c, 8);
      b.writeDoubleLE(v as number, 6);
      recs.push(record(0x0203, b));
    }
  }
  const globals = Buffer.concat([bof(0x0005), record(0x00fc, sst), record(0x000a, Buffer.alloc(0))]);
  const xlstr = (t: string) => Buffer.concat([Buffer.from([t.length & 0xff, t.length >> 8, 0x01]), u16(t)]);
  const setup = [...(page.header !== undefined ? [record(0x0014, xlstr(page.header))] : []), ...(page.footer !== undefined ? [record(0x0015, xlstr(page.footer))] : [])];
  const sheet = Buffer.concat([bof(0x0010), ...setup, ...recs, record(0x000a, Buffer.alloc(0))]);
  return compound([['Workbook', Buffer.concat([globals, sheet])]]);
}

/** An Office 2007+ document under a password: its package is encrypted inside a compound file. */
export function encryptedPackage(): Buffer {
  const info = Buffer.alloc(64);
  info.writeUInt16LE(4, 0);
  info.writeUInt16LE(4, 2);
  const pkg = Buffer.alloc(8192);
  for (let i = 0; i < pkg.length; i++) pkg[i] = (i * 2654435761) >>> 24;
  return compound([['EncryptionInfo', info], ['EncryptedPackage', pkg]]);
}

/**
 * A compound file with one stream of `text` (UTF-16) long enough for regular
 * 512-byte sectors, whose first two sectors are then swapped on disk and the
 * FAT chain rewritten to match: the stream reads the same through the FAT, but
 * its bytes in the file are out of order. `text` should straddle byte 512 of the stream.
 */
export function fragmentedStream(name: string, text: Buffer): Buffer {
  const file = compound([[name, text]]);
  const SECTOR = 512;
  const sectorAt = (s: number) => SECTOR + s * SECTOR;
  const difat0 = file.readInt32LE(0x4c);
  const fatAt = (s: number) => sectorAt(difat0) + s * 4; // one FAT sector is enough for a small file
  const dirStart = file.readInt32LE(0x30);
  // Find the stream's directory entry (128 bytes each, name UTF-16 at 0, length at 0x40).
  let entry = -1;
  for (let i = 0; i < SECTOR / 128; i++) {
    const e = sectorAt(dirStart) + i * 128;
    const len = file.readUInt16LE(e + 0x40);
    if (len >= 2 && file.subarray(e, e + len - 2).toString('utf16le') === name) entry = e;
  }
  if (entry < 0) throw new Error('stream not found');
  const s0 = file.readInt32LE(entry + 0x74);
  const s1 = file.readInt32LE(fatAt(s0));
  const s2 = file.readInt32LE(fatAt(s1));
  const a = Buffer.from(file.subarray(sectorAt(s0), sectorAt(s0) + SECTOR));
  const b = Buffer.from(file.subarray(sectorAt(s1), sectorAt(s1) + SECTOR));
  b.copy(file, sectorAt(s0));
  a.copy(file, sectorAt(s1));
  // Now the first sector's bytes live at s1 and the second's at s0.
  file.writeInt32LE(s1, entry + 0x74);
  file.writeInt32LE(s0, fatAt(s1));
  file.writeInt32LE(s2, fatAt(s0));
  return file;
}
