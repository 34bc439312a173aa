// Key rotation on a running gateway, asked through the admin API by a
// sysadmin (`ferry keys rotate --admin`). The gateway is the audit log's one
// writer, so it writes the key-rotated record itself, and in the commit that
// holds that record (AuditLog.handOver) it switches, at one moment: the key
// that signs checkpoints, the keys receipts and relay envelopes are signed
// with, and the key new spool files and message bodies are sealed to. The old
// sealing keys stay loaded (retiredSeal): what was sealed before opens until
// delivered. Uploads under way are not interrupted; one whose receipt was
// signed just before the switch names the old key, which is still a good key.
// The files follow the order of staged-keys.ts, so a crash at any point
// leaves keys that agree with the log.
import { join } from 'node:path';
import { FerryError } from '../../protocol/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import { makeRotationDetails } from '../audit/key-rotation.js';
import { encodeVkey, writeVkeyFile } from '../audit/signed-note.js';
import { generateKeyMaterial, gatewayKeysOf, loadOrCreateGatewayKeys, x25519Public, type GatewayKeys } from './gateway-keys.js';
import { discardStaged, promoteStaged, retireKeys, stageKeys } from './staged-keys.js';

export interface LiveRotationResult { seq: number; old_key: string; new_key: string; retired: string }

export interface KeyRotatorDeps {
  dataDir: string;
  audit: AuditLog;
  current(): GatewayKeys;
  /** Called inside the audit commit: make `keys` the ones in use everywhere. Must not throw. */
  install(keys: GatewayKeys): void;
  log: { info(o: object, m: string): void; error(o: object, m: string): void };
}

export class KeyRotator {
  readonly #d: KeyRotatorDeps;
  #busy = false;

  constructor(deps: KeyRotatorDeps) {
    this.#d = deps;
  }

  /** `by`: the administrator's ferry://admin/<name>, named in the record. */
  async rotate(by: string, role: string): Promise<LiveRotationResult> {
    if (this.#busy) throw new FerryError('FERRY_KEY_ROTATION_BUSY');
    this.#busy = true;
    try {
      return await this.#rotate(by, role);
    } finally {
      this.#busy = false;
    }
  }

  async #rotate(by: string, role: string): Promise<LiveRotationResult> {
    const { dataDir, audit, log } = this.#d;
    const keysDir = join(dataDir, 'keys');
    const old = this.#d.current();
    const keyName = `ferry.gateway/${old.name}`;
    const fresh = generateKeyMaterial();
    await stageKeys(keysDir, fresh.signingKey, fresh.sealSecretKey);
    let retired: string | undefined;
    let seq: number;
    try {
      retired = await retireKeys(keysDir, keyName, old.signingPublicKey);
      const next = gatewayKeysOf(old.name, fresh.signingKey, fresh.sealSecretKey, [{ publicKey: old.sealPublicKey, secretKey: old.sealSecretKey }, ...old.retiredSeal], [old.signingPublicKey, ...old.retiredSigning]);
      const details = makeRotationDetails(keyName, keyName, old.signingKey, fresh.signingKey, x25519Public(fresh.sealSecretKey));
      const rec = await audit.handOver(
        { event: 'key-rotated', principal: by, details: { ...details, by, role, via: 'api' } },
        { keyName, privateKey: fresh.signingKey },
        () => this.#d.install(next),
      );
      seq = rec.seq;
    } catch (err) {
      await discardStaged(keysDir, retired);
      throw err;
    }
    await promoteStaged(keysDir);
    // The public files and audit.vkey follow the private ones.
    const onDisk = await loadOrCreateGatewayKeys(keysDir, old.name);
    const newKey = writeVkeyFile(join(keysDir, 'audit.vkey'), keyName, onDisk.signingPublicKey);
    const oldKey = encodeVkey(keyName, old.signingPublicKey);
    log.info({ seq, oldKey, newKey, by }, 'gateway keys rotated');
    return { seq, old_key: oldKey, new_key: newKey, retired: retired! };
  }
}
