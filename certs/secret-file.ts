// Files of the PKI are created exclusively ('wx'): issuing never overwrites a
// key or certificate that exists, and a key file is born 0600, never widened later.
import { access, writeFile } from 'node:fs/promises';

export const SECRET_MODE = 0o600;
export const PUBLIC_MODE = 0o644;

export async function writeNewFile(path: string, data: string, mode: number): Promise<void> {
  try {
    await writeFile(path, data, { flag: 'wx', mode });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(`${path} already exists; it is never overwritten.`);
    }
    throw err;
  }
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
