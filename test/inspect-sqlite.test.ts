// A SQLite database read as its rows (fifth red team N18): integers in cells
// as digits, walked page by page without opening the file with SQLite; what
// cannot be walked is uninspectable; ordinary databases stay clean.
import t from 'tap';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { binaryIntegerCleanSamples, binaryIntegerSamples, checkSamples, sqliteCleanSamples, sqliteFile, sqliteSamples } from './office-fixtures.js';
import { sqliteRows } from '../gateway/inspect/documents/sqlite-text.js';

t.test('integers in a SQLite database are read as digits, row by row', async (t) => {
  await checkSamples(t, sqliteSamples(), sqliteCleanSamples());
});

t.test('the record format: every serial type, text in UTF-16, rows past overflow', async (t) => {
  const db = sqliteFile('CREATE TABLE x (a, b, c, d, e, f)', 'x', [
    [0, 1, -129, 2 ** 40 + 7, -(2n ** 62n), 1.5],
    [null, '机密', Buffer.from([1, 2, 3]), 'x'.repeat(3000), 42, 'end'],
  ]);
  const r = sqliteRows(db);
  t.ok(r.ok);
  const lines = r.ok ? [...r.lines] : [];
  t.ok(lines.includes(`0,1,-129,${2 ** 40 + 7},${-(2n ** 62n)},1.5`), 'integers of 0 to 8 bytes, a real');
  t.ok(lines.some((l) => l.startsWith(',机密,,xxx')), 'null, text, a blob left out, text cut at its overflow');
  const u16 = sqliteRows(sqliteFile('CREATE TABLE y (a)', 'y', [['机密★10年']], { encoding: 'UTF-16be' }));
  t.ok(u16.ok && [...u16.lines].includes('机密★10年'), 'UTF-16BE text');
});

t.test('a database that cannot be walked is uninspectable', async (t) => {
  const db = sqliteFile('CREATE TABLE x (a)', 'x', [[1]]);
  db.writeUInt16BE(1000, 16); // not a power of two
  const r = await inspectBytes(db, {}, { filename: 'a.sqlite', declaredType: 'application/x-sqlite3' });
  t.ok(r.findings.some((f) => f.kind === 'uninspectable'), kinds(r.findings).join(', '));
});

t.test('integers after a serialisation marker in binary of no known type are read as digits', async (t) => {
  for (const s of binaryIntegerSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === s.expect), `${s.name}: ${kinds(r.findings).join(', ')}`);
    // In pieces, a form cut between two chunks.
    const c = await inspectChunks([s.body.subarray(0, 41), s.body.subarray(41)], {}, { filename: s.filename, declaredType: s.type });
    t.ok(c.findings.some((f) => f.kind === s.expect), `${s.name}, in two chunks: ${kinds(c.findings).join(', ')}`);
  }
  for (const s of binaryIntegerCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(r.findings, [], `${s.name}: clean`);
  }
});
