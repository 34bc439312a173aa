import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Principal } from '../../protocol/principal.js';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { acceptTransfer, idempotentReplay, precheck, type TransferRequest } from '../pipeline/accept-transfer.js';
import { channelNameFault } from '../routing/channel-name.js';
import { AuditedRefusal } from '../pipeline/audited-refusal.js';
import { identify } from './identity.js';
import { answerLocale, maskedProblem, rawProblem } from './problem.js';
import type { Locale } from '../../i18n/locale.js';
import { maskText } from '../log/mask.js';
import type { RefusalAuditor } from './refusal-audit.js';
import { checkRequestHead, parseTransferMeta } from './upload-headers.js';
import { createSubscribeUpgrade, SUBSCRIPTION_PATH } from './channels/subscribe-handler.js';
import { Turnstile, type Turn } from './channels/turnstile.js';
import { corkForTurn } from './channels/tick-cork.js';

// WSS /v1/channels/<channel>: messages, one JSON envelope per text frame, each
// taken through the same path as a file (pipeline/accept-transfer.ts): the same
// identity, the same policy (kind: message), the same inspectors, spool, queue
// and audit log. Each envelope gets one answer frame, in order:
//   → {"ref": "a1", "to": "extranet/portal", "label": "internal", "body": "…"}
//   ← {"ref": "a1", "status": 202, "id": "…", "state": "queued", "receipt": {…}}
//   ← {"ref": "a2", "status": 422, "problem": {"code": "FERRY_CONTENT_DENIED", "rule": …, "findings": […]}}

const CHANNEL_PATH = /^\/v1\/channels\/([^/?]+)$/;
/** Envelopes waiting beyond this many pause the socket: TCP flow control does the rest. */
const MAX_QUEUED = 8;
const PING_MS = 30_000;
/** Envelopes of one connection in the path at once: half of the default max_uploads_per_principal, so one connection cannot take all of a system's slots. */
const IN_PARALLEL = 4;

interface Envelope {
  ref?: unknown;
  to?: unknown;
  label?: unknown;
  content_type?: unknown;
  idempotency_key?: unknown;
  body?: unknown;
  body_base64?: unknown;
}

export function attachChannels(ctx: GatewayContext, server: Server, network: string, auditRefusal: RefusalAuditor): void {
  const maxMessage = ctx.config.limits.maxMessageBytes;
  // base64 and the envelope around the body: room for both, no more.
  const wss = new WebSocketServer({ noServer: true, maxPayload: Math.ceil(maxMessage * 4 / 3) + 4096, perMessageDeflate: false });
  const subscribe = createSubscribeUpgrade(ctx, network, auditRefusal);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(req, socket, head));
  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = (req.url ?? '').split('?')[0]!;
    const sub = SUBSCRIPTION_PATH.exec(path);
    if (sub) return subscribe(req, socket, head, sub[1]!);
    let principalUri: string | null = null;
    try {
      const m = CHANNEL_PATH.exec(path);
      if (!m) throw new FerryError('FERRY_ROUTE_NOT_FOUND');
      const fault = channelNameFault(m[1]!);
      if (fault) throw new FerryError('FERRY_ROUTE_NOT_FOUND', fault);
      const principal = identify(socket as TLSSocket, network, ctx.trust);
      principalUri = principal.uri;
      checkRequestHead(req, ctx.config.limits.maxHeaders);
      if (principal.kind !== 'system') throw new FerryError('FERRY_FORBIDDEN', 'Only business systems open channels.');
      wss.handleUpgrade(req, socket, head, (ws) => serveChannel(ctx, ws, principal, m[1]!, socket as TLSSocket, auditRefusal, answerLocale(req.headers)));
    } catch (err) {
      const refusal = err instanceof FerryError ? err : new FerryError('FERRY_INTERNAL');
      ctx.metrics.refusals.inc({ code: refusal.code });
      await auditRefusal(socket as TLSSocket, principalUri, refusal, { kind: 'message' });
      socket.end(rawProblem(refusal, answerLocale(req.headers)));
    }
  }
}

function serveChannel(ctx: GatewayContext, ws: WebSocket, principal: Principal & { kind: 'system' }, channel: string, socket: TLSSocket, auditRefusal: RefusalAuditor, locale: Locale): void {
  // Up to IN_PARALLEL envelopes go through the path at once (their fsyncs shared by
  // the group commits); the turnstile keeps their queue inserts, and so their
  // sequence numbers, in arrival order, and the answers go back in that order too.
  const turns = new Turnstile();
  let answered: Promise<void> = Promise.resolve();
  let running = 0;
  const waiting: Array<() => void> = [];
  let queued = 0;
  let alive = true;
  const ping = setInterval(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  }, PING_MS);
  ping.unref();
  ws.on('pong', () => (alive = true));
  ws.on('close', () => clearInterval(ping));
  ws.on('error', (err) => {
    // A frame that breaks the WebSocket protocol (ws closes the channel with 1002/1007/1009): audited, throttled per principal.
    ctx.log.debug({ err: err.message, channel: maskText(channel) }, 'channel error');
    const refusal = new FerryError('FERRY_MESSAGE_INVALID', `The channel was closed on an invalid WebSocket frame (${(err as NodeJS.ErrnoException).code ?? 'protocol error'}).`);
    ctx.metrics.refusals.inc({ code: refusal.code });
    void auditRefusal(socket, principal.uri, refusal, { kind: 'message', channel, connection: true });
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    queued++;
    if (queued > MAX_QUEUED) ws.pause();
    const turn = turns.next();
    const reply = (async () => {
      if (running >= IN_PARALLEL) await new Promise<void>((r) => waiting.push(r));
      running++;
      try {
        return await handleEnvelope(ctx, principal, channel, data, isBinary, socket, auditRefusal, turn, locale);
      } finally {
        turn.done();
        running--;
        waiting.shift()?.();
      }
    })();
    const before = answered;
    answered = (async () => {
      const r = await reply;
      await before;
      if (ws.readyState === ws.OPEN) {
        corkForTurn(socket);
        ws.send(JSON.stringify(r));
      }
      queued--;
      if (queued <= MAX_QUEUED / 2 && ws.isPaused) ws.resume();
    })();
  });
}

async function handleEnvelope(ctx: GatewayContext, principal: Principal & { kind: 'system' }, channel: string, data: RawData, isBinary: boolean, socket: TLSSocket, auditRefusal: RefusalAuditor, turn: Turn, locale: Locale): Promise<Record<string, unknown>> {
  let ref: unknown = null;
  try {
    if (isBinary) throw new FerryError('FERRY_MESSAGE_INVALID', 'Send envelopes as text frames; binary content goes in body_base64.');
    let env: Envelope;
    try {
      env = JSON.parse(rawText(data)) as Envelope;
    } catch {
      throw new FerryError('FERRY_MESSAGE_INVALID', 'The frame is not JSON.');
    }
    if (typeof env !== 'object' || env === null || Array.isArray(env)) throw new FerryError('FERRY_MESSAGE_INVALID', 'The frame is not a JSON object.');
    if (typeof env.ref === 'string' && env.ref.length <= 128) ref = env.ref;
    const body = bodyOf(env);
    if (body.length > ctx.config.limits.maxMessageBytes) {
      throw new FerryError('FERRY_TOO_LARGE', `The message body is ${body.length} bytes; the limit is ${ctx.config.limits.maxMessageBytes}.`);
    }
    const meta = parseTransferMeta({
      to: str(env.to, 'to'), label: str(env.label, 'label'), contentType: str(env.content_type, 'content_type') ?? 'text/plain; charset=utf-8',
      idempotencyKey: str(env.idempotency_key, 'idempotency_key'),
    }, ctx.policy.current.defaultLabel);
    meta.declaredSize = body.length;
    const transfer: TransferRequest = { kind: 'message', principal, meta, channel };
    const release = await precheck(ctx, transfer);
    try {
      const replay = await idempotentReplay(ctx, transfer);
      if (replay) return { ref, status: 202, ...replay };
      let answer: Record<string, unknown> | null = null;
      await acceptTransfer(ctx, transfer, one(body), {
        asError: (err) => (err instanceof FerryError ? err : new FerryError('FERRY_INTERNAL', 'The gateway failed while taking the message; nothing was kept.')),
        turn,
      }, (accepted) => (answer = { ref, status: 202, ...accepted }));
      return answer ?? { ref, status: 500, problem: maskedProblem(new FerryError('FERRY_INTERNAL'), locale) };
    } finally {
      // Stored (its row counts in the backlog now) or refused: its place is given back.
      release();
    }
  } catch (err) {
    const audited = err instanceof AuditedRefusal;
    const refusal = audited ? err.refusal : err instanceof FerryError ? err : new FerryError('FERRY_INTERNAL');
    if (!(err instanceof FerryError) && !audited) ctx.log.error({ err, channel: maskText(channel) }, 'message failed');
    ctx.metrics.refusals.inc({ code: refusal.code });
    if (!audited && refusal.code === 'FERRY_MESSAGE_INVALID') {
      // A frame that is not an envelope at all: anyone with a channel open can send these by
      // the thousand, so they are throttled per principal into summaries, never uncounted.
      await auditRefusal(socket, principal.uri, refusal, { kind: 'message', channel, connection: true });
    } else if (!audited) {
      // Refusals before the path (an unknown destination, a bad label) are evidence too.
      await ctx.audit.append({ event: 'denied', principal: principal.uri, details: { kind: 'message', channel: maskText(channel), code: refusal.code, reason: maskText(refusal.message) } })
        .catch((e: unknown) => ctx.log.error({ err: e }, 'audit append failed'));
    }
    return { ref, status: refusal.status, problem: maskedProblem(refusal, locale) };
  }
}

function rawText(data: RawData): string {
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

function str(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new FerryError('FERRY_MESSAGE_INVALID', `The envelope's "${field}" must be a string.`);
  return v;
}

function bodyOf(env: Envelope): Buffer {
  if (typeof env.body === 'string' && env.body_base64 === undefined) return Buffer.from(env.body, 'utf8');
  if (typeof env.body_base64 === 'string' && env.body === undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(env.body_base64) || env.body_base64.length % 4 !== 0) {
      throw new FerryError('FERRY_MESSAGE_INVALID', 'body_base64 is not valid base64.');
    }
    return Buffer.from(env.body_base64, 'base64');
  }
  throw new FerryError('FERRY_MESSAGE_INVALID', 'The envelope needs exactly one of "body" (text) and "body_base64".');
}

async function* one(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}
