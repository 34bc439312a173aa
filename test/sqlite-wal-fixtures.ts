// Ninth red team (redteam9, 2 Dec; probes lost, samples rebuilt here), W1: a SQLite write-ahead log (`-wal`), copied
// while the database is open and before a checkpoint, holds the newest rows in its frames' pages; rows whose mobile
// numbers are an INTEGER column, or whose text an overflow chain cuts at a frame's header, crossed. Made by SQLite
// itself (better-sqlite3, journal_mode=WAL, automatic checkpoints off).
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Sample } from './evasion-fixtures.js';

/** The -wal of a database made by `schema` and `rows` (each statement a transaction), copied while it is open; `after` runs last. */
export function walFile(schema: string, table: string, rows: unknown[][], opts: { encoding?: string; after?: string[] } = {}): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-wal-'));
  try {
    const file = join(dir, 'app.db');
    const db = new Database(file);
    if (opts.encoding) db.pragma(`encoding = '${opts.encoding}'`);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec(schema);
    const ins = db.prepare(`INSERT INTO ${table} VALUES (${rows[0]!.map(() => '?').join(',')})`);
    for (const r of rows) ins.run(...r);
    for (const sql of opts.after ?? []) db.exec(sql);
    copyFileSync(`${file}-wal`, join(dir, 'copy-wal'));
    db.close();
    return readFileSync(join(dir, 'copy-wal'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const WAL = 'application/octet-stream';
const names = ['张三', '李四', '王五', '赵六', '钱七'];
const mobiles = [13812345678, 13998765432, 15012348765, 18611112222, 17755556666];
const MARK = '机密★10年';

/**
 * A text of 6,000 bytes whose marking the end of its cell's local part cuts between 机 and 密 (fileformat2 §1.6,
 * a page of 4,096: a payload P of 6,003 bytes keeps K = M + (P - M) % (U - 4) = 489 + 1,422 = 1,911 bytes on the
 * leaf; 1 + 2 header bytes and 1,905 of 'x' before 机 put its end there); the rest is on an overflow page, another
 * frame. Checked: 机密's bytes are nowhere side by side in the log.
 */
export function cutWal(): Buffer {
  const text = `${'x'.repeat(1905)}${MARK}${'x'.repeat(6000 - 1905 - Buffer.byteLength(MARK))}`;
  const wal = walFile('CREATE TABLE notes (body TEXT)', 'notes', [[text]]);
  if (wal.includes(Buffer.from('机密'))) throw new Error('the marking is not cut');
  return wal;
}

export function walSamples(): Sample[] {
  const s = (name: string, body: Buffer, expect: string): Sample => ({ name, filename: 'app.db-wal', type: WAL, body, expect });
  return [
    s('W1: -wal, mobiles in an INTEGER column', walFile('CREATE TABLE contacts (name TEXT, mobile INTEGER)', 'contacts', names.map((n, i) => [n, mobiles[i]])), 'personal-data'),
    s('W1: -wal, mobiles in an indexed INTEGER column, UTF-16 text', walFile('CREATE TABLE contacts (name TEXT, mobile INTEGER); CREATE INDEX m ON contacts (mobile)', 'contacts', names.map((n, i) => [n, mobiles[i]]), { encoding: 'UTF-16le' }), 'personal-data'),
    s('W1: -wal, a mobile updated: the frame of the old row and of the new', walFile('CREATE TABLE contacts (name TEXT, mobile INTEGER)', 'contacts', [['张三', 1]], { after: ['UPDATE contacts SET mobile = 13812345678'] }), 'personal-data'),
    // Read on main already (the raw reading joins the two runs of text across the frame's header): kept so that it stays read.
    s('W1: -wal, a marking cut between two overflow pages (frames)', cutWal(), 'classified-marking'),
  ];
}

export function walCleanSamples(): Sample[] {
  const s = (name: string, body: Buffer): Sample => ({ name, filename: 'app.db-wal', type: WAL, body, expect: '' });
  const orders = Array.from({ length: 40 }, (_, i) => [20261202000 + i, 1733100000 + i * 60, 1999 + i * 7, i % 2 ? '商业秘密培训教材' : '机密性与完整性说明']);
  return [
    s('W1 clean: -wal of orders (order numbers, timestamps, amounts in cents)', walFile('CREATE TABLE orders (no INTEGER, ts INTEGER, cents INTEGER, note TEXT)', 'orders', orders)),
    s('W1 clean: -wal of an ordinary notes table with updates and deletes', walFile('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)', 'notes', [[1, '工作秘密不属于国家秘密'], [2, '请遵守保密协议'], [3, '各'.repeat(5000)]], { after: ['UPDATE notes SET body = \'已修订\' WHERE id = 1', 'DELETE FROM notes WHERE id = 2'] })),
  ];
}
