// `PUT /v1/files`: stream one file to the gateway, with back-pressure, and
// hold the acceptance receipt against what was actually sent and counted.

import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream';
import { CLASSIFIED_LABELS, LABELS, parseAddress, type Label } from '../protocol/transfer.js';
import { connectionFailure, readAnswer, throwIfRefused, type Connection, type GatewayResponse } from './connection.js';
import { contentTypeFor } from './content-type.js';
import type { Accepted, Receipt } from './gateway-answers.js';
import { checkReceipt } from './receipt-check.js';
import { ClientError } from './refusal.js';
import { ByteMeter } from './byte-meter.js';

export interface SendOptions {
  connection: Connection;
  /** Path of the file to send; its bytes are streamed, never held in memory. */
  file: string;
  /** Destination `<network>/<system>`. */
  to: string;
  label?: Label | undefined;
  /** The name the receiver sees; defaults to the file's base name. */
  filename?: string | undefined;
  contentType?: string | undefined;
  idempotencyKey?: string | undefined;
  /** The gateway's Ed25519 public key (PEM): when given, the receipt signature must verify. */
  receiptKeyPem?: string | undefined;
  onProgress?: ((sent: number, total: number) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** How long a retried upload waits for an early answer after its first chunk (default PROBE_WAIT_MS). */
  probeWaitMs?: number | undefined;
}

export interface SendResult extends Accepted {
  /** What this client counted and hashed on the way out; the receipt was checked against it. */
  sent: { size: number; sha256: string };
  /** True when the receipt's signature was verified with the key given. */
  signatureVerified: boolean;
}

const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,128}$/;

/** Usage mistakes are caught here so they are not sent to be refused. */
export function validateSendOptions(o: Pick<SendOptions, 'to' | 'label' | 'idempotencyKey' | 'filename'>): void {
  if (!parseAddress(o.to)) throw new ClientError(`--to ${JSON.stringify(o.to)} is not <network>/<system> (lower-case letters, digits, - and _), such as extranet/archive`);
  if (o.label !== undefined && !(LABELS as readonly string[]).includes(o.label)) {
    if ((CLASSIFIED_LABELS as readonly string[]).includes(String(o.label).toLowerCase())) {
      throw new ClientError('classified (涉密) data never crosses Ferry; use the classified network');
    }
    throw new ClientError(`--label must be one of ${LABELS.join(', ')} (got ${JSON.stringify(o.label)})`);
  }
  if (o.idempotencyKey !== undefined && !IDEMPOTENCY_KEY_RE.test(o.idempotencyKey)) {
    throw new ClientError('--idempotency-key must be 1 to 128 visible ASCII characters, without spaces');
  }
  if (o.filename !== undefined && o.filename.length === 0) throw new ClientError('--filename must not be empty');
}

/** How long a retried upload waits, after its first chunk, for a refusal the gateway decides on the headers alone. */
export const PROBE_WAIT_MS = 3_000;

const SOCKET_BROKE = new Set(['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET']);

interface Opened {
  fh: FileHandle;
  size: number;
  ino: number;
  dev: number;
}

async function openRegularFile(path: string): Promise<Opened> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new ClientError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  // Size from the open descriptor, so a rename of the path in between cannot mislead us.
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw new ClientError(`${path} is not a regular file`);
  }
  return { fh, size: st.size, ino: st.ino, dev: st.dev };
}

/** The upload broke before the gateway answered; `whole` says whether every byte had been handed over. */
class UploadBroken extends Error {
  constructor(override readonly cause: unknown, readonly whole: boolean) {
    super('upload broken');
  }
}

/** One PUT. Resolves with the gateway's answer (whatever its status) and the meter that saw the bytes. */
async function attempt(opts: SendOptions, headers: Record<string, string>, file: Opened, probe: boolean): Promise<{ res: GatewayResponse; meter: ByteMeter }> {
  const total = file.size;
  const meter = new ByteMeter({
    onProgress: opts.onProgress ? (n) => opts.onProgress!(n, total) : undefined,
    yieldBeforeWrite: true,
    pauseAfterFirstChunkMs: probe ? (opts.probeWaitMs ?? PROBE_WAIT_MS) : 0,
  });
  let readError: Error | undefined;
  const source = file.fh.createReadStream({ highWaterMark: 64 * 1024 });
  // Only the file's own errors are read errors; undici destroying the body
  // (the gateway answered early, the socket broke) is reported from the request.
  source.once('error', (err) => { readError = err; });
  pipeline(source, meter, () => undefined);
  try {
    const res = await opts.connection.request('PUT', '/v1/files', { headers, body: meter, signal: opts.signal });
    return { res, meter };
  } catch (err) {
    meter.destroy();
    if (readError) throw new ClientError(`reading ${opts.file} failed during the upload (${readError.message})`, { cause: readError });
    const cause = (err as { cause?: { code?: string } }).cause;
    if (cause?.code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') {
      throw new ClientError(`${opts.file} changed size while it was being sent; nothing was kept, send it again`, { cause: err });
    }
    if (cause?.code && SOCKET_BROKE.has(cause.code)) throw new UploadBroken(err, meter.bytes >= total);
    throw err;
  }
}

export async function sendFile(opts: SendOptions): Promise<SendResult> {
  validateSendOptions(opts);
  const conn = opts.connection;
  const first = await openRegularFile(opts.file);
  const total = first.size;
  const filename = opts.filename ?? basename(opts.file);
  const headers: Record<string, string> = {
    'ferry-to': opts.to,
    'ferry-label': opts.label ?? 'internal',
    'ferry-filename': encodeURIComponent(filename),
    'content-type': opts.contentType ?? contentTypeFor(filename),
    'content-length': String(total),
    accept: 'application/json, application/problem+json',
  };
  if (opts.idempotencyKey !== undefined) headers['idempotency-key'] = opts.idempotencyKey;

  let answer: { res: GatewayResponse; meter: ByteMeter };
  try {
    answer = await attempt(opts, headers, first, false);
  } catch (err) {
    if (!(err instanceof UploadBroken)) throw err;
    // A gateway that refuses on the headers alone answers and closes while we
    // are still writing; the close can arrive as a TCP reset that destroys its
    // answer unread (RFC 9112 §9.6). The body was not all sent, so nothing
    // can have been accepted: try once more, sending one chunk and then
    // waiting for that early answer before streaming the rest.
    if (err.whole) throw connectionFailure(err.cause, conn.gateway);
    const again = await openRegularFile(opts.file);
    if (again.ino !== first.ino || again.dev !== first.dev || again.size !== first.size) {
      await again.fh.close();
      throw new ClientError(`${opts.file} changed while it was being sent; nothing was kept, send it again`);
    }
    try {
      answer = await attempt(opts, headers, again, true);
    } catch (err2) {
      if (err2 instanceof UploadBroken) throw connectionFailure(err2.cause, conn.gateway);
      throw err2;
    }
  }
  const { res, meter } = answer;
  // A refusal may come before the gateway read the body; it is the answer, whatever happened to the upload.
  await throwIfRefused(res, conn.gateway);
  let accepted: Accepted;
  try {
    accepted = JSON.parse(await readAnswer(res.body, 1024 * 1024, conn.gateway)) as Accepted;
  } catch (err) {
    if (err instanceof ClientError) throw err;
    throw new ClientError(`the gateway at ${conn.gateway.origin} accepted the file but its answer is not JSON`, { cause: err });
  }
  if (res.statusCode !== 202 && res.statusCode !== 200) {
    throw new ClientError(`the gateway answered ${res.statusCode} where 202 Accepted was expected`);
  }
  if (!accepted || typeof accepted.id !== 'string' || typeof accepted.receipt !== 'object' || accepted.receipt === null) {
    throw new ClientError('the gateway\'s answer has no transfer id or no receipt');
  }
  // 2xx means every byte was taken; the meter saw all of them.
  const sent = { size: meter.bytes, sha256: meter.digest() };
  const signatureVerified = checkReceipt(accepted.receipt as Receipt, {
    type: 'accepted',
    transfer: accepted.id,
    sha256: sent.sha256,
    size: sent.size,
    destination: opts.to,
    publicKeyPem: opts.receiptKeyPem,
  });
  return { ...accepted, sent, signatureVerified };
}
