// A SQLite write-ahead log (`-wal`) as pages (ninth red team, W1: a copy of a database's -wal taken before a
// checkpoint carries the newest rows; an INTEGER column of mobile numbers in it crossed, six big-endian bytes a
// cell). https://www.sqlite.org/fileformat2.html §4.1: a 32-byte header (magic 377F0682 or 377F0683, version
// 3007000, the page size), then frames of a 24-byte header (the page's number first) and one page. Every frame
// is read, stale ones of an earlier checkpoint too (their bytes are there for any program to read); an overflow
// chain's page numbers are found in the latest frame that holds that page. The pages are then walked as a
// database's are (sqlite-text.ts).

const WAL_VERSION = 3007000;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

export function isSqliteWal(head: Buffer): boolean {
  if (head.length < WAL_HEADER) return false;
  const magic = head.readUInt32BE(0);
  const size = head.readUInt32BE(8);
  return (magic === 0x377f0682 || magic === 0x377f0683) && head.readUInt32BE(4) === WAL_VERSION && size >= 512 && size <= 65536 && (size & (size - 1)) === 0;
}

export interface WalPages {
  pageSize: number;
  frames: number;
  /** Where the page of frame k starts in the log. */
  base: (k: number) => number;
  /** Frame of the latest version of each database page (1-based page numbers). */
  latest: Map<number, number>;
  /** Frames whose page is the database's first (its 100-byte header before the b-tree page's). */
  first: Set<number>;
}

/** The log's frames, read in place (no copy of the pages). */
export function walPages(wal: Buffer): WalPages | null {
  if (!isSqliteWal(wal)) return null;
  const pageSize = wal.readUInt32BE(8);
  const frames = Math.floor((wal.length - WAL_HEADER) / (FRAME_HEADER + pageSize));
  const latest = new Map<number, number>();
  const first = new Set<number>();
  for (let k = 0; k < frames; k++) {
    const n = wal.readUInt32BE(WAL_HEADER + k * (FRAME_HEADER + pageSize));
    latest.set(n, k);
    if (n === 1) first.add(k);
  }
  return { pageSize, frames, base: (k) => WAL_HEADER + k * (FRAME_HEADER + pageSize) + FRAME_HEADER, latest, first };
}
