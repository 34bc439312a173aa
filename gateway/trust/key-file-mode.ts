import { stat } from 'node:fs/promises';

/** Like OpenSSH: a private key that others can read or write is not used. The message names the fix. */
export async function checkKeyFileMode(path: string): Promise<void> {
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    throw new Error(`The key file ${path} is open to other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); make it private with: chmod 600 ${path}`);
  }
}
