// review13 (2 Dec): a lone msgpack mobile (uint 64 after CF, no key, no neighbour) appended to a SQLite database
// crossed: what the walk leaves is read as code is (sqlite-residue.ts), where a lone value is not read. A database
// is a whole number of pages; the bytes past its last whole page, which SQLite never writes, are now read as binary
// of no known type, lone values too. Ordinary databases (NULLs, deleted rows, blobs) have none there, and stay clean.
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { sqliteFile } from './office-fixtures.js';

const be64 = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(v));
  return b;
};
const MOBILE = 'personal-data:cn-mobile';
const db = (): Buffer => sqliteFile('CREATE TABLE t (a TEXT, b, c INTEGER)', 't', [['hello', null, 5n], ['world', 'x', 7n]]);

t.test('a lone msgpack mobile past a database\'s last whole page is read', async (t) => {
  for (const [name, body] of [
    ['uint 64 (CF) appended', Buffer.concat([db(), Buffer.from([0xcf]), be64(13_812_345_678)])],
    ['int 64 (D3) appended after a few bytes', Buffer.concat([db(), Buffer.from('note'), Buffer.from([0xd3]), be64(18_612_345_678)])],
  ] as const) {
    t.ok(kinds((await inspectBytes(body, {}, { filename: 'app.db' })).findings).includes(MOBILE), name);
  }
});

t.test('ordinary databases end on a page\'s end and stay clean', async (t) => {
  const rows = Array.from({ length: 3000 }, (_, i) => [i % 2 ? null : 'abcdefg', null, BigInt(1_000_000_000 + i)]);
  for (const [name, body] of [
    ['nullable rows', sqliteFile('CREATE TABLE n (a TEXT, b, c INTEGER)', 'n', rows)],
    ['a table of 商业秘密 工作秘密 机密性 保密协议', sqliteFile('CREATE TABLE d (k TEXT, v TEXT)', 'd', [['条款', '商业秘密'], ['说明', '工作秘密、机密性、保密协议']])],
  ] as const) {
    t.same(kinds((await inspectBytes(body, {}, { filename: 'app.db' })).findings), [], name);
  }
});
