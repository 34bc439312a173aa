// review13 (2 Dec): "a record's header crafted to hold a value is still not read". A record's header is a row of
// serial types, read by the walk as structure and left out of the bytes read raw (sqlite-residue.ts); a writer who
// chooses the columns' types and lengths spells msgpack's uint 64 or int 64 of a mobile with them: a blob of 5,050
// bytes (`CF 00`), two NULLs, an int24 (`03`), then four texts or blobs whose lengths make the low word. Now each
// header's bytes are read for msgpack's markers (documents/sqlite-headers.ts). Ordinary databases stay clean: NULLs
// in every row (CBOR's `1B 00 00 00 04` shape, not read in headers), blobs of every size but a table of exact ones.
import Database from 'better-sqlite3';
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { sqliteFile } from './office-fixtures.js';
import { walFile } from './sqlite-wal-fixtures.js';

const MOBILE = 'personal-data:cn-mobile';

/**
 * A row whose record header spells `marker 00 00 00 hi b5 b6 b7 b8`: the blob whose length's varint is `marker 00`,
 * two NULLs, an integer SQLite stores in `hi` bytes' type (3: int24, 4: int32), then a text (odd type) or a blob
 * (even) per byte of the low word. Returns the row and the 64-bit value it spells.
 */
function spelling(marker: 0xcf | 0xd3, hi: 3 | 4, lo: number): { row: unknown[]; value: number } {
  const blobLen = ((marker & 0x7f) * 128 - 12) / 2;
  // (A BigInt is bound as an integer; a number in a column of no type would be stored as a REAL, type 7.)
  const cols: unknown[] = [Buffer.alloc(blobLen, 0x41), null, null, hi === 3 ? 100_000n : 100_000_000n];
  for (const type of Buffer.from([lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff])) {
    if (type < 13) throw new Error('a serial type of no text or blob');
    cols.push(type & 1 ? 'x'.repeat((type - 13) / 2) : Buffer.alloc((type - 12) / 2, 0x42));
  }
  return { row: cols, value: hi * 2 ** 32 + lo };
}

const SCHEMA = 'CREATE TABLE r (a, b, c, d, e, f, g, h)';
/** A low word whose four bytes are serial types of texts and blobs (13 and more) and which makes a mobile with hi. */
const lo1 = 13_812_329_294 - 3 * 2 ** 32; // 37 47 6B 4E
const lo2 = 18_612_345_678 - 4 * 2 ** 32; // 55 61 6A 4E

t.test('a record header whose serial types spell msgpack\'s integer of a mobile is read', async (t) => {
  const a = spelling(0xcf, 3, lo1);
  const b = spelling(0xd3, 4, lo2);
  t.equal(String(a.value), '13812329294');
  t.equal(String(b.value), '18612345678');
  for (const [name, body, filename] of [
    ['uint 64 (CF) spelt by a row', sqliteFile(SCHEMA, 'r', [['a', 1, 2, 3, 'b', 'c', 'd', 'e'], a.row]), 'app.db'],
    ['int 64 (D3) spelt by a row', sqliteFile(SCHEMA, 'r', [b.row]), 'app.db'],
    ['uint 64 spelt by a row in the -wal', walFile(SCHEMA, 'r', [a.row]), 'app.db-wal'],
  ] as const) {
    t.ok(kinds((await inspectBytes(body, {}, { filename })).findings).includes(MOBILE), name);
  }
});

/** A database made by SQLite whose table `build` fills. */
function made(schema: string, fill: (ins: Database.Statement) => void): Buffer {
  const rows: unknown[][] = [];
  fill({ run: (...r: unknown[]) => rows.push(r) } as unknown as Database.Statement);
  return sqliteFile(schema, schema.match(/CREATE TABLE (\w+)/)![1]!, rows);
}

t.test('ordinary databases stay clean', async (t) => {
  let seed = 11;
  const rnd = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) % n);
  const cleans: Array<[string, Buffer]> = [
    // A text of 7, three NULLs, an int32: `1B 00 00 00 04`, CBOR's shape of a mobile; not read in a header.
    ['nullable rows (text of 7, NULLs, int32, texts)', made('CREATE TABLE n (a, b, c, d, e, f, g, h, i)', (ins) => {
      for (let i = 0; i < 3000; i++) ins.run('abcdefg', null, null, null, BigInt(1_000_000_000 + i), 'x'.repeat(rnd(50)), 'y'.repeat(rnd(50)), 'z'.repeat(rnd(50)), 'w'.repeat(rnd(50)));
    })],
    ['blobs of every size to 8,000 bytes before NULLs and an int', made('CREATE TABLE c (data BLOB, a, b, n INTEGER, t1, t2, t3, t4)', (ins) => {
      for (let i = 0; i < 600; i++) ins.run(Buffer.alloc(rnd(8000), i & 0xff), rnd(2) ? null : 'k', null, BigInt(rnd(2 ** 31)), 'x'.repeat(rnd(60)), 'y'.repeat(rnd(60)), 'z'.repeat(rnd(60)), 'w'.repeat(rnd(60)));
    })],
    ['blobs of exactly 5,050 bytes before text columns', made('CREATE TABLE e (data BLOB, name TEXT, note TEXT, n INTEGER, t TEXT)', (ins) => {
      for (let i = 0; i < 200; i++) ins.run(Buffer.alloc(5050, 7), `name${i}`, 'note', BigInt(i), 'x'.repeat(rnd(40)));
    })],
    ['a table of 商业秘密 工作秘密 机密性 保密协议', sqliteFile('CREATE TABLE d (k TEXT, v TEXT)', 'd', [['条款', '商业秘密'], ['说明', '工作秘密、机密性、保密协议']])],
  ];
  for (const [name, body] of cleans) t.same(kinds((await inspectBytes(body, {}, { filename: 'app.db' })).findings), [], name);
});
