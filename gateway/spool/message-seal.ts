import type { GatewayKeys } from '../keys/gateway-keys.js';
import type { SodiumBackend } from './sodium.js';

// Small messages at rest in the queue database, encrypted like the spool and
// with the same primitives: a data key sealed (crypto_box_seal) to the gateway's
// X25519 key, and one crypto_secretstream_xchacha20poly1305 message per body,
// under a fresh header (nonce), tagged FINAL, with the transfer id as additional
// data so a body cannot be passed off as another transfer's.
//
// One data key per gateway run (stored sealed in message_keys) instead of one
// per message: a sealed box per message costs two X25519 operations to write
// and one to read, which at thousands of messages a second is most of a core.
//
//   blob = version (1) | key id (uint32 BE) | secretstream header (24) | ciphertext (body + 17)

const BLOB_VERSION = 1;
const PREFIX = 1 + 4;

export interface MessageKeyStore {
  addKey(sealed: Buffer): Promise<number>;
  key(id: number): Promise<Buffer | undefined>;
}

export class MessageSeal {
  readonly #sodium: SodiumBackend;
  #keys: GatewayKeys;
  readonly #store: MessageKeyStore;
  readonly #open = new Map<number, Buffer>();
  /** Shared by every seal that starts before the key is stored: one data key per run, not one per early caller. */
  #current: Promise<{ id: number; key: Buffer }> | null = null;

  constructor(sodium: SodiumBackend, keys: GatewayKeys, store: MessageKeyStore) {
    this.#sodium = sodium;
    this.#keys = keys;
    this.#store = store;
  }

  /** After a key rotation: new bodies under a fresh data key sealed to the new key; older ones still open (retired keys). */
  useKeys(keys: GatewayKeys): void {
    this.#keys = keys;
    this.#current = null;
  }

  #newKey(): Promise<{ id: number; key: Buffer }> {
    const s = this.#sodium;
    const key = s.randomBytes(s.KEYBYTES);
    const p = this.#store.addKey(s.boxSeal(key, this.#keys.sealPublicKey)).then((id) => {
      this.#open.set(id, key);
      return { id, key };
    });
    // A failed store: the next seal tries again.
    p.catch(() => { if (this.#current === p) this.#current = null; });
    return p;
  }

  async seal(transferId: string, body: Buffer): Promise<Buffer> {
    const s = this.#sodium;
    const current = await (this.#current ??= this.#newKey());
    const { header, stream } = s.initPush(current.key);
    const out = Buffer.allocUnsafe(PREFIX + header.length + body.length + s.ABYTES);
    out[0] = BLOB_VERSION;
    out.writeUInt32BE(current.id, 1);
    header.copy(out, PREFIX);
    stream.pushInto(body, s.TAG_FINAL, Buffer.from(transferId, 'utf8'), out.subarray(PREFIX + header.length));
    return out;
  }

  /** The body, or an Error saying why it cannot be had (never a silent null). */
  async open(transferId: string, blob: Buffer): Promise<Buffer> {
    const s = this.#sodium;
    if (blob.length < PREFIX + s.HEADERBYTES + s.ABYTES || blob[0] !== BLOB_VERSION) throw new Error('the stored message is not a sealed message body');
    const keyId = blob.readUInt32BE(1);
    let key = this.#open.get(keyId);
    if (!key) {
      const sealed = await this.#store.key(keyId);
      // A sealed box does not name its recipient: the current key first, then the retired ones.
      let opened = sealed ? s.boxSealOpen(sealed, this.#keys.sealPublicKey, this.#keys.sealSecretKey) : null;
      for (const r of sealed ? this.#keys.retiredSeal ?? [] : []) {
        if (opened) break;
        opened = s.boxSealOpen(sealed!, r.publicKey, r.secretKey);
      }
      if (!opened) throw new Error(`the message key ${keyId} is missing or does not open with this gateway's sealing key`);
      key = opened;
      this.#open.set(keyId, key);
    }
    const pull = s.initPull(blob.subarray(PREFIX, PREFIX + s.HEADERBYTES), key);
    const r = pull.pull(blob.subarray(PREFIX + s.HEADERBYTES), Buffer.from(transferId, 'utf8'));
    if (!r || r.tag !== s.TAG_FINAL) throw new Error('the stored message failed authentication: altered, damaged or moved from another transfer');
    return r.message;
  }
}
