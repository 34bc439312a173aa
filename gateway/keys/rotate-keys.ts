// `ferry keys rotate --data-dir`: new signing and sealing keys for a stopped gateway.
//   1. the new keys are made in memory and staged under keys/next/ (staged-keys.ts);
//   2. the old private keys are kept under keys/retired/<time>-<old key id>/ (0600):
//      spool files sealed to the old sealing key stay readable until delivered;
//   3. the audit log records `key-rotated` (both verifier keys, signed by the
//      old key and by the new one: audit/key-rotation.ts) and is closed, which
//      writes a checkpoint signed by the old key at exactly that record;
//   4. the staged keys replace the old ones (one rename each).
// From the next start, checkpoints and receipts are signed by the new key.
// The gateway must be stopped (the audit log has one writer): the data-directory
// lock says so. A running gateway rotates its own keys (live-rotation.ts), asked
// through the admin API: `ferry keys rotate --admin`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openAuditLog } from '../audit/audit-log.js';
import { makeRotationDetails } from '../audit/key-rotation.js';
import { encodeVkey, writeVkeyFile } from '../audit/signed-note.js';
import { lockDataDir } from '../startup/data-dir-lock.js';
import { StartupError } from '../startup/startup-error.js';
import { KEY_FILES, generateKeyMaterial, loadOrCreateGatewayKeys, x25519Public } from './gateway-keys.js';
import { discardStaged, finishStagedRotation, promoteStaged, retireKeys, stageKeys } from './staged-keys.js';

export interface RotationResult { oldKey: string; newKey: string; seq: number; retiredDir: string }

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
  const fresh = generateKeyMaterial();
  await stageKeys(keysDir, fresh.signingKey, fresh.sealSecretKey);
  const retiredDir = await retireKeys(keysDir, keyName, old.signingPublicKey);

  let seq: number;
  try {
    const audit = openAuditLog(auditDb, { origin: keyName, signer: { keyName, privateKey: old.signingKey } });
    try {
      const rec = await audit.append({
        event: 'key-rotated', principal: `ferry://gateway/${name}`,
        details: { ...makeRotationDetails(keyName, keyName, old.signingKey, fresh.signingKey, x25519Public(fresh.sealSecretKey)) },
      });
      seq = rec.seq;
    } finally {
      await audit.close();
    }
  } catch (err) {
    await discardStaged(keysDir, retiredDir);
    throw err;
  }
  await promoteStaged(keysDir);
  // Rewrites the public files from the new private ones.
  const now = await loadOrCreateGatewayKeys(keysDir, name);
  writeVkeyFile(join(keysDir, 'audit.vkey'), keyName, now.signingPublicKey);
  return { oldKey: encodeVkey(keyName, old.signingPublicKey), newKey: encodeVkey(keyName, now.signingPublicKey), seq, retiredDir };
}
