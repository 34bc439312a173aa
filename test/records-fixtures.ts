// Records past what was read before (issue 14, 1 Dec 2026): a SQLite cell
// whose text goes on over overflow pages, rows multiplied by cell pointers
// that name one cell, an .xls whose cells name one long string, made by
// test code. Each sample must be refused with the finding named; the clean
// ones beside them are ordinary files that must cross.
import { ID, MARK, type Sample } from './evasion-fixtures.js';
import { sqliteFile } from './office-fixtures.js';
import { xlsCellBook, type XlsCell } from './ole2-fixtures.js';

const SQLITE = 'application/x-sqlite3';
/** Ordinary prose of a notice, for filler (no marking, no number). */
const PROSE = '关于加强档案管理工作的通知。各单位：请按照有关规定做好文件的收发、登记和归档工作，商业秘密按规定管理。';

/** The bytes of a SQLite table leaf's payload kept on the page (fileformat2 §1.6), for a usable size u. */
export function sqliteLocal(p: number, u: number): number {
  const x = u - 35;
  if (p <= x) return p;
  const m = Math.floor(((u - 12) * 32) / 255) - 23;
  const k = m + ((p - m) % (u - 4));
  return k <= x ? k : m;
}

/**
 * Text of `bytes` UTF-8 bytes (prose and newlines) with `inner` placed so that its
 * byte `cut` of it falls on the text's byte `at`.
 */
function textWith(inner: string, cut: number, at: number, bytes: number): string {
  const before = at - cut;
  const fill = (n: number): string => {
    let s = '';
    while (Buffer.byteLength(s) + Buffer.byteLength(PROSE) <= n) s += PROSE;
    return s + '\n'.repeat(n - Buffer.byteLength(s));
  };
  const tail = bytes - before - Buffer.byteLength(inner);
  return `${fill(before)}${inner}${'\n'.repeat(1)}${fill(tail - 1)}`;
}

/**
 * A one-column table of one text cell of n UTF-8 bytes whose payload goes on over overflow pages
 * (page size 4096), `inner` cut at its byte `cut` by the overflow link `link` (0: between the cell
 * and its first overflow page, 1: between the first and the second), after a row of prose.
 */
export function sqliteAcrossOverflow(inner: string, cut: number, link: 0 | 1, n = 9000): Buffer {
  const u = 4096;
  // The record: its header (size, the text's serial type 2n+13 as a varint), then the text.
  const serial = 2 * n + 13;
  const head = 1 + (serial < 128 ? 1 : serial < 16384 ? 2 : 3);
  const p = head + n;
  const local = sqliteLocal(p, u);
  const at = local - head + link * (u - 4);
  if (at + Buffer.byteLength(inner) - cut > n || local >= p) throw new Error('no such overflow link in this cell');
  // A row of prose first: its cell is the page's last, so the long cell's local part ends where it starts, not where the page does.
  return sqliteFile('CREATE TABLE notes (body TEXT)', 'notes', [[PROSE], [textWith(inner, cut, at, n)]], { pageSize: u });
}

/** A table of one long cell (64 KiB pages) whose page then names it `pointers` times, or names `pointers` cells each a byte into the one before. */
export function sqliteRepeatedCell(pointers: number, overlap = false): Buffer {
  const db = sqliteFile('CREATE TABLE notes (body TEXT)', 'notes', [[PROSE.repeat(200)]], { pageSize: 65536 });
  const page = 65536; // the table's root, page 2
  const cell = db.readUInt16BE(page + 8);
  if (page + 8 + pointers * 2 > page + cell) throw new Error('too many pointers for the page');
  db.writeUInt16BE(pointers, page + 3);
  for (let i = 0; i < pointers; i++) db.writeUInt16BE(overlap ? cell + i : cell, page + 8 + i * 2);
  return db;
}

/** Databases whose marking or id number is cut by an overflow page's link, or whose rows are multiplied. */
export function sqliteRecordSamples(): Sample[] {
  const s = (name: string, body: Buffer, expect: string): Sample => ({ name, filename: 'notes.sqlite', type: SQLITE, body, expect });
  const id = `身份证号：${ID}`;
  return [
    s('SQLite: a marking cut between a cell and its overflow page', sqliteAcrossOverflow(MARK, 3, 0), 'classified-marking'),
    s('SQLite: a marking cut between two overflow pages', sqliteAcrossOverflow(MARK, 6, 1), 'classified-marking'),
    s('SQLite: an id number cut between a cell and its overflow page', sqliteAcrossOverflow(id, Buffer.byteLength('身份证号：') + 9, 0), 'personal-data'),
    s('SQLite: 16,000 cell pointers naming one cell of 30 KB', sqliteRepeatedCell(16000), 'inspection-limit'),
    s('SQLite: 16,000 cell pointers a byte apart inside one cell', sqliteRepeatedCell(16000, true), 'inspection-limit'),
  ];
}

/** Ordinary databases: a large ledger with long notes over overflow pages, indexes, a WITHOUT ROWID table, deleted rows. */
export function sqliteRecordCleanSamples(): Sample[] {
  const s = (name: string, body: Buffer): Sample => ({ name, filename: 'ledger.sqlite', type: SQLITE, body, expect: 'clean' });
  const items = ['办公用品', '差旅费', '会议费', '培训费', '印刷费'];
  const rows = Array.from({ length: 30000 }, (_, i) => [i + 1, items[i % 5], 1234.5 + i * 3.25, 12 + (i % 50), 20260101 + (i % 28), i % 500 === 0 ? PROSE.repeat(40 + (i % 7)) : PROSE.slice(0, 10 + (i % 30))]);
  return [
    s('SQLite: a ledger of 30,000 rows, long notes over overflow pages, an index', sqliteFile('CREATE TABLE ledger (id INTEGER PRIMARY KEY, item TEXT, amount REAL, qty INTEGER, day INTEGER, note TEXT); CREATE INDEX by_item ON ledger (item, day)', 'ledger', rows)),
    s('SQLite: codes and counts in a WITHOUT ROWID table', sqliteFile('CREATE TABLE stats (region INTEGER PRIMARY KEY, name TEXT, population INTEGER) WITHOUT ROWID', 'stats', Array.from({ length: 3000 }, (_, i) => [110101 + i, items[i % 5], 1234567 * (i + 1)]), { pageSize: 1024 })),
  ];
}

const XLS = 'application/vnd.ms-excel';

/** A workbook of `cells` text cells (LABELSST records, 4 a row) that all name one shared string of `chars` characters. */
export function xlsRepeatedString(cells: number, chars: number): Buffer {
  const long = PROSE.repeat(Math.ceil(chars / PROSE.length)).slice(0, chars);
  return xlsCellBook(Array.from({ length: cells }, (_, i): XlsCell => ({ r: i >> 2, c: i & 3, v: long })));
}

/** Workbooks whose cells multiply one long string. */
export function xlsRecordSamples(): Sample[] {
  return [{ name: 'xls: 60,000 cells naming one shared string of 30,000 characters', filename: '报表.xls', type: XLS, body: xlsRepeatedString(60000, 30000), expect: 'inspection-limit' }];
}

/** An ordinary large workbook: 20,000 rows of names, departments, a remark repeated down its column, amounts. */
export function xlsRecordCleanSamples(): Sample[] {
  const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
  const given = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋'];
  const depts = ['办公室', '财务处', '人事处', '档案室', '信息中心'];
  const remarks = ['按规定办理。', '已核对，无误。', PROSE, `${PROSE}${PROSE}`, '待复核。'];
  const cells: XlsCell[] = [{ r: 0, c: 0, v: '姓名' }, { r: 0, c: 1, v: '部门' }, { r: 0, c: 2, v: '备注' }, { r: 0, c: 3, v: '金额' }];
  for (let i = 1; i <= 20000; i++) {
    cells.push({ r: i, c: 0, v: surnames[i % 10]! + given[(i * 7) % 10]! + given[(i * 3) % 10]! }, { r: i, c: 1, v: depts[i % 5]! }, { r: i, c: 2, v: remarks[i % 5]! }, { r: i, c: 3, v: 1234.5 + i * 0.25 });
  }
  return [{ name: 'xls: 20,000 rows, a remark repeated down its column', filename: '台账.xls', type: XLS, body: xlsCellBook(cells), expect: 'clean' }];
}

/** Every sample above, end to end through a gateway (gateway-evasions.test.ts). */
export function recordSamples(): Sample[] {
  return [...sqliteRecordSamples(), ...xlsRecordSamples()];
}

/** The ordinary files beside them, end to end. */
export function recordCleanSamples(): Sample[] {
  return [...sqliteRecordCleanSamples(), ...xlsRecordCleanSamples()];
}
