// The folding tables `npm run build` writes (tools/build-fold-tables.ts) are the ones text-fold.ts would
// build, and are used only when made from this module and this node's Unicode data.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { buildFoldTables, foldTables, foldTablesFile, foldTablesKey, readFoldTablesFile } from '../gateway/inspect/marks/text-fold.js';

const BUILT = fileURLToPath(new URL('../gateway/inspect/marks/fold-tables.bin', import.meta.url));
const same = (a: ArrayBufferView, b: ArrayBufferView) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

t.test('the build wrote the tables this module and this node make', (t) => {
  const made = buildFoldTables();
  const read = readFoldTablesFile(readFileSync(BUILT), foldTablesKey());
  t.ok(read, 'the built file is read (its key is this module and this Unicode data)');
  for (const k of ['fold', 'cls', 'blank', 'plane1'] as const) t.ok(read && same(read[k], made[k]), `${k} as built`);
  for (const k of ['fold', 'cls', 'blank', 'plane1'] as const) t.ok(same(foldTables()[k], made[k]), `${k} in use`);
  t.end();
});

t.test('tables made for other code or Unicode data, or cut, are not used', (t) => {
  const made = buildFoldTables();
  const key = foldTablesKey();
  const file = foldTablesFile(made, key);
  t.ok(readFoldTablesFile(file, key), 'the same key is read');
  t.equal(readFoldTablesFile(file, 'f'.repeat(64)), undefined, 'another key (text-fold.ts changed, another node) is not');
  t.equal(readFoldTablesFile(file.subarray(0, file.length - 1), key), undefined, 'a cut file is not');
  t.equal(readFoldTablesFile(Buffer.concat([file, Buffer.alloc(1)]), key), undefined, 'a longer one is not');
  t.end();
});
