// `ferry keys rotate --data-dir`: new signing and sealing keys for a stopped
// gateway, in the order of rotation-order.ts. Here the record is written by
// opening the audit log as its one writer: `key-rotated` (both verifier keys,
// signed by the old key and by the new one: audit/key-rotation.ts), then the
// log is closed, which writes a checkpoint signed by the old key at exactly
// that record.
// From the next start, checkpoints and receipts are signed by the new key.
// The gateway must be stopped (the audit log has one writer): the data-directory
// lock says so. A running gateway rotates its own keys (live-rotation.ts), asked
// through the admin API: `ferry keys rotate --admin`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openAuditLog } from '../audit/audit-log.js';
import { lockDataDir } from '../startup/data-dir-lock.js';
import { StartupError } from '../startup/startup-error.js';
import { KEY_FILES, loadOrCreateGatewayKeys } from './gateway-keys.js';
import { rotateOnDisk, type RotatedOnDisk } from './rotation-order.js';
import { finishStagedRotation } from './staged-keys.js';

export type RotationResult = RotatedOnDisk;

export async function rotateGatewayKeys(dataDir: string): Promise<RotationResult> {
  // The gateway's own lock: a running gateway (the audit log's one writer) makes this fail with its pid.
  let lock;
  try {
    lock = lockDataDir(dataDir);
  } catch (err) {
    if (err instanceof StartupError && /in use by pid/.test(err.message)) {
      throw new StartupError(`${err.message} A running gateway rotates its own keys: ferry keys rotate --admin https://host:<admin api port> --cert <sysadmin cert> --key <key> --ca <ca>.`, err.exitCode, { cause: err });
    }
    throw err;
  }
  try {
    return await rotate(dataDir);
  } finally {
    lock.release();
  }
}

async function rotate(dataDir: string): Promise<RotationResult> {
  const keysDir = join(dataDir, 'keys');
  let name: string;
  try {
    name = (await readFile(join(keysDir, KEY_FILES.name), 'utf8')).trim();
  } catch {
    throw new Error(`No gateway keys in ${keysDir}: start the gateway once to make them.`);
  }
  const keyName = `ferry.gateway/${name}`;
  const auditDb = join(dataDir, 'audit.db');
  await finishStagedRotation(keysDir, auditDb, keyName);
  const old = await loadOrCreateGatewayKeys(keysDir, name);
  return rotateOnDisk(keysDir, old, async (details) => {
    const audit = openAuditLog(auditDb, { origin: keyName, signer: { keyName, privateKey: old.signingKey } });
    try {
      return (await audit.append({ event: 'key-rotated', principal: `ferry://gateway/${name}`, details: { ...details } })).seq;
    } finally {
      await audit.close();
    }
  });
}
