// review12: the bytes of a SQLite database or -wal that its structure does not account for (past the last whole
// page or frame, a page's free space, a page of no b-tree, a blob) are read with the binary-number reader, as
// binary of no known type is (sqlite-residue.ts). Before, that reader was off for SQLite content, and msgpack
// mobiles after a database's one page, after a -wal's header or its frames crossed. Ordinary databases (NULLs
// and deleted rows, integers, timestamps, indexes, random blobs, a -wal) stay clean.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { sqliteFile } from './office-fixtures.js';
import { walFile } from './sqlite-wal-fixtures.js';

const MOBILES = [13812345678, 13998765432, 15011112222];
const be64 = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(v));
  return b;
};
/** A msgpack array of three mobiles as uint 64 (CF). */
const msgpackArray = Buffer.concat([Buffer.from([0x93]), ...MOBILES.map((m) => Buffer.concat([Buffer.from([0xcf]), be64(m)]))]);
/** A msgpack map {name: 张三, mobile: 13812345678}. */
const msgpackMap = Buffer.concat([Buffer.from([0x82, 0xa4]), Buffer.from('name'), Buffer.from([0xa6]), Buffer.from('张三'), Buffer.from([0xa6]), Buffer.from('mobile'), Buffer.from([0xcf]), be64(MOBILES[0]!)]);

/** A database of one page of 4,096 bytes, an empty table leaf, as the review11 probe wrote it. */
function onePage(): Buffer {
  const db = Buffer.alloc(4096);
  db.write('SQLite format 3\0', 0, 'latin1');
  db.writeUInt16BE(4096, 16);
  db[18] = 1;
  db[19] = 1;
  db[21] = 64;
  db[22] = 32;
  db[23] = 32;
  db.writeUInt32BE(1, 28);
  db[100] = 0x0d;
  return db;
}

/** A database made by SQLite in a temporary directory: `build` runs on it; the main file's bytes, and a -wal's when asked. */
function made(build: (db: Database.Database) => void, wal = false): { db: Buffer; wal?: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-residue-'));
  try {
    const file = join(dir, 'app.db');
    const db = new Database(file);
    if (wal) {
      db.pragma('journal_mode = WAL');
      db.pragma('wal_autocheckpoint = 0');
    }
    build(db);
    const w = wal ? readFileSync(`${file}-wal`) : undefined;
    db.close();
    return { db: readFileSync(file), wal: w };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A table of 3 text rows on pages of 4,096; `at` is its leaf's free space (between the cell pointers and the cells). */
function withFreeSpace(bytes: Buffer): Buffer {
  const db = sqliteFile('CREATE TABLE t (a TEXT)', 't', [['hello'], ['world'], ['again']], { pageSize: 4096 });
  const leaf = 4096; // page 2, the table's root and only leaf
  const start = db.readUInt16BE(leaf + 5);
  const at = leaf + 8 + db.readUInt16BE(leaf + 3) * 2 + 64;
  if (at + bytes.length > leaf + start) throw new Error('no room');
  bytes.copy(db, at);
  return db;
}

/** The database with a page of no b-tree (its first byte 00) appended, holding `bytes`; the header's page count follows. */
function withPageOfNoTree(bytes: Buffer): Buffer {
  const db = sqliteFile('CREATE TABLE t (a TEXT)', 't', [['hello']], { pageSize: 4096 });
  const page = Buffer.alloc(4096);
  bytes.copy(page, 16);
  const out = Buffer.concat([db, page]);
  out.writeUInt32BE(out.length / 4096, 28);
  return out;
}

const contacts = (db: Database.Database): void => {
  db.exec('CREATE TABLE c (id INTEGER PRIMARY KEY, name TEXT, card BLOB)');
  const ins = db.prepare('INSERT INTO c (name, card) VALUES (?, ?)');
  ins.run('张三', msgpackMap);
  ins.run('李四', msgpackArray);
};

const evasions: Array<[string, Buffer, string]> = [
  ['a database of one page, msgpack mobiles after it', Buffer.concat([onePage(), msgpackArray]), 'app.db'],
  ['a database of one page, a msgpack map {mobile} after it', Buffer.concat([onePage(), msgpackMap]), 'app.db'],
  ['a database made by SQLite, msgpack mobiles after its last page', Buffer.concat([sqliteFile('CREATE TABLE t (a TEXT)', 't', [['hello']]), msgpackArray]), 'app.db'],
  ['a -wal header, msgpack mobiles after it', Buffer.concat([walFile('CREATE TABLE t (a TEXT)', 't', [['hello']]).subarray(0, 32), msgpackArray]), 'app.db-wal'],
  ['a real -wal, msgpack mobiles after its last whole frame', Buffer.concat([walFile('CREATE TABLE t (a TEXT)', 't', [['hello']]), msgpackArray]), 'app.db-wal'],
  ['msgpack mobiles in a leaf page\'s free space', withFreeSpace(msgpackArray), 'app.db'],
  ['a msgpack map {mobile} in a leaf page\'s free space', withFreeSpace(msgpackMap), 'app.db'],
  ['msgpack mobiles on a page of no b-tree', withPageOfNoTree(msgpackArray), 'app.db'],
  ['msgpack contacts in a BLOB column', made(contacts).db, 'contacts.db'],
  ['msgpack contacts in a BLOB column, in the -wal', made(contacts, true).wal!, 'contacts.db-wal'],
];

t.test('msgpack mobiles where a SQLite file\'s structure does not account for the bytes are refused cn-mobile', async (t) => {
  for (const [name, body, filename] of evasions) {
    const r = await inspectBytes(body, {}, { filename });
    t.ok(r.findings.some((f) => f.kind === 'personal-data' && f.subkind === 'cn-mobile'), `${name}: ${kinds(r.findings).join(', ')}`);
  }
});

const now = 1_764_000_000_000;
const cleans: Array<[string, Buffer, string]> = [
  // Record headers of nullable columns are `1B 00 00 00 04` (text of 7, three NULLs, an int32): msgpack's shape
  // of a mobile's integer; deleted rows leave them in freeblocks. Over 40,000 rows the whole file gave 270 lines.
  ['NULLs in every row, a third deleted', made((db) => {
    db.exec('CREATE TABLE n (a TEXT, b TEXT, c TEXT, d INTEGER, e INTEGER, f TEXT)');
    const ins = db.prepare('INSERT INTO n VALUES (?,?,?,?,?,?)');
    db.transaction(() => {
      for (let i = 0; i < 8000; i++) ins.run(i % 2 ? null : 'x'.repeat(i % 20), i % 3 ? null : 'abcdefg', null, i % 2 ? null : i * 1_000_003, (i * 7919) % 16_777_215, 'y'.repeat(i % 9));
    })();
    db.exec('DELETE FROM n WHERE rowid % 3 = 0');
  }).db, 'export.db'],
  ['integers, timestamps, reals, an index', made((db) => {
    db.exec('CREATE TABLE ev (id INTEGER PRIMARY KEY, ms INTEGER, s INTEGER, us INTEGER, f REAL, n INTEGER); CREATE INDEX evn ON ev(n); CREATE INDEX evt ON ev(ms, n)');
    const ins = db.prepare('INSERT INTO ev (ms, s, us, f, n) VALUES (?,?,?,?,?)');
    db.transaction(() => {
      for (let i = 0; i < 8000; i++) ins.run(now - i * 997, Math.floor(now / 1000) - i * 7, (now - i) * 1000, i / 7, (i * 2_654_435_761) % 2 ** 32);
    })();
  }).db, 'events.db'],
  // (Blobs of random bytes are cipher text to the entropy judge, uninspectable before and after.)
  ['blobs of readings (64-bit reals) and of 32-bit counters', made((db) => {
    db.exec('CREATE TABLE b (id INTEGER PRIMARY KEY, readings BLOB, counters BLOB)');
    const ins = db.prepare('INSERT INTO b (readings, counters) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 300; i++) {
        const r = Buffer.from(new Float64Array(Array.from({ length: 50 + (i % 200) }, (_, k) => 20 + Math.sin(i + k) * 5)).buffer);
        const c = Buffer.from(new Uint32Array(Array.from({ length: 64 }, (_, k) => (i * 64 + k) * 977)).buffer);
        ins.run(r, c);
      }
    })();
  }).db, 'readings.db'],
  ['a -wal of rows with NULLs and timestamps', made((db) => {
    db.exec('CREATE TABLE w (id INTEGER PRIMARY KEY, a TEXT, b TEXT, ts INTEGER, v INTEGER)');
    const ins = db.prepare('INSERT INTO w (a, b, ts, v) VALUES (?,?,?,?)');
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) ins.run(i % 2 ? null : 'abcdefg', null, now + i, i % 4 ? null : i);
    })();
  }, true).wal!, 'app.db-wal'],
];

t.test('ordinary SQLite databases and -wal files stay clean', async (t) => {
  for (const [name, body, filename] of cleans) {
    const r = await inspectBytes(body, {}, { filename });
    t.same(kinds(r.findings), [], name);
  }
});
