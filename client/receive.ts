// Pull delivery: list the inbox, fetch each body to a private temporary file,
// check it against the hash the gateway announced, give it a safe name, and
// only then acknowledge. An acknowledgement lets the gateway forget the
// transfer, so nothing is acknowledged that is not verified and on disk.

import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ByteMeter } from './byte-meter.js';
import { connectionFailure, responseHeader, throwIfRefused, type Connection } from './connection.js';
import { sha256Bytes, type Acknowledged, type InboxEntry } from './gateway-answers.js';
import { checkReceipt } from './receipt-check.js';
import { ClientError, GatewayRefusal, IntegrityError } from './refusal.js';
import { ReceivedIndex } from './received-index.js';
import { LOCAL_WRITE_ERRORS } from './local-write-errors.js';
import { placeWithoutOverwrite, safeFileName } from './safe-name.js';

export interface Received {
  id: string;
  from: string | undefined;
  /** Where the file now is: inside the output folder, under a safe name. */
  path: string;
  /** The name the sender asked for, decoded, for display only. */
  senderFilename: string | undefined;
  size: number;
  sha256: string;
  /** The delivered receipt from the acknowledgement, if the gateway sent one. */
  ack: Acknowledged;
  signatureVerified: boolean;
  /** Saved by an earlier run whose acknowledgement failed: only acknowledged now. */
  alreadyHeld?: boolean;
}

/** The file is saved, but the gateway was not told: it will offer the transfer again. */
export class AcknowledgementError extends Error {
  constructor(readonly id: string, readonly path: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message.replace(/\s+$/, '') : String(cause);
    super(`transfer ${id} was saved as ${path} but the gateway did not take the acknowledgement (${why}); it will offer the transfer again, and the next 'ferry receive' into this folder recognises it and only acknowledges it`, { cause });
    this.name = 'AcknowledgementError';
  }
}

export interface ReceiveOptions {
  /** The gateway's Ed25519 public key (PEM) to verify delivered receipts with. */
  receiptKeyPem?: string | undefined;
  onProgress?: ((id: string, bytes: number, total: number | undefined) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** What this folder already holds (saved, not yet acknowledged). */
  index?: ReceivedIndex | undefined;
}

export async function listInbox(conn: Connection): Promise<InboxEntry[]> {
  const answer = await conn.json<{ transfers?: InboxEntry[] }>('GET', '/v1/inbox');
  if (!answer || !Array.isArray(answer.transfers)) throw new ClientError('the gateway\'s inbox answer has no transfers list');
  return answer.transfers;
}

function decodeFilename(h: string | undefined): string | undefined {
  if (h === undefined) return undefined;
  try {
    return decodeURIComponent(h);
  } catch {
    return h; // not valid percent-encoding: still only a wish, sanitised like any other
  }
}

/** fsync through a second descriptor: it flushes the file's data all the same, and the stream keeps owning its own. */
async function syncFile(path: string): Promise<void> {
  const f = await open(path, 'r+');
  try {
    await f.sync();
  } finally {
    await f.close();
  }
}

/** fsync a directory so that a new name in it survives a crash (POSIX; harmless where unsupported). */
async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync().catch(() => undefined);
  } finally {
    await d.close();
  }
}

/**
 * Fetch one inbox item into `outDir`. Throws IntegrityError (and leaves no
 * file, and does not acknowledge) when the body does not match `ferry-sha256`
 * or its length; throws GatewayRefusal when the gateway refuses.
 */
export async function fetchInboxItem(conn: Connection, id: string, outDir: string, opts: ReceiveOptions = {}): Promise<Received> {
  const path = `/v1/inbox/${encodeURIComponent(id)}`;
  const res = await conn.request('GET', path, { signal: opts.signal });
  await throwIfRefused(res, conn.gateway);
  const announced = responseHeader(res, 'ferry-sha256');
  const want = sha256Bytes(announced);
  if (!want) {
    res.body.destroy();
    throw new IntegrityError(`transfer ${id}: the gateway sent no usable ferry-sha256 header, so the body cannot be verified; not saved, not acknowledged`);
  }
  const lengthHeader = responseHeader(res, 'content-length');
  const total = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  const senderFilename = decodeFilename(responseHeader(res, 'ferry-filename'));

  // Dot-prefixed: safeFileName never yields a leading dot, so a final name cannot collide with it.
  const tmpPath = join(outDir, `.ferry-${randomUUID()}.part`);
  const meter = new ByteMeter({ onProgress: opts.onProgress ? (n) => opts.onProgress!(id, n, total) : undefined });
  let kept = false;
  try {
    try {
      // 'wx': a fresh file or an error, never someone else's file; 0600 from the first byte.
      await pipeline(res.body, meter, createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 }));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code && LOCAL_WRITE_ERRORS.has(code)) throw new ClientError(`cannot write in ${outDir} (${code})`, { cause: err });
      throw connectionFailure(err, conn.gateway);
    }
    const got = meter.digest();
    if (!Buffer.from(got, 'hex').equals(want)) {
      throw new IntegrityError(`transfer ${id}: the body's SHA-256 is ${got} but the gateway announced ${announced}; not saved, not acknowledged`);
    }
    if (total !== undefined && meter.bytes !== total) {
      throw new IntegrityError(`transfer ${id}: ${meter.bytes} bytes arrived of ${total} announced; not saved, not acknowledged`);
    }
    await syncFile(tmpPath);
    const name = safeFileName(senderFilename, safeFileName(`ferry-${id}`, 'ferry-transfer'));
    const finalPath = await placeWithoutOverwrite(tmpPath, outDir, name);
    kept = true;
    await syncDir(outDir);
    await opts.index?.saved({ id, path: finalPath, sha256: got, size: meter.bytes });
    const { ack, signatureVerified } = await acknowledge(conn, id, finalPath, got, meter.bytes, opts);
    return { id, from: responseHeader(res, 'ferry-from'), path: finalPath, senderFilename, size: meter.bytes, sha256: got, ack, signatureVerified };
  } finally {
    if (!kept) await unlink(tmpPath).catch(() => undefined);
  }
}

/** Tell the gateway the transfer is safe here; a failure says the file is saved (it is). */
async function acknowledge(conn: Connection, id: string, savedAt: string, sha256: string, size: number, opts: ReceiveOptions): Promise<{ ack: Acknowledged; signatureVerified: boolean }> {
  let ack: Acknowledged;
  try {
    ack = await conn.json<Acknowledged>('DELETE', `/v1/inbox/${encodeURIComponent(id)}`);
  } catch (err) {
    throw new AcknowledgementError(id, savedAt, err);
  }
  await opts.index?.acknowledged(id);
  let signatureVerified = false;
  if (ack?.receipt) {
    signatureVerified = checkReceipt(ack.receipt, { type: 'delivered', transfer: id, sha256, size, publicKeyPem: opts.receiptKeyPem });
  }
  return { ack, signatureVerified };
}

/** A transfer saved here that the inbox no longer lists: acknowledged already, or gone from the gateway. */
async function settleUnoffered(conn: Connection, id: string, sha256: string, opts: ReceiveOptions & { index: ReceivedIndex }): Promise<Received | null> {
  const held = await opts.index.held(id, sha256);
  if (!held) return null; // moved away meanwhile: nothing here to settle
  try {
    return { id, from: undefined, path: held.path, senderFilename: undefined, size: held.size, sha256: held.sha256, alreadyHeld: true, ...(await acknowledge(conn, id, held.path, held.sha256, held.size, opts)) };
  } catch (err) {
    const refusal = err instanceof AcknowledgementError ? err.cause : undefined;
    if (!(refusal instanceof GatewayRefusal) || refusal.code !== 'FERRY_NOT_FOUND') throw err;
    // Withdrawn, expired or purged before any acknowledgement of ours reached it:
    // said once, and forgotten, so the next run does not say it again.
    await opts.index.acknowledged(id);
    throw new UnsettledError(id, held.path);
  }
}

/** Saved here, but the gateway neither offers it nor holds an acknowledgement of it from this system. */
export class UnsettledError extends Error {
  constructor(readonly id: string, readonly path: string) {
    super(`transfer ${id} was saved as ${path}, but the gateway no longer offers it and holds no acknowledgement of it from this system (withdrawn by its sender, expired, or removed after its retention period); the file is left where it is: check with the sender before using it`);
    this.name = 'UnsettledError';
  }
}

export interface ReceiveAllOptions extends ReceiveOptions {
  /** Keep polling the inbox until `signal` aborts. */
  follow?: boolean | undefined;
  /** Pause between polls in follow mode. */
  intervalMs?: number | undefined;
  onReceived?: ((r: Received) => void) | undefined;
  /** An item that could not be received; the others go on. */
  onFailed?: ((id: string, err: Error) => void) | undefined;
}

export interface ReceiveAllResult {
  received: Received[];
  failed: { id: string; error: Error }[];
}

/**
 * Receive everything in the inbox into `outDir` (created 0700 if missing).
 * One bad item does not stop the rest; it is reported and left unacknowledged.
 * In follow mode an item that failed is not tried again in the same run, so a
 * corrupt body is reported once rather than on every poll.
 */
export async function receiveAll(conn: Connection, outDir: string, opts: ReceiveAllOptions = {}): Promise<ReceiveAllResult> {
  try {
    await mkdir(outDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new ClientError(`cannot use ${outDir} as the output folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  const index = opts.index ?? (await ReceivedIndex.open(outDir));
  const itemOpts = { ...opts, index };
  const result: ReceiveAllResult = { received: [], failed: [] };
  const skip = new Set<string>();
  /** One item: received, or reported and skipped for the rest of the run; false when the run must stop. */
  const take = async (id: string, work: () => Promise<Received | null>): Promise<boolean> => {
    if (skip.has(id) || opts.signal?.aborted) return !opts.signal?.aborted;
    try {
      const r = await work();
      if (r) {
        result.received.push(r);
        opts.onReceived?.(r);
      }
      return true;
    } catch (err) {
      // Interrupted: the item in hand was neither kept nor acknowledged; stop cleanly.
      if (opts.signal?.aborted) return false;
      // Lost connection and usage errors stop the run; a bad item does not.
      if (err instanceof ClientError || (err instanceof Error && err.name === 'AbortError')) throw err;
      skip.add(id);
      result.failed.push({ id, error: err as Error });
      opts.onFailed?.(id, err as Error);
      return true;
    }
  };
  for (;;) {
    const entries = await listInbox(conn);
    // Saved here but no longer offered: the gateway took the acknowledgement and
    // its answer was lost (a cut link, a gateway killed after its commit). Asking
    // again settles what the folder holds; otherwise it would wait for an offer
    // that never comes.
    const listed = new Set(entries.map((e) => e.id));
    for (const s of index.pending()) {
      if (listed.has(s.id)) continue;
      if (!(await take(s.id, () => settleUnoffered(conn, s.id, s.sha256, itemOpts)))) return result;
    }
    for (const e of entries) {
      const go = await take(e.id, async () => {
        const held = await index.held(e.id, e.sha256);
        return held
          ? { id: e.id, from: e.source, path: held.path, senderFilename: e.filename, size: held.size, sha256: held.sha256, alreadyHeld: true, ...(await acknowledge(conn, e.id, held.path, held.sha256, held.size, itemOpts)) }
          : await fetchInboxItem(conn, e.id, outDir, itemOpts);
      });
      if (!go) return result;
    }
    if (!opts.follow || opts.signal?.aborted) return result;
    try {
      await sleep(opts.intervalMs ?? 5_000, undefined, { signal: opts.signal });
    } catch {
      return result; // aborted while waiting: a clean stop
    }
  }
}
