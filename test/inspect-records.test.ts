// Records past what was read before (issue 14, 1 Dec 2026): SQLite overflow
// pages followed, rows multiplied by repeated cell pointers refused early,
// an .xls whose cells repeat one long string refused early; ordinary large
// databases and workbooks stay clean.
import t from 'tap';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { MARK } from './evasion-fixtures.js';
import { checkSamples, sqliteFile } from './office-fixtures.js';
import xzDecompress from 'xz-decompress';
import { XZ_MADE, cnsCleanSamples, cnsSamples, deltaEncode, idIntegerCleanSamples, idIntegerSamples, sqliteAcrossOverflow, sqliteLocal, sqliteRecordCleanSamples, sqliteRecordSamples, xlsRecordCleanSamples, xlsRecordSamples, xzCleanSamples, xzInput, xzSamples, xzStored } from './records-fixtures.js';
import { XzBlocks } from '../gateway/inspect/archives/xz-container.js';
import { sqliteRows } from '../gateway/inspect/documents/sqlite-text.js';

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

/** An xz file through the decoder in use and the block walk (as decompress-handler.ts does), fed `step` bytes at a time. */
async function unxz(data: Buffer, step: number): Promise<Buffer> {
  const blocks = new XzBlocks();
  const input = new TransformStream<Uint8Array, Uint8Array>();
  const w = input.writable.getWriter();
  const r = new xzDecompress.XzReadableStream(input.readable).getReader();
  const out: Buffer[] = [];
  const pump = (async () => {
    for (;;) {
      const x = await r.read();
      if (x.done) break;
      out.push(...blocks.output(Buffer.from(x.value)));
    }
    out.push(...blocks.outputEnd());
  })();
  pump.catch(() => {});
  for (let i = 0; i < data.length; i += step) for (const b of blocks.input(data.subarray(i, i + step))) await Promise.race([w.write(new Uint8Array(b)), pump]);
  for (const b of blocks.end()) await Promise.race([w.write(new Uint8Array(b)), pump]);
  await Promise.race([w.close(), pump]);
  await pump;
  return Buffer.concat(out);
}

t.test('xz: SHA-256, BCJ and delta undone byte for byte, in pieces of any size', async (t) => {
  for (const [name, b64] of Object.entries(XZ_MADE)) {
    const want = xzInput(name.endsWith('Marked'));
    for (const step of [1, 7, 4096, 1 << 20]) t.ok((await unxz(Buffer.from(b64, 'base64'), step)).equals(want), `${name}, ${step} bytes at a time`);
  }
  const memo = xzInput(true);
  t.ok((await unxz(xzStored(memo, { check: 10, blockSize: 100, filters: [[0x03, Buffer.from([0])]], encode: (b) => deltaEncode(b, 1) }), 13)).equals(memo), 'delta, 100-byte blocks');
  await t.rejects(unxz(xzStored(memo, { check: 10, badCheck: true }), 4096), /check does not match/, 'a SHA-256 that does not match');
  await t.rejects(unxz(xzStored(memo, { check: 1, badCheck: true, filters: [[0x04, Buffer.alloc(0)]] }), 4096), /check does not match/, 'a CRC32 after BCJ that does not match');
  t.equal((await unxz(xzStored(Buffer.alloc(0)), 4096)).length, 0, 'a file of no block (xz < /dev/null)');
  t.ok((await unxz(Buffer.concat([xzStored(Buffer.alloc(0)), xzStored(memo)]), 5)).equals(memo), 'an empty stream, then one with data');
  const cut = Buffer.from(XZ_MADE.x86Sha256Marked, 'base64');
  await t.rejects(unxz(cut.subarray(0, cut.length - 13), 4096), /ends short/, 'a file cut short');
});

t.test('xz: read whatever its check and filters; what is not read is named', async (t) => {
  await checkSamples(t, xzSamples(), xzCleanSamples());
});

t.test('ISO-2022-CN that shifts to a CNS 11643 plane is uninspectable; other ISO-2022 text stays clean', async (t) => {
  for (const s of cnsSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === 'uninspectable' && /CNS 11643 plane/.test(f.detail ?? '')), `${s.name}: ${kinds(r.findings).join(', ')}`);
    // The designation cut by a chunk's end, after its ESC $.
    const at = s.body.indexOf(Buffer.from('\x1b$'));
    const c = await inspectChunks([s.body.subarray(0, at + 2), s.body.subarray(at + 2)], {}, { filename: s.filename, declaredType: s.type });
    t.ok(c.findings.some((f) => f.kind === 'uninspectable'), `${s.name}, cut after ESC $: ${kinds(c.findings).join(', ')}`);
  }
  await checkSamples(t, [], cnsCleanSamples());
});

t.test('resident ids as 64-bit integers in records are read; timestamps, hashes and serials stay clean', async (t) => {
  for (const s of idIntegerSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === 'personal-data' && f.subkind === 'cn-resident-id'), `${s.name}: ${kinds(r.findings).join(', ')}`);
  }
  await checkSamples(t, [], idIntegerCleanSamples());
});
