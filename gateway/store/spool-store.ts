import type { Readable } from 'node:stream';

// The port for transfer content too large to keep with its row (today files
// on the local disk, encrypted: store/files/). Nothing outside the store
// joins a spool path: callers name content by the `spool` value a transfer
// row holds, which the store hands out at create().
//
// What a backend must keep, and test/conformance/spool-store.ts checks:
// - nothing is readable under a name before its commit() resolved, and then
//   it is durable (a 202 survives kill -9);
// - abort() leaves nothing behind; remove() of what is gone is no error;
// - open() decrypts as it is read; content that is missing or altered is an
//   error of the stream, never a throw and never silently short.

export interface SpoolWrite {
  /** What the transfer row keeps to find the content again. */
  readonly name: string;
  /** Encrypts `chunk`; one write at a time (await each). */
  write(chunk: Buffer): Promise<void>;
  /** When the store hashes the content itself (on another thread): after the last write, its SHA-256 and size. */
  digest?(): Promise<{ sha256: string; size: number }>;
  /** Durable once resolved. */
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface SpoolStore {
  /** Starts the content of a transfer. */
  create(transferId: string): Promise<SpoolWrite>;
  open(name: string): Readable;
  remove(name: string): Promise<void>;
  /** When the content was last written, or null when there is none under `name`. */
  modifiedAt(name: string): Promise<number | null>;
  /** The shards a scrub walks one at a time (the fan-out directories). */
  readonly shards: readonly string[];
  /** The names of the content in one shard, as they are found (never the whole store in memory). */
  list(shard: string): AsyncIterable<string>;
  /** Bytes free for new content. */
  freeBytes(): Promise<number>;
  /** At start, before anything is received: the layout made or brought up to date, half-written content of a stop removed. */
  prepare(): Promise<{ moved: number; removed: number }>;
  /** At start: content a stop cut off while it was being received. */
  clearIncoming(): Promise<number>;
}
