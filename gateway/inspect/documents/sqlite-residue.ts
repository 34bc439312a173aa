import { BinaryIntegers } from '../marks/binary-integers.js';

// The bytes of a SQLite database or -wal that its structure does not account for, read like binary of no known
// type (review12: msgpack mobiles after a database's one page, after a -wal's header or its last whole frame, in a
// page's free space or in a blob crossed; the binary-number reader was off for SQLite content). The reader is not
// run over the whole file: a record's header is a row of serial types, and a table of nullable columns writes
// `1B 00 00 00 04` (text of 7, three NULLs, an int32), msgpack's shape of an integer of a mobile's range: over
// three ordinary databases of 40,000 rows with NULLs, 270 to 295 lines of a mobile's digits each. So the walk
// (sqlite-text.ts) marks what it reads as structure or as a number: the header's fields, a -wal's and its frames'
// headers, b-tree page headers and cell pointers, cells' lengths, rowids and child pages, records' headers and
// their integers and reals, overflow links. The rest (text and blobs as bytes, free space, pages of no b-tree,
// the bytes past the last whole page or frame) is read with those bytes as zeros: a marker there sees no value.
// Read as code is (BinaryIntegersOptions.code): a value under a key that names a phone or an id, or a record's
// value beside another (an array) or under a key of 3 bytes or more. A deleted row's header stays in its page's
// freeblock, unmarked, lone: the plain reader gave 98 to 104 lines over those three databases, this one none
// (71 files, 86.6 MiB: 22 made with sqlite3 and better-sqlite3, 49 of this machine: Chromium profiles, NSS,
// Ferry's own audit and queue databases and their -wal files).

/** The bytes of a file marked as read, a bit each (a 64 MiB database, 8 MiB). */
export class Accounted {
  readonly #bits: Uint8Array;
  readonly #size: number;

  constructor(size: number) {
    this.#size = size;
    this.#bits = new Uint8Array(Math.ceil(size / 8));
  }

  mark(from: number, to: number): void {
    const end = Math.min(to, this.#size);
    let i = Math.max(from, 0);
    for (; i < end && i & 7; i++) this.#bits[i >> 3]! |= 1 << (i & 7);
    for (; i + 8 <= end; i += 8) this.#bits[i >> 3] = 0xff;
    for (; i < end; i++) this.#bits[i >> 3]! |= 1 << (i & 7);
  }

  /** Zeroes the marked bytes of piece, which holds the file's bytes from `at` (a multiple of 8). */
  clear(piece: Buffer, at: number, n: number): void {
    for (let i = 0; i < n; i += 8) {
      const m = this.#bits[(at + i) >> 3]!;
      if (m) for (let k = 0; k < 8 && i + k < n; k++) if (m & (1 << k)) piece[i + k] = 0;
    }
  }
}

const PIECE = 65536;

/**
 * The binary-number reader's lines over the file's bytes that were not marked ('' when none); and over the bytes
 * from `tail` (a database's past its last whole page, which SQLite never writes) as binary of no known type, lone
 * values too (review13, 2 Dec: a lone msgpack mobile appended to a database crossed; ordinary databases end on a
 * page's end, so none of the files measured above has a byte there).
 */
export function residueIntegers(db: Buffer, accounted: Accounted, tail = db.length): string {
  const ints = new BinaryIntegers({ code: true });
  const piece = Buffer.alloc(PIECE);
  for (let at = 0; at < db.length; at += PIECE) {
    const n = db.copy(piece, 0, at, Math.min(at + PIECE, db.length));
    accounted.clear(piece, at, n);
    ints.write(piece.subarray(0, n));
  }
  if (tail >= db.length) return ints.finish();
  const after = new BinaryIntegers();
  after.write(db.subarray(tail));
  return ints.finish() + after.finish();
}
