// The files of a key rotation, in an order a crash cannot break:
//   1. stage: the new private keys are written to keys/next/ (0600, fsynced);
//   2. retire: the old private keys are copied to keys/retired/<time>-<old key id>/;
//   3. the audit log records key-rotated (the caller does that);
//   4. promote: keys/next/* are renamed over keys/signing.key and keys/seal.key.
// A crash between 3 and 4 leaves keys/next/ behind: at the next start
// finishStagedRotation() promotes it when the log's last key-rotated record
// names exactly those keys, and removes it otherwise (the rotation never
// happened), so the keys on disk always agree with the audit log.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openAuditStorage } from '../audit/open-audit-storage.js';
import { encodeVkey, keyId, rawPublicKey } from '../audit/signed-note.js';
import { fsyncDir } from '../durability/fsync-dir.js';
import { writeFileDurably } from './durable-write.js';
import { KEY_FILES, RETIRED_DIR, checkPrivateMode, x25519Public } from './gateway-keys.js';

export const NEXT_DIR = 'next';

/** Step 1: the new private keys under keys/next/, 0600. */
export async function stageKeys(keysDir: string, signingKey: KeyObject, sealSecretKey: Buffer): Promise<void> {
  const next = join(keysDir, NEXT_DIR);
  await rm(next, { recursive: true, force: true });
  await mkdir(next, { mode: 0o700 });
  await writeFileDurably(join(next, KEY_FILES.sealKey), sealSecretKey, 0o600);
  await writeFileDurably(join(next, KEY_FILES.signingKey), Buffer.from(signingKey.export({ format: 'pem', type: 'pkcs8' })), 0o600);
  await fsyncDir(keysDir);
}

/** Step 2: a copy of the old private keys, kept to open what was sealed to them; returns the directory. */
export async function retireKeys(keysDir: string, keyName: string, oldSigningPublic: KeyObject): Promise<string> {
  const oldId = keyId(keyName, rawPublicKey(oldSigningPublic)).toString('hex');
  const dir = join(keysDir, RETIRED_DIR, `${new Date().toISOString().replace(/[:.]/g, '')}-${oldId}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Written with their final mode from the first byte (a copy would take the umask's).
  for (const f of [KEY_FILES.signingKey, KEY_FILES.sealKey, KEY_FILES.signingPub]) {
    await writeFileDurably(join(dir, f), await readFile(join(keysDir, f)), f === KEY_FILES.signingPub ? 0o644 : 0o600);
  }
  await fsyncDir(dir);
  return dir;
}

/** Step 4: the staged keys replace the keys in use (each by one rename). */
export async function promoteStaged(keysDir: string): Promise<void> {
  const next = join(keysDir, NEXT_DIR);
  for (const f of [KEY_FILES.sealKey, KEY_FILES.signingKey]) {
    try {
      await rename(join(next, f), join(keysDir, f));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // already promoted before a crash
    }
  }
  await fsyncDir(keysDir);
  await rm(next, { recursive: true, force: true });
}

/** Undoes step 1 (and 2) when the rotation was not recorded. */
export async function discardStaged(keysDir: string, retiredDir?: string): Promise<void> {
  await rm(join(keysDir, NEXT_DIR), { recursive: true, force: true });
  if (retiredDir) await rm(retiredDir, { recursive: true, force: true });
}

/**
 * At start, before the keys are loaded: finishes or drops a rotation a crash
 * interrupted (see the top of this file). Returns what it did, for the log.
 */
export async function finishStagedRotation(keysDir: string, auditDb: string, keyName: string): Promise<'promoted' | 'discarded' | null> {
  const next = join(keysDir, NEXT_DIR);
  let names: string[];
  try {
    names = await readdir(next);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  // The signing key that would be in force: the staged one, or the one already renamed into place.
  const signingPath = names.includes(KEY_FILES.signingKey) ? join(next, KEY_FILES.signingKey) : join(keysDir, KEY_FILES.signingKey);
  const sealPath = names.includes(KEY_FILES.sealKey) ? join(next, KEY_FILES.sealKey) : join(keysDir, KEY_FILES.sealKey);
  let recorded = false;
  try {
    await checkPrivateMode(signingPath);
    await checkPrivateMode(sealPath);
    const vkey = encodeVkey(keyName, createPrivateKey(await readFile(signingPath)));
    const sealPublic = x25519Public(await readFile(sealPath)).toString('base64');
    const last = await lastRotation(auditDb);
    recorded = last !== null && last.new_key === vkey && last.new_seal_public === sealPublic;
  } catch {
    recorded = false; // a staged file cut short by the crash: the rotation was not recorded either
  }
  if (recorded) await promoteStaged(keysDir);
  else await discardStaged(keysDir);
  return recorded ? 'promoted' : 'discarded';
}

async function lastRotation(auditDb: string): Promise<{ new_key?: string; new_seal_public?: string } | null> {
  if (!(await stat(auditDb).catch(() => null))) return null;
  const log = await openAuditStorage(auditDb);
  try {
    for await (const r of log.records({ event: 'key-rotated', descending: true, limit: 1 })) return r.details === null ? null : JSON.parse(r.details) as { new_key?: string; new_seal_public?: string };
    return null;
  } finally {
    await log.close();
  }
}
