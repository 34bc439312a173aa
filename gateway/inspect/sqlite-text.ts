import { HeldDocument } from './held-bytes.js';
import type { InspectContext } from './inspect-context.js';
import type { Member } from './zip-walker.js';

// A SQLite database as its rows read (fifth red team, N18: an export whose
// mobile numbers are an INTEGER column crossed: a cell holds 13812345678 as
// six big-endian bytes, never as digits). The file is never opened with
// SQLite (an uploaded database is hostile input, and SQLite runs what its
// schema says): its pages are walked here. Every b-tree leaf page, table
// (0x0D) or index (0x0A), wherever it is (a freed page's old rows are read
// too), gives its cells' records, a row a line, values apart by commas as a
// CSV export writes them: integers and reals as digits, text in the
// database's encoding; blobs are left out (their bytes are read raw). A
// record's part on overflow pages is not followed (its bytes are read raw).
// https://www.sqlite.org/fileformat2.html §1.3 (header), §1.6 (b-tree pages), §2.1 (record format).

export const MAX_SQLITE = 64 * 1024 * 1024;
const MAGIC = 'SQLite format 3\0';

/** A varint: 1 to 9 bytes, big-endian, 7 bits a byte but the ninth's 8. Returns [value, length]; value as a Number (exact to 2^53). */
function varint(b: Buffer, at: number, end: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    if (at + i >= end) return [v, 0];
    const x = b[at + i]!;
    if (i === 8) return [v * 256 + x, 9];
    v = v * 128 + (x & 0x7f);
    if (x < 0x80) return [v, i + 1];
  }
  return [v, 0];
}

/** A big-endian two's-complement integer of n bytes (1–8) as its decimal digits. */
function intDigits(b: Buffer, at: number, n: number): string {
  if (n === 8) return b.readBigInt64BE(at).toString();
  return String(b.readIntBE(at, n));
}

const INT_BYTES = [0, 1, 2, 3, 4, 6, 8];

/** One record (a cell's local payload) as a CSV line, or null when it is not a record. */
function record(b: Buffer, at: number, end: number, text: (s: Buffer) => string): string | null {
  const [hsize, hl] = varint(b, at, end);
  if (!hl || hsize < hl || at + hsize > end) return null;
  let h = at + hl;
  let v = at + hsize;
  const out: string[] = [];
  while (h < at + hsize) {
    const [t, tl] = varint(b, h, at + hsize);
    if (!tl) return null;
    h += tl;
    if (t === 0) out.push('');
    else if (t <= 6) {
      const n = INT_BYTES[t]!;
      if (v + n > end) break;
      out.push(intDigits(b, v, n));
      v += n;
    } else if (t === 7) {
      if (v + 8 > end) break;
      out.push(String(b.readDoubleBE(v)));
      v += 8;
    } else if (t === 8 || t === 9) out.push(String(t - 8));
    else if (t === 10 || t === 11) return null;
    else {
      const n = Math.floor((t - (t & 1 ? 13 : 12)) / 2);
      // The part past the page (overflow) is not followed: what is here is read.
      const take = Math.min(n, end - v);
      out.push(t & 1 ? text(b.subarray(v, v + take)) : '');
      v += take;
      if (take < n) break;
    }
  }
  return out.join(',');
}

/** How much of a payload of p bytes is on the leaf page itself (§1.6: the rest is on overflow pages). */
function local(p: number, u: number, table: boolean): number {
  const x = table ? u - 35 : Math.floor(((u - 12) * 64) / 255) - 23;
  if (p <= x) return p;
  const m = Math.floor(((u - 12) * 32) / 255) - 23;
  const k = m + ((p - m) % (u - 4));
  return k <= x ? k : m;
}

/** The rows as they are walked: a page's records at a time, never the whole table's text at once. */
export type SqliteRows = { ok: true; lines: Iterable<string> } | { ok: false; why: string };

export function isSqlite(head: Buffer): boolean {
  return head.length >= 16 && head.toString('latin1', 0, 16) === MAGIC;
}

/** Every leaf page's records, in page order. */
export function sqliteRows(db: Buffer): SqliteRows {
  if (db.length < 100 || !isSqlite(db)) return { ok: false, why: 'no SQLite header' };
  const raw = db.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return { ok: false, why: `a page size of ${raw}` };
  const usable = pageSize - db[20]!;
  const enc = db.readUInt32BE(56);
  const text = enc === 2 ? (s: Buffer) => s.toString('utf16le') : enc === 3 ? (s: Buffer) => Buffer.from(s).swap16().toString('utf16le') : (s: Buffer) => s.toString('utf8');
  return { ok: true, lines: leafRecords(db, pageSize, usable, text) };
}

function* leafRecords(db: Buffer, pageSize: number, usable: number, text: (s: Buffer) => string): Generator<string> {
  for (let p = 0; p * pageSize < db.length; p++) {
    const base = p * pageSize;
    const hdr = p === 0 ? 100 : 0;
    const end = Math.min(base + usable, db.length);
    if (base + hdr + 8 > end) break;
    const type = db[base + hdr]!;
    if (type !== 0x0d && type !== 0x0a) continue;
    const cells = db.readUInt16BE(base + hdr + 3);
    for (let i = 0; i < cells; i++) {
      const ptrAt = base + hdr + 8 + i * 2;
      if (ptrAt + 2 > end) break;
      let at = base + db.readUInt16BE(ptrAt);
      if (at >= end) continue;
      const [len, ll] = varint(db, at, end);
      if (!ll) continue;
      at += ll;
      if (type === 0x0d) {
        const [, rl] = varint(db, at, end);
        if (!rl) continue;
        at += rl;
      }
      const line = record(db, at, Math.min(end, at + local(len, usable, type === 0x0d)), text);
      if (line !== null) yield line;
    }
  }
}

export class SqliteText extends HeldDocument {
  constructor(ctx: InspectContext, path: string | undefined, open: (name: string, kind: 'view' | 'content') => Member) {
    super(ctx, path, open, MAX_SQLITE, 'application/x-sqlite3', 'a SQLite database');
  }

  async finish(): Promise<void> {
    const db = this.takeHeld();
    if (!db) return;
    const r = sqliteRows(db);
    if (!r.ok) {
      this.uninspectable(`the SQLite database could not be walked (${r.why}); only its raw bytes were read`);
      return;
    }
    // In pieces of about 64 KiB, so no second copy of every row is built at once; a database of no rows opens no view.
    let v: Member | null = null;
    let piece = '';
    for (const line of r.lines) {
      v ??= this.open('(sqlite-rows)', 'view');
      piece += `${line}\n`;
      if (piece.length >= 65536) {
        await v.update(Buffer.from(piece));
        piece = '';
      }
    }
    if (!v) return;
    if (piece) await v.update(Buffer.from(piece));
    await v.finish();
  }
}
