// Decrypts a spool file as a stream of plaintext. It reads the file only as
// fast as the consumer reads (one message per _read, one block read ahead),
// and refuses — with a SpoolError naming why — a file that is not a spool, a
// key that does not unseal, an altered message, a file cut short (no
// TAG_FINAL) or a file with bytes after TAG_FINAL. Memory: two buffers of
// 320 KiB and one message, whatever the size of the file.
import { Readable } from 'node:stream';
import { open, type FileHandle } from 'node:fs/promises';
import type { SecretstreamPull, SodiumBackend } from './sodium.js';
import {
  SPOOL_MAGIC, SPOOL_VERSION, SEALED_KEY_BYTES, SPOOL_HEADER_BYTES, LENGTH_PREFIX_BYTES,
  MESSAGE_CIPHER_MAX, SpoolError,
} from './spool-format.js';

const READ_BLOCK = 256 * 1024;
/** Room for one whole message in front of a block. */
const CARRY = LENGTH_PREFIX_BYTES + MESSAGE_CIPHER_MAX;

export interface SpoolOpenKeys {
  sealPublicKey: Buffer;
  sealSecretKey: Buffer;
  /** Sealing keys retired by `ferry keys rotate`: files sealed before the rotation open with them. */
  retiredSeal?: ReadonlyArray<{ publicKey: Buffer; secretKey: Buffer }>;
}

/** A Readable of the plaintext of the spool file at `path`. */
export function openSpool(path: string, keys: SpoolOpenKeys, backend: SodiumBackend): Readable {
  return new SpoolReadable(path, keys, backend);
}

class SpoolReadable extends Readable {
  #path: string;
  #keys: SpoolOpenKeys;
  #backend: SodiumBackend;
  #fh: FileHandle | null = null;
  #pull: SecretstreamPull | null = null;
  #ad: Buffer = Buffer.alloc(0);
  // Two buffers in turn: the file is read into one (at offset CARRY) while
  // the other is being decrypted. Unparsed ciphertext lives in
  // #bufs[#cur][#start, #end); on a switch, the unfinished message at its end
  // (at most CARRY bytes) is copied in front of the fresh block, so each block
  // is read once into place and never copied whole.
  #bufs = [Buffer.allocUnsafe(CARRY + READ_BLOCK), Buffer.allocUnsafe(CARRY + READ_BLOCK)] as const;
  #cur: 0 | 1 = 0;
  #ahead: Promise<number> | null = null;
  #start = CARRY;
  #end = CARRY;
  #filePos = 0;
  #eof = false;
  #busy = false;
  /** TAG_FINAL was read and its message handed out; the next read ends the stream. */
  #ended = false;

  constructor(path: string, keys: SpoolOpenKeys, backend: SodiumBackend) {
    super({ highWaterMark: 64 * 1024 });
    this.#path = path;
    this.#keys = keys;
    this.#backend = backend;
  }

  override _construct(callback: (err?: Error | null) => void): void {
    this.#openHeader().then(() => callback(), (err: Error) => callback(err));
  }

  async #openHeader(): Promise<void> {
    this.#fh = await open(this.#path, 'r');
    const header = Buffer.alloc(SPOOL_HEADER_BYTES);
    const { bytesRead } = await this.#fh.read(header, 0, SPOOL_HEADER_BYTES, 0);
    if (bytesRead < SPOOL_MAGIC.length || !header.subarray(0, SPOOL_MAGIC.length).equals(SPOOL_MAGIC)) {
      throw new SpoolError('SPOOL_BAD_MAGIC', `(${this.#path})`);
    }
    if (bytesRead < SPOOL_HEADER_BYTES) throw new SpoolError('SPOOL_TRUNCATED', 'The header is incomplete.');
    const version = header[SPOOL_MAGIC.length];
    if (version !== SPOOL_VERSION) throw new SpoolError('SPOOL_UNSUPPORTED_VERSION', `(version ${version})`);
    const sealedAt = SPOOL_MAGIC.length + 1;
    const sealed = header.subarray(sealedAt, sealedAt + SEALED_KEY_BYTES);
    // A sealed box does not name its recipient: the current key first, then the retired ones.
    let key = this.#backend.boxSealOpen(sealed, this.#keys.sealPublicKey, this.#keys.sealSecretKey);
    for (const r of this.#keys.retiredSeal ?? []) {
      if (key) break;
      key = this.#backend.boxSealOpen(sealed, r.publicKey, r.secretKey);
    }
    if (!key || key.length !== this.#backend.KEYBYTES) throw new SpoolError('SPOOL_KEY_MISMATCH');
    this.#pull = this.#backend.initPull(header.subarray(sealedAt + SEALED_KEY_BYTES), key);
    this.#backend.wipe(key);
    this.#ad = header;
    this.#filePos = SPOOL_HEADER_BYTES;
  }

  override _read(): void {
    // Node calls _read again only after a push, so this guard is defensive;
    // #busy is cleared before push() because push may call _read at once.
    if (this.#busy) return;
    this.#busy = true;
    this.#next().then(
      (chunk) => { this.#busy = false; this.push(chunk); },
      (err: Error) => { this.#busy = false; this.destroy(err); },
    );
  }

  /** The next non-empty plaintext message, or null after TAG_FINAL. */
  async #next(): Promise<Buffer | null> {
    if (this.#ended) return null;
    const pull = this.#pull!;
    for (;;) {
      const avail = this.#end - this.#start;
      if (avail >= LENGTH_PREFIX_BYTES) {
        const clen = this.#bufs[this.#cur].readUInt32BE(this.#start);
        // Checked before anything is read or allocated: a forged length never
        // makes the reader buffer more than one message.
        if (clen < this.#backend.ABYTES || clen > MESSAGE_CIPHER_MAX) {
          throw new SpoolError('SPOOL_TAMPERED', `Impossible message length ${clen} at offset ${this.#offsetOf(this.#start)}.`);
        }
        if (avail >= LENGTH_PREFIX_BYTES + clen) {
          const at = this.#offsetOf(this.#start);
          const c = this.#bufs[this.#cur].subarray(this.#start + LENGTH_PREFIX_BYTES, this.#start + LENGTH_PREFIX_BYTES + clen);
          this.#start += LENGTH_PREFIX_BYTES + clen;
          const r = pull.pull(c, this.#ad);
          if (!r) throw new SpoolError('SPOOL_TAMPERED', `The message at offset ${at} does not authenticate.`);
          if (r.tag === this.#backend.TAG_FINAL) {
            await this.#expectEnd();
            if (r.message.length > 0) {
              this.#ended = true;
              return r.message;
            }
            return null;
          }
          if (r.tag !== this.#backend.TAG_MESSAGE) {
            throw new SpoolError('SPOOL_TAMPERED', `Unexpected secretstream tag ${r.tag} at offset ${at}.`);
          }
          if (r.message.length === 0) continue; // never pushed: an empty push would stall the stream
          return r.message;
        }
      }
      if (this.#eof) throw new SpoolError('SPOOL_TRUNCATED', `It ends at offset ${this.#offsetOf(this.#end)}.`);
      await this.#fill();
    }
  }

  /** File offset of a position in the current buffer. */
  #offsetOf(i: number): number {
    return this.#filePos - (this.#end - i);
  }

  /**
   * Moves to the other buffer, where the next block is (or is being) read,
   * carrying the unfinished message along; then starts reading the block
   * after it into the buffer just left, so disk and cipher overlap.
   */
  async #fill(): Promise<void> {
    const next = (this.#cur ^ 1) as 0 | 1;
    const n = await (this.#ahead ?? this.#readBlock(next, this.#filePos));
    const carry = this.#end - this.#start;
    this.#bufs[this.#cur].copy(this.#bufs[next], CARRY - carry, this.#start, this.#end);
    this.#cur = next;
    this.#start = CARRY - carry;
    this.#end = CARRY + n;
    this.#filePos += n;
    if (n === 0) this.#eof = true;
    this.#ahead = n > 0 ? this.#readBlock((next ^ 1) as 0 | 1, this.#filePos) : null;
  }

  /** Reads the block at `pos` into buffer `which` at offset CARRY; resolves with its length. */
  #readBlock(which: 0 | 1, pos: number): Promise<number> {
    const p = this.#fh!.read(this.#bufs[which], CARRY, READ_BLOCK, pos).then(({ bytesRead }) => bytesRead);
    p.catch(() => {}); // awaited later, or abandoned on destroy
    return p;
  }

  async #expectEnd(): Promise<void> {
    let extra = this.#end - this.#start;
    if (extra === 0 && !this.#eof) extra = await (this.#ahead ?? this.#readBlock((this.#cur ^ 1) as 0 | 1, this.#filePos));
    if (extra > 0) throw new SpoolError('SPOOL_TRAILING_DATA', `After offset ${this.#offsetOf(this.#start)}.`);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    const fh = this.#fh;
    this.#fh = null;
    if (!fh) return callback(err);
    fh.close().then(() => callback(err), () => callback(err));
  }
}
