import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GatewayContext } from '../../context.js';
import type { Transfer } from '../../store/transfer-store.js';
import { openContent } from '../transfer-content.js';

// The body of an outgoing request: the spool (or a small file's sealed body in the queue database) decrypted as it streams, checked
// against the hash it was accepted with, and a deadline for the attempt.

/** Passes bytes through and fails the stream if they do not hash to what was accepted. */
export class HashCheck extends Transform {
  readonly #hash = createHash('sha256');
  mismatch: string | null = null;
  constructor(readonly expected: string) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#hash.update(chunk);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    const got = this.#hash.digest('hex');
    if (got !== this.expected) this.mismatch = `the spool content hashes to ${got}, not the accepted ${this.expected}`;
    cb(this.mismatch ? new Error(this.mismatch) : null);
  }
}

export function spoolBody(ctx: GatewayContext, row: Transfer): HashCheck {
  const check = new HashCheck(row.sha256);
  const plain = openContent(ctx, row);
  // pipeline: when the request fails, both streams are destroyed and the spool file closed.
  pipeline(plain, check).catch(() => undefined);
  return check;
}

/**
 * Per-chunk timeouts alone let a peer that trickles hold a slot for days: each
 * attempt gets a deadline that allows at least 1 MiB/s, and never less than a minute.
 */
export function attemptDeadline(size: number): AbortSignal {
  return AbortSignal.timeout(60_000 + Math.ceil(size / (1024 * 1024)) * 1000);
}

export function summarise(answer: string): string {
  try {
    const j = JSON.parse(answer) as { code?: string; detail?: string; title?: string };
    if (j.code || j.detail) return [j.code, j.detail ?? j.title].filter(Boolean).join(' ');
  } catch {
    /* not JSON */
  }
  return answer.replace(/\s+/g, ' ').slice(0, 200);
}
