import { HeldDocument } from '../context/held-bytes.js';
import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';
import { HeaderValues } from './sqlite-headers.js';
import { Accounted, residueIntegers } from './sqlite-residue.js';
import { isSqliteWal, walPages } from './sqlite-wal.js';

// A SQLite database as its rows read (fifth red team, N18: an export whose
// mobile numbers are an INTEGER column crossed: a cell holds 13812345678 as
// six big-endian bytes, never as digits). The file is never opened with
// SQLite (an uploaded database is hostile input, and SQLite runs what its
// schema says): its pages are walked here. Every b-tree page that holds
// records, table leaf (0x0D), index leaf (0x0A) or index interior (0x02:
// the rows of a WITHOUT ROWID table are there too), wherever it is (a freed
// page's old rows are read too), gives its cells' records, a row a line,
// values apart by commas as a CSV export writes them: integers and reals as
// digits, text in the database's encoding; blobs are left out (their bytes
// are read raw). A record longer than its page goes on in a chain of
// overflow pages (4 bytes of the next page's number, then the record's
// bytes), followed to its end: text that crosses from a cell to its first
// overflow page, or from one overflow page to the next, is read whole
// (issue 14: a long cell carrying a marking was read in pieces the links
// cut). An overflow page is read for one record only: a chain that comes
// back to a page (a loop) or to another chain's page ends there, so every
// page's bytes give text once.
// Bounded so that a crafted file cannot multiply its rows (issue 14): the
// cells of a page must stand apart, as SQLite writes them; a page whose cell
// pointers name one cell twice, or cells that overlap, stops the walk with an
// `inspection-limit:amplification` finding (a leaf of 64 KiB whose 32,000
// pointers all named one cell of 30 KB gave 960 MB of rows a page).
// https://www.sqlite.org/fileformat2.html §1.3 (header), §1.6 (b-tree pages), §1.7 (overflow), §2.1 (record format).

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

/** Marks bytes [from, to) of a record's payload as read (sqlite-residue.ts): its header, its integers and reals. */
type Mark = (from: number, to: number) => void;
/** Given each record's header bytes as the walk reads them (sqlite-headers.ts reads the bytes its serial types spell). */
export type OnHeader = (header: Buffer) => void;

/** One record (a cell's payload, whole or as much as was found) as a CSV line, or null when it is not a record. */
function record(b: Buffer, at: number, end: number, text: (s: Buffer) => string, mark: Mark, onHeader?: OnHeader): string | null {
  const [hsize, hl] = varint(b, at, end);
  if (!hl || hsize < hl || at + hsize > end) return null;
  let h = at + hl;
  let v = at + hsize;
  const out: string[] = [];
  const read: Array<[number, number]> = [[at, at + hsize]];
  while (h < at + hsize) {
    const [t, tl] = varint(b, h, at + hsize);
    if (!tl) return null;
    h += tl;
    if (t === 0) out.push('');
    else if (t <= 6) {
      const n = INT_BYTES[t]!;
      if (v + n > end) break;
      out.push(intDigits(b, v, n));
      read.push([v, v + n]);
      v += n;
    } else if (t === 7) {
      if (v + 8 > end) break;
      out.push(String(b.readDoubleBE(v)));
      read.push([v, v + 8]);
      v += 8;
    } else if (t === 8 || t === 9) out.push(String(t - 8));
    else if (t === 10 || t === 11) return null;
    else {
      const n = Math.floor((t - (t & 1 ? 13 : 12)) / 2);
      // A payload cut short (an overflow chain that ends early): what is here is read.
      const take = Math.min(n, end - v);
      out.push(t & 1 ? text(b.subarray(v, v + take)) : '');
      v += take;
      if (take < n) break;
    }
  }
  for (const [from, to] of read) mark(from, to);
  onHeader?.(b.subarray(at, at + hsize));
  return out.join(',');
}

/** How much of a payload of p bytes is on the b-tree page itself (§1.6: the rest is on overflow pages). */
function local(p: number, u: number, table: boolean): number {
  const x = table ? u - 35 : Math.floor(((u - 12) * 64) / 255) - 23;
  if (p <= x) return p;
  const m = Math.floor(((u - 12) * 32) / 255) - 23;
  const k = m + ((p - m) % (u - 4));
  return k <= x ? k : m;
}

/** The rows as they are walked: a page's records at a time, never the whole table's text at once. `stopped` says why the walk ended early, once it has. */
export type SqliteRows = { ok: true; lines: Iterable<string>; stopped: { why?: string }; accounted: Accounted; tail: number } | { ok: false; why: string };

export function isSqlite(head: Buffer): boolean {
  return head.length >= 16 && head.toString('latin1', 0, 16) === MAGIC;
}

/** Where the walk finds a page: position p (0-based) of the bytes, and database page n (1-based) of an overflow chain. */
interface Layout {
  /** Pages, and where the page at position p starts in the bytes. */
  count: number;
  base(p: number): number;
  /** The page at position p is the database's first (a 100-byte header before its b-tree page header). */
  first(p: number): boolean;
  /** Position of database page n, or -1. */
  position(n: number): number;
}

const fileLayout = (db: Buffer, pageSize: number): Layout => ({ count: Math.ceil(db.length / pageSize), base: (p) => p * pageSize, first: (p) => p === 0, position: (n) => n - 1 });

/** A database header's fields as read (§1.3), but the 20 bytes reserved for expansion (72–91), which SQLite writes as zeros. */
function markHeader(accounted: Accounted, at: number): void {
  accounted.mark(at, at + 72);
  accounted.mark(at + 92, at + 100);
}

/** Every record page's records, in page order; `accounted` marks what the walk read as structure or numbers as it goes. */
export function sqliteRows(db: Buffer, onHeader?: OnHeader): SqliteRows {
  if (isSqliteWal(db)) return walRows(db, onHeader);
  if (db.length < 100 || !isSqlite(db)) return { ok: false, why: 'no SQLite header' };
  const raw = db.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return { ok: false, why: `a page size of ${raw}` };
  const usable = pageSize - db[20]!;
  if (usable < 480) return { ok: false, why: `a usable page size of ${usable}` };
  const enc = db.readUInt32BE(56);
  const text = enc === 2 ? (s: Buffer) => s.toString('utf16le') : enc === 3 ? (s: Buffer) => Buffer.from(s).swap16().toString('utf16le') : (s: Buffer) => s.toString('utf8');
  const stopped: { why?: string } = {};
  const accounted = new Accounted(db.length);
  markHeader(accounted, 0);
  // (Past the last whole page: bytes SQLite never writes, a database's size being a whole number of pages.)
  const tail = db.length - (db.length % pageSize);
  return { ok: true, lines: pageRecords(db, pageSize, usable, text, stopped, fileLayout(db, pageSize), accounted, onHeader), stopped, accounted, tail };
}

/** A write-ahead log's frames as pages (sqlite-wal.ts); the encoding and reserved bytes from a frame of page 1 when there is one. */
function walRows(wal: Buffer, onHeader?: OnHeader): SqliteRows {
  const w = walPages(wal);
  if (!w) return { ok: false, why: 'no write-ahead log header' };
  const one = w.latest.get(1);
  const head = one === undefined ? null : wal.subarray(w.base(one), w.base(one) + 100);
  const usable = w.pageSize - (head && isSqlite(head) ? head[20]! : 0);
  const enc = head && isSqlite(head) ? head.readUInt32BE(56) : 1;
  const text = enc === 2 ? (s: Buffer) => s.toString('utf16le') : enc === 3 ? (s: Buffer) => Buffer.from(s).swap16().toString('utf16le') : (s: Buffer) => s.toString('utf8');
  const stopped: { why?: string } = {};
  const layout: Layout = { count: w.frames, base: w.base, first: (p) => w.first.has(p), position: (n) => w.latest.get(n) ?? -1 };
  const accounted = new Accounted(wal.length);
  // The log's header (32 bytes), and each frame's (24 bytes before its page); a first page's database header.
  accounted.mark(0, 32);
  for (let k = 0; k < w.frames; k++) accounted.mark(w.base(k) - 24, w.base(k));
  for (const k of w.first) markHeader(accounted, w.base(k));
  // (A -wal's bytes past its valid frames may be older whole frames of pages, record headers and all: no tail.)
  return { ok: true, lines: pageRecords(wal, w.pageSize, usable, text, stopped, layout, accounted, onHeader), stopped, accounted, tail: wal.length };
}

/** A b-tree page type that holds records: the size of its header, whether its cells start with a child's page number, whether it is a table's. */
const RECORD_PAGES: Record<number, { header: number; child: boolean; table: boolean }> = {
  0x0d: { header: 8, child: false, table: true },
  0x0a: { header: 8, child: false, table: false },
  0x02: { header: 12, child: true, table: false },
};

/** An interior table page (0x05): its cells are a child's page number and a rowid, no record (§1.6). */
function markInteriorTable(db: Buffer, base: number, hdr: number, end: number, accounted: Accounted): void {
  const count = db.readUInt16BE(base + hdr + 3);
  accounted.mark(base + hdr, Math.min(base + hdr + 12 + count * 2, end));
  for (let i = 0; i < count; i++) {
    const ptrAt = base + hdr + 12 + i * 2;
    if (ptrAt + 2 > end) break;
    const at = base + db.readUInt16BE(ptrAt);
    if (at + 4 >= end) continue;
    const [, rl] = varint(db, at + 4, end);
    if (rl) accounted.mark(at, at + 4 + rl);
  }
}

function* pageRecords(db: Buffer, pageSize: number, usable: number, text: (s: Buffer) => string, stopped: { why?: string }, layout: Layout, accounted: Accounted, onHeader?: OnHeader): Generator<string> {
  const pages = layout.count;
  /** Overflow pages already read for a record (1-based positions). */
  const used = new Uint8Array(pages + 1);
  for (let p = 0; p < pages; p++) {
    const base = layout.base(p);
    const hdr = layout.first(p) ? 100 : 0;
    const end = Math.min(base + usable, db.length);
    if (db[base + hdr] === 0x05 && base + hdr + 12 <= end) markInteriorTable(db, base, hdr, end, accounted);
    const kind = RECORD_PAGES[db[base + hdr]!];
    if (!kind || base + hdr + kind.header > end) continue;
    const cells: Array<{ start: number; at: number; len: number; local: number; next: number; size: number }> = [];
    const count = db.readUInt16BE(base + hdr + 3);
    for (let i = 0; i < count; i++) {
      const ptrAt = base + hdr + kind.header + i * 2;
      if (ptrAt + 2 > end) break;
      const start = base + db.readUInt16BE(ptrAt);
      let at = start + (kind.child ? 4 : 0);
      if (at >= end) continue;
      const [len, ll] = varint(db, at, end);
      if (!ll) continue;
      at += ll;
      if (kind.table) {
        const [, rl] = varint(db, at, end);
        if (!rl) continue;
        at += rl;
      }
      const here = local(len, usable, kind.table);
      const next = here < len && at + here + 4 <= end ? db.readUInt32BE(at + here) : 0;
      cells.push({ start, at, len, local: Math.min(here, end - at), next, size: at + here + (here < len ? 4 : 0) - start });
    }
    // Cells stand apart on a page SQLite wrote; pointers that name one cell twice or cells that overlap multiply the rows.
    const starts = cells.map((c, i) => i).sort((a, b) => cells[a]!.at - cells[b]!.at);
    for (let k = 1; k < starts.length; k++) {
      const prev = cells[starts[k - 1]!]!;
      const cur = cells[starts[k]!]!;
      if (cur.at < prev.at + prev.local) {
        stopped.why = `page ${p + 1}'s cell pointers name ${cur.at === prev.at ? 'one cell twice' : 'cells that overlap'} (${count} pointers)`;
        return;
      }
    }
    // The page's header and cell pointers; each cell's child page, lengths and rowid, and its overflow link.
    accounted.mark(base + hdr, Math.min(base + hdr + kind.header + count * 2, end));
    for (const c of cells) {
      accounted.mark(c.start, c.at);
      if (c.local < c.len) accounted.mark(c.at + c.local, c.at + c.local + 4);
      const payload = c.local < c.len && c.next ? overflowed(db, c, pageSize, usable, used, layout, accounted) : null;
      const line = payload ? record(payload.bytes, 0, payload.bytes.length, text, payload.mark, onHeader) : record(db, c.at, c.at + c.local, text, (from, to) => accounted.mark(from, to), onHeader);
      if (line !== null) yield line;
    }
  }
}

/**
 * A record's payload whole: its local part, then its overflow pages' bytes, the chain followed while its pages are
 * new and in the file; with a Mark that marks a range of the payload where its bytes are in the file.
 */
function overflowed(db: Buffer, c: { at: number; len: number; local: number; next: number }, pageSize: number, usable: number, used: Uint8Array, layout: Layout, accounted: Accounted): { bytes: Buffer; mark: Mark } {
  const parts = [db.subarray(c.at, c.at + c.local)];
  /** Where each part starts in the payload, and in the file. */
  const places: Array<[number, number]> = [[0, c.at]];
  let have = c.local;
  // `used` is by position: a page read once for one record is read for no other.
  for (let n = c.next, q = layout.position(n); q >= 0 && q + 1 < used.length && !used[q + 1] && have < c.len; q = layout.position(n)) {
    used[q + 1] = 1;
    const base = layout.base(q);
    const take = Math.min(usable - 4, c.len - have, db.length - base - 4);
    if (take <= 0) break;
    accounted.mark(base, base + 4);
    places.push([have, base + 4]);
    parts.push(db.subarray(base + 4, base + 4 + take));
    have += take;
    n = db.readUInt32BE(base);
  }
  const mark: Mark = (from, to) => {
    for (let k = 0; k < places.length; k++) {
      const [p, f] = places[k]!;
      const q = p + parts[k]!.length;
      if (from < q && to > p) accounted.mark(f + Math.max(from, p) - p, f + Math.min(to, q) - p);
    }
  };
  return { bytes: Buffer.concat(parts), mark };
}

export class SqliteText extends HeldDocument {
  constructor(ctx: InspectContext, path: string | undefined, open: (name: string, kind: 'view' | 'content') => Member) {
    super(ctx, path, open, MAX_SQLITE, 'application/x-sqlite3', 'a SQLite database');
  }

  async finish(): Promise<void> {
    const db = this.takeHeld();
    if (!db) return;
    const headers = new HeaderValues();
    const r = sqliteRows(db, headers.add);
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
    if (r.stopped.why) this.ctx.inspectionLimit('amplification', this.path, `the SQLite database was not read further: ${r.stopped.why}, which SQLite never writes`);
    if (v) {
      if (piece) await v.update(Buffer.from(piece));
      await v.finish();
    }
    // What the walk did not read as structure or numbers, read as binary of no known type (sqlite-residue.ts).
    // (And the values its records' headers spell, sqlite-headers.ts.)
    const ints = residueIntegers(db, r.accounted, r.tail) + headers.finish();
    if (ints) {
      const w = this.open('(binary-integers)', 'view');
      await w.update(Buffer.from(ints));
      await w.finish();
    }
  }
}
