// `ferry keys rotate`: new signing and sealing keys for a stopped gateway.
//   1. the new keys are made in memory;
//   2. the audit log records `key-rotated` (both verifier keys, signed by the
//      old key and by the new one: audit/key-rotation.ts) and is closed, which
//      writes a checkpoint signed by the old key at exactly that record;
//   3. the old private keys are kept under keys/retired/<old key id>/ (0600):
//      spool files sealed to the old sealing key stay readable until delivered;
//   4. the new private keys replace the old ones (temporary file, fsync, rename).
// From the next start, checkpoints and receipts are signed by the new key.
// The gateway must be stopped (the audit log has one writer): the data-directory lock says so.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openAuditLog } from '../audit/audit-log.js';
import { makeRotationDetails } from '../audit/key-rotation.js';
import { encodeVkey, keyId, rawPublicKey } from '../audit/signed-note.js';
import { fsyncDir } from '../spool/fsync-dir.js';
import { lockDataDir } from '../startup/data-dir-lock.js';
import { KEY_FILES, RETIRED_DIR, loadOrCreateGatewayKeys, x25519Public } from './gateway-keys.js';
import { writeFileDurably } from './durable-write.js';

export interface RotationResult { oldKey: string; newKey: string; seq: number; retiredDir: string }

export async function rotateGatewayKeys(dataDir: string): Promise<RotationResult> {
  // The gateway's own lock: a running gateway (the audit log's one writer) makes this fail with its pid.
  const lock = lockDataDir(dataDir);
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
  const old = await loadOrCreateGatewayKeys(keysDir, name);
  const keyName = `ferry.gateway/${name}`;
  const { privateKey: newSigning } = generateKeyPairSync('ed25519');
  const newSealSecret = Buffer.from(generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' }).d!, 'base64url');

  const audit = openAuditLog(join(dataDir, 'audit.db'), { origin: keyName, signer: { keyName, privateKey: old.signingKey } });
  let seq: number;
  try {
    const rec = await audit.append({
      event: 'key-rotated', principal: `ferry://gateway/${name}`,
      details: { ...makeRotationDetails(keyName, keyName, old.signingKey, newSigning, x25519Public(newSealSecret)) },
    });
    seq = rec.seq;
  } finally {
    await audit.close();
  }

  const oldId = keyId(keyName, rawPublicKey(old.signingPublicKey)).toString('hex');
  const retiredDir = join(keysDir, RETIRED_DIR, `${new Date().toISOString().replace(/[:.]/g, '')}-${oldId}`);
  await mkdir(retiredDir, { recursive: true, mode: 0o700 });
  for (const f of [KEY_FILES.signingKey, KEY_FILES.sealKey, KEY_FILES.signingPub]) {
    await copyFile(join(keysDir, f), join(retiredDir, f));
  }
  await fsyncDir(retiredDir);
  await replaceSecret(join(keysDir, KEY_FILES.sealKey), newSealSecret);
  await replaceSecret(join(keysDir, KEY_FILES.signingKey), Buffer.from(newSigning.export({ format: 'pem', type: 'pkcs8' })));
  // The public files are derived from the private ones at the next start (gateway-keys.ts).
  return { oldKey: encodeVkey(keyName, old.signingPublicKey), newKey: encodeVkey(keyName, createPublicKey(createPrivateKey(newSigning.export({ format: 'pem', type: 'pkcs8' })))), seq, retiredDir };
}

function replaceSecret(path: string, data: Buffer): Promise<void> {
  return writeFileDurably(path, data, 0o600);
}
