import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every file under a gateway's spool directory, as paths relative to it
 * (spool/<xx>/<id>.spool, spool/incoming/<id>.spool.part, and any file of the
 * flat layout): the fan-out's directories themselves are not listed.
 */
export async function spoolFiles(dataDir: string): Promise<string[]> {
  const root = join(dataDir, 'spool');
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(root.length + 1)).sort();
}
