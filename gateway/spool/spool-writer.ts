// Encrypts a transfer into its spool file as it streams in: bounded memory (one
// 64 KiB plaintext message plus the file stream's 1 MiB of queued writes),
// back-pressure from the disk to the caller, and a file that appears under its
// final name only once it is complete and durable.
import { rename, unlink } from 'node:fs/promises';
import { createWriteStream, open, fsync, close } from 'node:fs';
import { promisify } from 'node:util';
import { dirname } from 'node:path';
import type { WriteStream } from 'node:fs';

// A numeric fd, not a FileHandle: FileHandle.close() waits for the write
// stream to release it, which a stream with autoClose off never does.
const openFd = promisify(open);
const fsyncFd = promisify(fsync);
const closeFd = promisify(close);
import type { SecretstreamPush, SodiumBackend } from './sodium.js';
import { fsyncDir } from './fsync-dir.js';
import {
  SPOOL_MAGIC, SPOOL_VERSION, SEALED_KEY_BYTES, STREAM_HEADER_BYTES, SPOOL_HEADER_BYTES,
  LENGTH_PREFIX_BYTES, MESSAGE_PLAIN_MAX,
} from './spool-format.js';

// Back-pressure with two marks rather than 'drain': 'drain' fires only when the
// queue is empty, so the disk would idle while the next megabyte is encrypted.
// Waking at the low mark keeps one batch on its way to the disk (fs.WriteStream
// writes what queued up meanwhile as one writev) while the next is encrypted.
/** Ciphertext queued in the file stream above which write() waits. */
const WRITE_HIGH_WATER = 1024 * 1024;
/** ...until the queue is back down to this. */
const WRITE_LOW_WATER = 512 * 1024;
const PART_SUFFIX = '.part';

type State = 'open' | 'committing' | 'committed' | 'aborted';

export class SpoolWriter {
  readonly path: string;
  readonly partPath: string;
  #fd: number;
  #fdOpen = true;
  #ws: WriteStream;
  #stream: SecretstreamPush;
  #backend: SodiumBackend;
  /** The file header, bound into every message as additional data. */
  #ad: Buffer;
  #pending = Buffer.allocUnsafe(MESSAGE_PLAIN_MAX);
  #pendingLen = 0;
  /** Bytes handed to the stream whose write callback has not run yet. */
  #queued = 0;
  #wake: (() => void) | null = null;
  #error: Error | null = null;
  #state: State = 'open';
  #bytesWritten = 0;
  #plainBytes = 0;

  private constructor(path: string, fd: number, header: Buffer, stream: SecretstreamPush, backend: SodiumBackend) {
    this.path = path;
    this.partPath = path + PART_SUFFIX;
    this.#fd = fd;
    this.#ad = header;
    this.#stream = stream;
    this.#backend = backend;
    // autoClose off: the handle must stay open after the last write for fsync.
    this.#ws = createWriteStream('', { fd, highWaterMark: WRITE_HIGH_WATER, autoClose: false });
    this.#ws.on('error', (err) => { this.#error ??= err; });
    this.#send(header);
  }

  /**
   * Starts a spool file at `path + '.part'` (created 0600, never over an
   * existing file) under a fresh random key sealed to `sealPublicKey`.
   */
  static async create(path: string, sealPublicKey: Buffer, backend: SodiumBackend): Promise<SpoolWriter> {
    if (sealPublicKey.length !== 32) throw new TypeError('sealPublicKey must be a 32-byte X25519 public key.');
    const fd = await openFd(path + PART_SUFFIX, 'wx', 0o600);
    try {
      const key = backend.randomBytes(backend.KEYBYTES);
      const sealed = backend.boxSeal(key, sealPublicKey);
      const { header, stream } = backend.initPush(key);
      backend.wipe(key); // the stream state keeps what it needs
      if (sealed.length !== SEALED_KEY_BYTES || header.length !== STREAM_HEADER_BYTES) {
        throw new Error('libsodium sizes differ from spool format 1.');
      }
      const fileHeader = Buffer.concat([SPOOL_MAGIC, Buffer.of(SPOOL_VERSION), sealed, header], SPOOL_HEADER_BYTES);
      return new SpoolWriter(path, fd, fileHeader, stream, backend);
    } catch (err) {
      await closeFd(fd).catch(() => {});
      await unlink(path + PART_SUFFIX).catch(() => {});
      throw err;
    }
  }

  /** Ciphertext bytes handed to the file so far (header and prefixes included). */
  get bytesWritten(): number { return this.#bytesWritten; }
  /** Plaintext bytes accepted so far. */
  get plainBytes(): number { return this.#plainBytes; }

  /**
   * Encrypts `chunk`. Small chunks are gathered into 64 KiB messages, so a
   * stream of 16 KiB TLS records costs one MAC per 64 KiB, not per record.
   * Resolves when the file can take more (see WRITE_HIGH_WATER).
   */
  async write(chunk: Buffer): Promise<void> {
    this.#check();
    let off = 0;
    if (this.#pendingLen > 0) {
      off = chunk.copy(this.#pending, this.#pendingLen, 0, Math.min(chunk.length, MESSAGE_PLAIN_MAX - this.#pendingLen));
      this.#pendingLen += off;
      if (this.#pendingLen === MESSAGE_PLAIN_MAX) {
        this.#seal(this.#pending, this.#backend.TAG_MESSAGE);
        this.#pendingLen = 0;
      }
    }
    // Whole messages straight from the caller's buffer: no copy.
    while (chunk.length - off >= MESSAGE_PLAIN_MAX) {
      this.#seal(chunk.subarray(off, off + MESSAGE_PLAIN_MAX), this.#backend.TAG_MESSAGE);
      off += MESSAGE_PLAIN_MAX;
    }
    if (off < chunk.length) this.#pendingLen += chunk.copy(this.#pending, this.#pendingLen, off);
    this.#plainBytes += chunk.length;
    if (this.#queued > WRITE_HIGH_WATER) await new Promise<void>((resolve) => { this.#wake = resolve; });
    this.#check();
  }

  /**
   * Writes the final message (TAG_FINAL), fsyncs the file, renames it to its
   * final name and fsyncs the directory, so the name survives a power cut.
   */
  async commit(): Promise<void> {
    this.#check();
    this.#state = 'committing';
    try {
      this.#seal(this.#pending.subarray(0, this.#pendingLen), this.#backend.TAG_FINAL);
      this.#pendingLen = 0;
      // 'finish', not finished(): with autoClose off the stream never emits
      // 'close', and the handle must stay open for the fsync below.
      await new Promise<void>((resolve, reject) => {
        this.#ws.end((err?: Error | null) => (err ? reject(err) : resolve()));
      });
      if (this.#error) throw this.#error;
      await fsyncFd(this.#fd);
      await this.#closeFd();
      await rename(this.partPath, this.path);
      await fsyncDir(dirname(this.path));
      this.#state = 'committed';
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  /**
   * Discards the spool file: closes it and unlinks the .part file — or the
   * committed file, when called after commit() (a transfer denied after its
   * content was stored). Never throws because a file is already gone.
   */
  async abort(): Promise<void> {
    if (this.#state === 'aborted') return;
    const wasCommitted = this.#state === 'committed';
    this.#state = 'aborted';
    this.#wakeWriter(); // a write() waiting for the disk now sees 'aborted'
    // Wait for 'close': an fs write still in flight must finish before the fd
    // is closed, or it could land in whatever file reuses the number.
    const ws = this.#ws;
    if (!ws.closed) await new Promise<void>((resolve) => { ws.once('close', () => resolve()); ws.destroy(); });
    await this.#closeFd().catch(() => {});
    await unlink(this.partPath).catch(() => {});
    if (wasCommitted) await unlink(this.path).catch(() => {});
  }

  #closeFd(): Promise<void> {
    if (!this.#fdOpen) return Promise.resolve();
    this.#fdOpen = false;
    return closeFd(this.#fd);
  }

  #check(): void {
    if (this.#error) throw this.#error;
    if (this.#state !== 'open') throw new Error(`SpoolWriter is ${this.#state}; no more writes.`);
  }

  /** One message: uint32 BE ciphertext length, then the ciphertext, in one buffer. */
  #seal(message: Buffer, tag: number): void {
    const clen = message.length + this.#backend.ABYTES;
    const out = Buffer.allocUnsafe(LENGTH_PREFIX_BYTES + clen);
    out.writeUInt32BE(clen, 0);
    this.#stream.pushInto(message, tag, this.#ad, out.subarray(LENGTH_PREFIX_BYTES));
    this.#send(out);
  }

  #send(buf: Buffer): void {
    const n = buf.length;
    this.#bytesWritten += n;
    this.#queued += n;
    this.#ws.write(buf, (err) => {
      this.#queued -= n;
      if (err) this.#error ??= err;
      if (this.#queued <= WRITE_LOW_WATER || err) this.#wakeWriter();
    });
  }

  #wakeWriter(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
