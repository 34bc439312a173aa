// Records past what was read before (issue 14, 1 Dec 2026): SQLite overflow
// pages followed, rows multiplied by repeated cell pointers refused early,
// an .xls whose cells repeat one long string refused early; ordinary large
// databases and workbooks stay clean.
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { MARK } from './evasion-fixtures.js';
import { sqliteFile } from './office-fixtures.js';
import { sqliteAcrossOverflow, sqliteLocal, sqliteRecordCleanSamples, sqliteRecordSamples, xlsRecordCleanSamples, xlsRecordSamples } from './records-fixtures.js';
import { sqliteRows } from '../gateway/inspect/sqlite-text.js';

t.test('SQLite: text across overflow pages is read whole; repeated cells are refused', async (t) => {
  for (const s of sqliteRecordSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === s.expect), `${s.name}: ${kinds(r.findings).join(', ')}`);
    if (s.expect === 'inspection-limit') t.ok(r.findings.some((f) => f.subkind === 'amplification'), `${s.name}: named amplification`);
  }
  for (const s of sqliteRecordCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(r.findings, [], `${s.name}: clean`);
  }
});

t.test('SQLite: the samples are what they say', async (t) => {
  // The marking is not in the file's bytes in one piece: only the rows put it together.
  for (const link of [0, 1] as const) {
    const db = sqliteAcrossOverflow(MARK, 3, link);
    t.notOk(db.includes(Buffer.from(MARK)), `link ${link}: the marking is cut in the file`);
    const r = sqliteRows(db);
    t.ok(r.ok && [...r.lines].some((l) => l.includes(MARK)), `link ${link}: the row holds it whole`);
  }
});

t.test('SQLite: overflow chains are bounded; WITHOUT ROWID rows on interior pages are read', async (t) => {
  // A chain that loops back to a page it read ends there.
  const db = sqliteAcrossOverflow(MARK, 3, 1);
  const pages = db.length / 4096;
  t.ok(pages >= 4, `${pages} pages`);
  // Page 2 is the table's leaf; its second cell: the payload's size (a 2-byte varint), the rowid (1 byte), the local part, the link.
  const cell = 4096 + db.readUInt16BE(4096 + 8 + 2);
  const size = ((db[cell]! & 0x7f) << 7) | db[cell + 1]!;
  t.equal(size, 9004, 'the payload as built');
  const firstOverflow = db.readUInt32BE(cell + 3 + sqliteLocal(size, 4096));
  t.ok(firstOverflow > 1, `first overflow page ${firstOverflow}`);
  // The first links back to itself: the chain ends there, the row is read as far as it goes.
  db.writeUInt32BE(firstOverflow, (firstOverflow - 1) * 4096);
  const r = sqliteRows(db);
  t.ok(r.ok, 'walked');
  const lines = r.ok ? [...r.lines] : [];
  t.equal(lines.length, 3, 'the schema row and the two notes');
  const bytes = Buffer.byteLength(lines[2] ?? '');
  t.ok(bytes > 4000 && bytes < 9000, `the note read to the loop (${bytes} bytes of 9,000)`);
  // Every row of a WITHOUT ROWID table, a b-tree whose interior pages hold rows of their own.
  const keys = Array.from({ length: 3000 }, (_, i) => 110101 + i);
  const w = sqliteRows(sqliteFile('CREATE TABLE s (k INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID', 's', keys.map((k) => [k, `v${k}`]), { pageSize: 512 }));
  const got = new Set(w.ok ? [...w.lines] : []);
  t.equal(keys.filter((k) => !got.has(`${k},v${k}`)).length, 0, 'every row read');
});


t.test('xls: cells naming one long string again and again are refused early; a large workbook stays clean', async (t) => {
  for (const s of xlsRecordSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === 'inspection-limit' && f.subkind === 'amplification'), `${s.name}: ${kinds(r.findings).join(', ')}`);
  }
  for (const s of xlsRecordCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(r.findings, [], `${s.name} (${s.body.length} bytes): clean`);
  }
});
