import { open } from 'node:fs/promises';

/**
 * fsync a directory so that a rename or create inside it survives a crash
 * (POSIX makes the directory entry durable only through the directory's fd).
 */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
