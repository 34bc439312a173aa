import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../../protocol/principal.js';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { acceptTransfer, idempotentReplay, precheck, type TransferRequest } from '../pipeline/accept-transfer.js';
import { drainThenClose } from './drain.js';
import { guardIdle } from './idle-guard.js';
import { sendJson, sendProblem } from './problem.js';
import { hasTrailingBytes } from './trailing-bytes.js';
import { watchBodyFraming, type FramingWatch } from './body-framing.js';
import { invitedBody } from './expect-continue.js';
import { parseUploadHeaders, refuseTrailers } from './upload-headers.js';

// PUT /v1/files: a file, its body streamed, carried into the one path
// (pipeline/accept-transfer.ts). What is HTTP's own stays here: the headers,
// the sender-idle guard, bytes past the declared length, a broken connection.

export async function handlePutFile(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
  if (principal.kind !== 'system') throw new FerryError('FERRY_FORBIDDEN', 'Only business systems upload files here.');
  await receiveUpload(ctx, req, res, { kind: 'file', principal, meta: parseUploadHeaders(req, ctx.policy.current.defaultLabel) });
}

/**
 * An HTTP body carried into the one path: a file from a system, or a transfer
 * relayed by a peer gateway. `framing` is the watch its handler started before
 * its own first await (the relay's); without one it starts here, before this
 * function's first await.
 */
export async function receiveUpload(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, transfer: TransferRequest, framing?: FramingWatch): Promise<void> {
  const socket = req.socket;
  const watch = framing ?? watchBodyFraming(req, res);
  let replay: Record<string, unknown> | null;
  // A relayed message to a subscription holds a place in its stream's backlog until it is stored or refused.
  let release: () => void = () => undefined;
  try {
    release = await precheck(ctx, transfer);
    replay = await idempotentReplay(ctx, transfer);
  } catch (err) {
    // Refused before the body: the refusal is the answer, whatever the body holds.
    release();
    watch.stop();
    throw err;
  } finally {
    watch.checked();
  }
  if (replay) {
    // The first answer again; the repeated body is not wanted: drain it (bounded) and close, saying so
    // (a client that took the connection for reusable lost its next request on it).
    release();
    watch.stop();
    res.setHeader('connection', 'close');
    sendJson(res, 202, replay);
    drainThenClose(req, socket);
    return;
  }
  try {
    await receiveBody(ctx, req, res, transfer, watch);
  } finally {
    release();
  }
}

async function receiveBody(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, transfer: TransferRequest, watch: FramingWatch): Promise<void> {
  const socket = req.socket;
  watch.answerIfBroken();

  const idleMs = ctx.config.limits.idleTimeoutMs;
  const stopGuard = guardIdle(req, idleMs, () => {
    // Answer first, then stop the pass: destroying the request also closes the socket.
    // The flag stops a pass that finishes in between from being queued.
    const err = new FerryError('FERRY_IDLE_TIMEOUT', `No bytes arrived for ${(idleMs / 1000).toFixed(1)} s while the gateway waited for them.`);
    watch.stalled = err;
    sendProblem(res, err, { close: true });
    res.once('finish', () => req.destroy(err));
  });
  res.once('close', stopGuard);
  await acceptTransfer(ctx, transfer, invitedBody(req, res), {
    // The idle timer guards the sender's bytes only: once they are all in, the
    // gateway's own work (clamd scanning, fsync) must not cut the connection.
    onBodyEnd: stopGuard,
    check: () => {
      if (watch.stalled) throw watch.stalled;
      if (watch.broken) throw watch.broken;
      if (hasTrailingBytes(socket)) throw new FerryError('FERRY_BODY_TOO_LONG');
      // A chunked body's trailers came with it: ferry-label: sensitive there was ignored, and the upload kept its header's label.
      refuseTrailers(req.rawTrailers, ctx.config.limits.maxHeaders);
    },
    asError: (err) => watch.broken ?? asUploadError(err, req),
  }, (accepted) => sendJson(res, 202, accepted));
}

function asUploadError(err: unknown, req: IncomingMessage): FerryError {
  if (err instanceof FerryError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EIO') return new FerryError('FERRY_STORAGE_UNAVAILABLE', `The spool could not be written (${code}).`);
  // The body cut short by the sender's side; a request that arrived whole (req.complete) and then failed here is the gateway's failure.
  const cut = (req.destroyed && !req.complete) || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error)?.message === 'aborted';
  if (cut) return new FerryError('FERRY_BODY_INCOMPLETE');
  return new FerryError('FERRY_INTERNAL', 'The gateway failed while receiving the upload; nothing was kept.');
}
