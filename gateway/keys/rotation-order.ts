// The one order every key rotation follows on disk, for a stopped gateway
// (rotate-keys.ts) and a running one (live-rotation.ts); only how the
// key-rotated record is written differs. A crash or a failure at any step
// leaves keys that agree with the audit log:
//   1. the new keys are staged under keys/next/;
//   2. the old private keys are kept under keys/retired/ (what was sealed
//      to them stays readable until delivered);
//   3. the caller records key-rotated: if that fails, the staged keys and
//      the retired copy are dropped and the old keys stay in force; but if
//      the log stopped (its writer thread died: the record may be in the file
//      or not), they are left staged, and the next start decides from the
//      log (finishStagedRotation), as after a crash;
//   4. the staged keys replace the old ones and audit.vkey follows them.
import { join } from 'node:path';
import { FerryError } from '../../protocol/errors.js';
import { makeRotationDetails, type KeyRotatedDetails } from '../audit/key-rotation.js';
import { encodeVkey, writeVkeyFile } from '../audit/signed-note.js';
import { generateKeyMaterial, loadOrCreateGatewayKeys, x25519Public, type GatewayKeys } from './gateway-keys.js';
import { discardStaged, promoteStaged, retireKeys, stageKeys } from './staged-keys.js';

export interface NewKeys { signingKey: GatewayKeys['signingKey']; sealSecretKey: Buffer }

export interface RotatedOnDisk { seq: number; oldKey: string; newKey: string; retiredDir: string }

/** `record` writes the key-rotated record with `details` (and may switch a running gateway over); it returns the record's seq. */
export async function rotateOnDisk(
  keysDir: string,
  old: Pick<GatewayKeys, 'name' | 'signingKey' | 'signingPublicKey'>,
  record: (details: KeyRotatedDetails, fresh: NewKeys, keyName: string) => Promise<number>,
): Promise<RotatedOnDisk> {
  const keyName = `ferry.gateway/${old.name}`;
  const fresh = generateKeyMaterial();
  await stageKeys(keysDir, fresh.signingKey, fresh.sealSecretKey);
  let retiredDir: string | undefined;
  let seq: number;
  try {
    retiredDir = await retireKeys(keysDir, keyName, old.signingPublicKey);
    seq = await record(makeRotationDetails(keyName, keyName, old.signingKey, fresh.signingKey, x25519Public(fresh.sealSecretKey)), fresh, keyName);
  } catch (err) {
    if (!(err instanceof FerryError && err.code === 'FERRY_STORAGE_UNAVAILABLE')) await discardStaged(keysDir, retiredDir);
    throw err;
  }
  await promoteStaged(keysDir);
  // The public files and audit.vkey follow the private ones.
  const onDisk = await loadOrCreateGatewayKeys(keysDir, old.name);
  const newKey = writeVkeyFile(join(keysDir, 'audit.vkey'), keyName, onDisk.signingPublicKey);
  return { seq, oldKey: encodeVkey(keyName, old.signingPublicKey), newKey, retiredDir: retiredDir! };
}
