import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { handlePutFile } from './files-handler.js';
import { identify } from './identity.js';
import { handleAckInboxItem, handleFetchInboxItem, handleListInbox } from './inbox-handler.js';
import { AuditedRefusal } from '../pipeline/audited-refusal.js';
import { sendProblem } from './problem.js';
import { maskText } from '../log/mask.js';
import { checkRequestHead, headerText } from './upload-headers.js';
import { hasTrailingBytes } from './trailing-bytes.js';
import { drainThenClose } from './drain.js';
import type { RefusalAuditor } from './refusal-audit.js';
import { handleRelay } from './relay-handler.js';
import { handleGetTransfer } from './transfers-handler.js';
import { handleWithdraw } from './withdraw-handler.js';
import { handleRelayStatus } from './relay-status-handler.js';
import { handleListTransfers } from './transfer-list.js';
import { handleListDestinations } from './destinations-handler.js';
import { signRefusalsOn } from '../routing/signed-refusal.js';
import { KEY_HISTORY_HEADER } from '../routing/key-history.js';

// The data-plane routes of one network side. Identity first, for every route.

type Handler = (ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, principal: ReturnType<typeof identify>, id: string) => void | Promise<void>;

const ROUTES: Array<{ method: string; pattern: RegExp; handler: Handler }> = [
  { method: 'PUT', pattern: /^\/v1\/files\/?$/, handler: (c, q, s, p) => handlePutFile(c, q, s, p) },
  { method: 'PUT', pattern: /^\/v1\/relay\/?$/, handler: (c, q, s, p) => handleRelay(c, q, s, p) },
  { method: 'GET', pattern: /^\/v1\/relay\/status$/, handler: (c, q, s, p) => handleRelayStatus(c, q, s, p) },
  { method: 'POST', pattern: /^\/v1\/relay\/([^/]+)\/withdraw$/, handler: (c, q, s, p, id) => handleWithdraw(c, q, s, p, id) },
  { method: 'GET', pattern: /^\/v1\/transfers\/?$/, handler: (c, q, s, p) => handleListTransfers(c, q, s, p) },
  { method: 'GET', pattern: /^\/v1\/destinations\/?$/, handler: (c, _q, s, p) => handleListDestinations(c, s, p) },
  { method: 'GET', pattern: /^\/v1\/transfers\/([^/]+)$/, handler: (c, _q, s, p, id) => handleGetTransfer(c, s, p, id) },
  { method: 'GET', pattern: /^\/v1\/inbox\/?$/, handler: (c, _q, s, p) => handleListInbox(c, s, p) },
  { method: 'GET', pattern: /^\/v1\/inbox\/([^/]+)$/, handler: (c, _q, s, p, id) => handleFetchInboxItem(c, s, p, id) },
  { method: 'DELETE', pattern: /^\/v1\/inbox\/([^/]+)$/, handler: (c, _q, s, p, id) => handleAckInboxItem(c, s, p, id) },
];

const WITHDRAW_PATH = /^\/v1\/relay\/([^/]+)\/withdraw$/;

export function createRouter(ctx: GatewayContext, network: string, auditRefusal: RefusalAuditor) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!;
    // Captured now: by the time a response has finished, req.socket is detached.
    const socket = req.socket;
    let principalUri: string | null = null;
    try {
      const principal = identify(socket as TLSSocket, network, ctx.trust);
      principalUri = principal.uri;
      // A peer learns this gateway's key hand-ons from any answer (routing/key-history.ts): they verify what is signed in it.
      const history = principal.kind === 'gateway' ? ctx.keyHistory() : null;
      if (history) res.setHeader(KEY_HISTORY_HEADER, history);
      // A refusal of a relay or a withdrawal is an outcome at the gateway before: signed (routing/signed-refusal.ts).
      if (principal.kind === 'gateway' && path.startsWith('/v1/relay')) {
        const transfer = req.method === 'PUT' ? req.headers['idempotency-key'] : WITHDRAW_PATH.exec(path)?.[1];
        if (typeof transfer === 'string') signRefusalsOn(res, transfer, ctx.identity, principal.uri, ctx.keys.signingKey, maskText);
      }
      checkRequestHead(req, ctx.config.limits.maxHeaders);
      const matches = ROUTES.filter((r) => r.pattern.test(path));
      if (!matches.length) throw new FerryError('FERRY_ROUTE_NOT_FOUND');
      const route = matches.find((r) => r.method === req.method);
      if (!route) throw new FerryError('FERRY_METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}.`);
      let id: string;
      try {
        id = decodeURIComponent(route.pattern.exec(path)?.[1] ?? '');
      } catch {
        throw new FerryError('FERRY_ROUTE_NOT_FOUND', 'The path has an invalid percent-escape.');
      }
      await route.handler(ctx, req, res, principal, id);
    } catch (err) {
      const audited = err instanceof AuditedRefusal;
      const refusal = audited ? err.refusal : err instanceof FerryError ? err : null;
      if (!refusal) {
        ctx.log.error({ err, path: maskText(path), method: req.method }, 'request failed');
      }
      const answer = refusal ?? new FerryError('FERRY_INTERNAL');
      ctx.metrics.refusals.inc({ code: answer.code });
      // Refusals of uploads that were not yet audited (identity, headers, limits) are recorded too:
      // a security team wants to see the foreign certificate that knocked.
      // Upload refusals not yet audited (headers, limits), and identity refusals on any
      // route, are recorded: a security team wants to see the foreign certificate that knocked.
      // A refused withdrawal is a refusal between gateways: audited at this end too.
      // So is a gateway that is not a listed peer, on any route.
      if (!audited && (req.method === 'PUT' || !principalUri || path.startsWith('/v1/relay/') || answer.code === 'FERRY_PEER_UNKNOWN')) {
        const to = req.headers['ferry-to'];
        await auditRefusal(socket, principalUri, answer, { destination: typeof to === 'string' ? headerText(to) : to });
      }
      ctx.log.info({ code: answer.code, principal: principalUri, method: req.method, path: maskText(path) }, 'request refused');
      // If the body was not (fully) read, close rather than read it.
      if (hasTrailingBytes(socket)) {
        // The framing is broken: answer and close; nothing more here can be trusted.
        sendProblem(res, answer, { close: true });
        res.once('finish', () => socket.destroySoon());
      } else if (!req.complete && !req.destroyed) {
        sendProblem(res, answer, { close: true });
        drainThenClose(req, socket);
      } else {
        // Nobody we know (no certificate, or one refused): the connection ends with the answer, and holds no slot.
        sendProblem(res, answer, { close: !req.complete || !principalUri });
      }
    }
  };
}
