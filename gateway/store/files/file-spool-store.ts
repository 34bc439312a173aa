import { opendir, rm, stat, statfs } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type { GatewayKeys } from '../../keys/gateway-keys.js';
import type { SodiumBackend } from '../../spool/sodium.js';
import { openSpool } from '../../spool/spool-reader.js';
import { SpoolWriter } from '../../spool/spool-writer.js';
import type { SealThread } from '../../spool/seal-thread.js';
import { clearIncoming, FAN_OUT_DIRS, INCOMING_DIR, prepareSpoolDir, spoolNameFor } from '../../spool/spool-layout.js';
import type { SpoolStore, SpoolWrite } from '../spool-store.js';

// The spool on the local disk: spool/<xx>/<id>.spool (spool/spool-layout.ts),
// each file a libsodium secretstream under a key sealed to the gateway's
// X25519 key (spool/spool-format.ts). The keys are read at each call: a live
// rotation seals new files to the new key, and older ones open with the retired.
// Given a seal thread, new content is hashed, encrypted and written there
// (spool/seal-thread.ts), in the same format, with the same fsyncs and rename.

export class FileSpoolStore implements SpoolStore {
  readonly #dir: string;
  readonly #sodium: SodiumBackend;
  readonly #keys: () => GatewayKeys;
  readonly #seal: SealThread | null;
  readonly shards = FAN_OUT_DIRS;

  constructor(dir: string, sodium: SodiumBackend, keys: () => GatewayKeys, seal: SealThread | null = null) {
    this.#dir = dir;
    this.#sodium = sodium;
    this.#keys = keys;
    this.#seal = seal;
  }

  /** The thread new content is sealed on, or null (then on the event loop). */
  get sealThread(): SealThread | null {
    return this.#seal;
  }

  async create(transferId: string): Promise<SpoolWrite> {
    const name = spoolNameFor(transferId);
    if (this.#seal) {
      const u = await this.#seal.open(join(this.#dir, name), join(this.#dir, INCOMING_DIR), this.#keys().sealPublicKey);
      return {
        name,
        write: (chunk) => u.write(chunk),
        digest: () => u.digest(),
        commit: () => u.commit(),
        abort: () => u.abort(),
      };
    }
    const w = await SpoolWriter.create(join(this.#dir, name), this.#keys().sealPublicKey, this.#sodium, join(this.#dir, INCOMING_DIR));
    return {
      name,
      write: (chunk) => w.write(chunk),
      commit: () => w.commit(),
      abort: () => w.abort(),
    };
  }

  open(name: string): Readable {
    let path: string;
    try {
      path = this.#path(name);
    } catch (err) {
      // A failure is the stream's error, never a throw here.
      const r = new PassThrough();
      r.destroy(err as Error);
      return r;
    }
    return openSpool(path, this.#keys(), this.#sodium);
  }

  async remove(name: string): Promise<void> {
    await rm(this.#path(name), { force: true });
  }

  async modifiedAt(name: string): Promise<number | null> {
    const st = await stat(this.#path(name)).catch(() => null);
    return st ? st.mtimeMs : null;
  }

  async *list(shard: string): AsyncIterable<string> {
    if (!/^[0-9a-z]{1,16}$/.test(shard)) return;
    const d = await opendir(join(this.#dir, shard)).catch(() => null);
    if (!d) return;
    for await (const e of d) {
      if (e.isFile() && e.name.endsWith('.spool')) yield `${shard}/${e.name}`;
    }
  }

  async freeBytes(): Promise<number> {
    const st = await statfs(this.#dir);
    return st.bavail * st.bsize;
  }

  prepare(): Promise<{ moved: number; removed: number }> {
    return prepareSpoolDir(this.#dir);
  }

  clearIncoming(): Promise<number> {
    return clearIncoming(this.#dir);
  }

  /** Names come from the store (spoolNameFor) and the rows it gave them to, never from a sender; still, none leaves the spool. */
  #path(name: string): string {
    if (!name || isAbsolute(name) || name.includes('\0') || name.includes('\\') || name.split('/').some((p) => p === '' || p === '.' || p === '..')) {
      throw new Error(`not a spool name: ${JSON.stringify(name)}`);
    }
    return join(this.#dir, name);
  }
}
