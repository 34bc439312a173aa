import { personalDigits } from '../marks/binary-integers.js';

// The bytes a record's header spells (review13, 2 Dec: "a record's header crafted to hold a value is still not
// read"). A header is a row of serial types, one varint a column, read by the walk as structure (sqlite-text.ts)
// and so left out of the residue's bytes (sqlite-residue.ts); a writer who chooses the columns' types and lengths
// chooses those bytes, and `CF 00 00 00 03 37 47 6B 4E` (a blob of 5,050 bytes, two NULLs, an int24, texts of 21,
// 29, 47 and 33 bytes) is msgpack's uint 64 of 13812345678 to a reader that takes the file's bytes as they are.
// Each header is read alone (no value runs from one into the next or into the body) for msgpack's markers: CF and
// D3 are varints' first bytes there, `CF 00` and `D3 00` a blob of exactly 5,050 or 5,306 bytes; then two NULLs and
// an int24 or int32 make the high word. Over 17 ordinary databases and -wal files (106 MiB, 390,370 records: made
// with better-sqlite3 and Python's sqlite3, NULLs, deleted rows, indexes, blobs of every size to 10,000 bytes, wide
// and UTF-16 tables; this machine's NSS and Ferry databases) they gave no line; a table made to measure (3,000 rows
// of blobs of exactly 5,050 or 5,306 bytes, then nullable columns and an int) gave 542, and would be refused. CBOR's
// 1B is a text of 7 bytes, `1B 00 00 00 04` three NULLs and an int32, a nullable row's every day: 7 lines in one
// of those 17 files; not read here, so a header spelling CBOR's uint 64 still crosses (docs/findings.md).

/** msgpack uint 64 and int 64: big-endian after the marker. */
const MARKERS = new Set([0xcf, 0xd3]);
/** At most this many characters of digits a database (as the residue's reader). */
const MAX_OUT = 4 * 1024 * 1024;

export class HeaderValues {
  #out: string[] = [];
  #size = 0;
  readonly #markers: Set<number>;

  constructor(markers: Iterable<number> = MARKERS) {
    this.#markers = new Set(markers);
  }

  /** A record's header bytes (its size varint first). */
  add = (h: Buffer): void => {
    for (let i = 1; i + 9 <= h.length; i++) {
      if (!this.#markers.has(h[i]!)) continue;
      const v = personalDigits(h.readUInt32BE(i + 1), h.readUInt32BE(i + 5), '');
      if (v && this.#size <= MAX_OUT) {
        this.#out.push(v);
        this.#size += v.length + 1;
      }
    }
  };

  /** The values found, a line each ('' when none). */
  finish(): string {
    return this.#out.length ? `${this.#out.join('\n')}\n` : '';
  }
}
