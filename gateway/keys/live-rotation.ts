// Key rotation on a running gateway, asked through the admin API by a
// sysadmin (`ferry keys rotate --admin`). The gateway is the audit log's one
// writer, so it writes the key-rotated record itself, and in the commit that
// holds that record (AuditLog.handOver) it switches, at one moment: the key
// that signs checkpoints, the keys receipts and relay envelopes are signed
// with, and the key new spool files and message bodies are sealed to. The old
// sealing keys stay loaded (retiredSeal): what was sealed before opens until
// delivered. Uploads under way are not interrupted; one whose receipt was
// signed just before the switch names the old key, which is still a good key.
// The files follow the one order of rotation-order.ts, so a crash at any
// point leaves keys that agree with the log.
import { join } from 'node:path';
import { FerryError } from '../../protocol/errors.js';
import type { AuditWriter } from '../audit/audit-sink.js';
import { gatewayKeysOf, type GatewayKeys } from './gateway-keys.js';
import { rotateOnDisk } from './rotation-order.js';

export interface LiveRotationResult { seq: number; old_key: string; new_key: string; retired: string }

export interface KeyRotatorDeps {
  dataDir: string;
  audit: AuditWriter;
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
    const old = this.#d.current();
    const r = await rotateOnDisk(join(dataDir, 'keys'), old, async (details, fresh, keyName) => {
      const next = gatewayKeysOf(old.name, fresh.signingKey, fresh.sealSecretKey, [{ publicKey: old.sealPublicKey, secretKey: old.sealSecretKey }, ...old.retiredSeal], [old.signingPublicKey, ...old.retiredSigning]);
      const rec = await audit.handOver(
        { event: 'key-rotated', principal: by, details: { ...details, by, role, via: 'api' } },
        { keyName, privateKey: fresh.signingKey },
        () => this.#d.install(next),
      );
      return rec.seq;
    });
    log.info({ seq: r.seq, oldKey: r.oldKey, newKey: r.newKey, by }, 'gateway keys rotated');
    return { seq: r.seq, old_key: r.oldKey, new_key: r.newKey, retired: r.retiredDir };
  }
}
