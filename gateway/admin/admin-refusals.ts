import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { principalFromCertificate } from '../../certs/identity.js';
import type { FerryError } from '../../protocol/errors.js';
import { UUID_RE } from '../../protocol/ids.js';
import type { GatewayContext } from '../context.js';
import { maskText } from '../log/mask.js';
import { createRefusalAuditor, type RefusalAuditor } from '../ingress/refusal-audit.js';
import type { Administrator } from './administrator.js';

// Refusals on the admin plane (admin.api_listen: the admin API and the
// console), written to the audit log as the data ports write theirs: a
// request without an administrator's identity (no certificate, one from
// another CA, a revoked one, a business system's or a gateway's, a name not
// among the administrators) is a `denied` record; an administrator refused
// (outside its role, a console change from another origin or without its
// token, a request the API cannot take) is an `admin-action` record with
// `refused` (the code), so that the auditor's page lists it beside the
// actions that were done. Each names the action attempted, the method and
// the path (masked). Throttled as on the data ports (refusal-throttle.ts): per
// address without an identity, per principal with one, 20 a minute one by
// one and the rest in a FERRY_REFUSALS_SUMMARISED record a minute.

export type AdminRefusals = ((req: IncomingMessage, who: Administrator | null, refusal: FerryError, via: 'api' | 'console') => Promise<void>) & {
  /** The auditor itself, for the refusals of a connection (a revoked certificate's, closed). */
  readonly auditor: RefusalAuditor;
};

export function createAdminRefusals(ctx: GatewayContext): AdminRefusals {
  const auditor = createRefusalAuditor(ctx, 'admin');
  // Never rejects: the refusal is answered whatever became of its record (a failed append is logged).
  const refused = async (req: IncomingMessage, who: Administrator | null, refusal: FerryError, via: 'api' | 'console'): Promise<void> => {
    try {
      await record(req, who, refusal, via);
    } catch (err) {
      ctx.log.error({ err }, 'could not record an admin-plane refusal');
    }
  };
  const record = async (req: IncomingMessage, who: Administrator | null, refusal: FerryError, via: 'api' | 'console'): Promise<void> => {
    const socket = req.socket as TLSSocket;
    const path = (req.url ?? '/').split('?')[0]!;
    ctx.metrics.refusals.inc({ code: refusal.code });
    const details = {
      action: attemptedAction(req.method ?? '', path), via, method: req.method ?? '', path: maskText(path.slice(0, 200)),
      ...(who ? { role: who.role, refused: refusal.code } : {}),
    };
    // A retry or cancel names its transfer: the refused attempt is in that transfer's records too.
    const id = /^\/v1\/admin\/transfers\/([^/]+)\/(?:retry|cancel)$/.exec(path)?.[1];
    await auditor(socket, who?.uri ?? trustedPrincipal(ctx, socket), refusal, {
      connection: true, details, ...(who ? { event: 'admin-action' as const } : {}), ...(id && UUID_RE.test(id) ? { transferId: id } : {}),
    });
  };
  return Object.assign(refused, { auditor });
}

/** The identity of a good certificate (from the CA, not revoked) that is not an administrator's; null otherwise. */
function trustedPrincipal(ctx: GatewayContext, socket: TLSSocket): string | null {
  const cert = socket.getPeerX509Certificate?.();
  if (!cert || !socket.authorized) return null;
  const uri = principalFromCertificate(cert)?.uri ?? null;
  return uri && !ctx.trust.refusalFor(cert, uri) ? uri : null;
}

const API_ACTIONS: Array<[RegExp, string]> = [
  [/^\/v1\/admin\/transfers\/?$/, 'view-queue'],
  [/^\/v1\/admin\/actions\/?$/, 'view-admin-actions'],
  [/^\/v1\/admin\/transfers\/[^/]+\/retry$/, 'retry'],
  [/^\/v1\/admin\/transfers\/[^/]+\/cancel$/, 'cancel'],
  [/^\/v1\/admin\/reload$/, 'reload'],
  [/^\/v1\/admin\/keys\/rotate$/, 'rotate-keys'],
  [/^\/console\/transfers\/?$/, 'view-transfers'],
  [/^\/console\/transfers\/[^/]+$/, 'view-transfer'],
  [/^\/console\/audit\/?$/, 'view-admin-actions'],
  [/^\/console\/audit\/verify$/, 'verify'],
  [/^\/console\/audit\/export$/, 'export'],
  [/^\/console\/policy\/replay$/, 'replay'],
  [/^\/console\/policy\/deploy$/, 'deploy'],
  [/^\/console\/reload$/, 'reload'],
  [/^\/console\/system\/retry$/, 'retry'],
  [/^\/console\/system\/cancel$/, 'cancel'],
  [/^\/console\/events$/, 'events'],
  [/^\/console\/policy\/?$/, 'open-policy'],
  [/^\/console\/system\/?$/, 'open-system'],
  [/^\/console\/?$/, 'open-overview'],
];

/** What a request to the admin listener asked to do, in the words of the admin-action records. */
export function attemptedAction(method: string, path: string): string {
  for (const [re, action] of API_ACTIONS) if (re.test(path)) return action;
  return method === 'GET' ? 'read' : 'change';
}
