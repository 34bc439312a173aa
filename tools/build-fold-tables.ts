// Part of `npm run build`: the folding tables of the text scanner
// (gateway/inspect/marks/text-fold.ts) written beside their module, so that an
// inspection worker reads 320 KiB instead of building them as it starts.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildFoldTables, foldTablesFile, foldTablesKey } from '../gateway/inspect/marks/text-fold.js';

const FILE = fileURLToPath(new URL('../gateway/inspect/marks/fold-tables.bin', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(FILE, foldTablesFile(buildFoldTables(), foldTablesKey()));
}
