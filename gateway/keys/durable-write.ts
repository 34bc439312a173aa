import { randomBytes } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir } from '../durability/fsync-dir.js';

/**
 * Replaces `path` with `data` so that a crash leaves the old file or the new
 * one, never a mix: a fresh temporary file with `mode`, fsynced, renamed over,
 * then the directory fsynced so the rename itself is durable.
 */
export async function writeFileDurably(path: string, data: Buffer, mode: number): Promise<void> {
  const tmp = await writeTempBeside(path, data, mode);
  await rename(tmp, path);
  await fsyncDir(dirname(path));
}

/**
 * A fresh temporary file beside `path` holding `data`, opened with its final
 * `mode` (never chmod'ed later) and fsynced; returns its name, for the caller
 * to rename or link into place.
 */
export async function writeTempBeside(path: string, data: Buffer, mode: number): Promise<string> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return tmp;
}
