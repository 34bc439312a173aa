import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import type { GatewayContext } from '../../context.js';
import { FerryError } from '../../../protocol/errors.js';
import { NAME_RE } from '../../../protocol/transfer.js';
import { identify } from '../identity.js';
import { answerLocale, rawProblem } from '../problem.js';
import type { RefusalAuditor } from '../refusal-audit.js';
import { Subscription } from './subscription.js';
import { checkRequestHead } from '../upload-headers.js';

// WSS /v1/subscriptions/<channel>[?from=<seq>]: a destination system receives
// the messages addressed to it on that channel. Who it is comes from its
// certificate only: there is no way to name another system's stream.

export const SUBSCRIPTION_PATH = /^\/v1\/subscriptions\/([^/?]+)$/;
/** A subscriber sends only acks: small frames. */
const MAX_FRAME = 4096;

export function createSubscribeUpgrade(ctx: GatewayContext, network: string, auditRefusal: RefusalAuditor) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME, perMessageDeflate: false });
  return async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, channelName: string): Promise<void> {
    let principalUri: string | null = null;
    try {
      if (!NAME_RE.test(channelName)) throw new FerryError('FERRY_ROUTE_NOT_FOUND', 'A channel name is lower-case letters, digits, - and _.');
      // The CRL in force now, as for uploads and channels: a revoked certificate cannot subscribe.
      const principal = identify(socket as TLSSocket, network, ctx.trust);
      principalUri = principal.uri;
      // The same head checks as every request (more fields than are read, two Hosts): none was made here.
      checkRequestHead(req, ctx.config.limits.maxHeaders);
      if (principal.kind !== 'system') throw new FerryError('FERRY_FORBIDDEN', 'Only business systems subscribe.');
      const destination = `${principal.network}/${principal.system}`;
      if (ctx.config.destinations.get(destination)?.delivery !== 'subscribe') {
        throw new FerryError('FERRY_SUBSCRIPTION_UNAVAILABLE', `Messages to ${destination} are not delivered by subscription on this gateway.`);
      }
      const from = parseFrom(req.url ?? '');
      const h = await ctx.queue.messages.head(destination, channelName);
      const committedSent = from === null ? 0 : await ctx.queue.messages.sentUpTo(destination, channelName);
      if (from !== null && from - 1 > h.lastSeq) {
        throw new FerryError('FERRY_ACK_AHEAD', `from=${from} is past the stream: the last sequence given on this channel is ${h.lastSeq}.`);
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const sub = new Subscription(ctx, ws, { principal: principal.uri, destination, channel: channelName, locale: answerLocale(req.headers), socket }, h.ackedSeq);
        ctx.subscriptions.register(destination, channelName, sub);
        ctx.log.info({ destination, channel: channelName, from, acked: h.ackedSeq }, 'subscription opened');
        // from=S says "I have everything before S": acknowledged here, as if by an ack frame, but only
        // as far as messages were ever sent (a subscriber cannot have the others: they are sent now,
        // and it drops those it has by their sequence). Never a delivered receipt for what never left.
        const sent = Math.max(committedSent, ctx.subscriptions.sentUpTo(destination, channelName));
        const upTo = from === null ? null : Math.min(from - 1, sent);
        sub.start({ channel: channelName, destination, acked: h.ackedSeq, last: h.lastSeq, ...(from !== null ? { from } : {}) }, upTo !== null && upTo > h.ackedSeq ? upTo : null);
      });
    } catch (err) {
      const refusal = err instanceof FerryError ? err : new FerryError('FERRY_INTERNAL');
      if (!(err instanceof FerryError)) ctx.log.error({ err }, 'subscription upgrade failed');
      ctx.metrics.refusals.inc({ code: refusal.code });
      await auditRefusal(socket as TLSSocket, principalUri, refusal, { kind: 'subscription', channel: channelName });
      socket.end(rawProblem(refusal, answerLocale(req.headers)));
    }
  };
}

function parseFrom(url: string): number | null {
  const q = url.indexOf('?');
  if (q < 0) return null;
  const params = new URLSearchParams(url.slice(q + 1));
  const v = params.get('from');
  if (v === null) return null;
  if (!/^\d{1,15}$/.test(v) || Number(v) < 1) throw new FerryError('FERRY_HEADER_INVALID', 'from= is a sequence number, 1 or more.');
  return Number(v);
}
