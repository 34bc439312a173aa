import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { adminHostAllowed, hasManyHosts } from '../config/admin-exposure.js';
import type { TLSSocket } from 'node:tls';
import { principalFromCertificate } from '../../certs/identity.js';
import { FerryError } from '../../protocol/errors.js';
import { UUID_RE } from '../../protocol/ids.js';
import { TRANSFER_STATES } from '../../protocol/transfer.js';
import type { AdminRole } from '../config/gateway-config.js';
import type { Administrator } from './administrator.js';
import type { GatewayContext } from '../context.js';
import type { LiveRotationResult } from '../keys/live-rotation.js';
import type { ReloadAsker, ReloadReport } from './reload.js';
import type { HealthReport } from './health-checks.js';
import type { PolicyControl } from './policy-deploy.js';
import { Console } from './console/console-server.js';
import { ADMIN_ACTIONS_MAX, ADMIN_ACTIONS_PAGE } from './console/console-queries.js';
import type { AuditRecord } from '../audit/read-records.js';
import type { Listeners } from './console/page-system.js';
import { settleFinal } from '../delivery/settle.js';
import { requestWithdrawal } from '../delivery/withdraw.js';
import { sendJson, sendProblem } from '../ingress/problem.js';
import { transferView } from '../ingress/transfer-views.js';
import { maskText } from '../log/mask.js';
import { parseCursor } from './console/log-pages.js';
import { createAdminRefusals } from './admin-refusals.js';
import { closeRevokedConnections } from '../ingress/revoked-connections.js';

// The administrators' API: HTTPS with mutual TLS on its own listener
// (admin.api_listen). Identity is the certificate's ferry://admin/<name>,
// issued by the gateway CA; the role is the one gateway.yaml gives that name
// (admin.administrators). Every action is an audit record naming who did it,
// written before the answer. Health and metrics stay on the probe listener.

/** What each role may do. auditor reads; sysadmin runs the queue; secadmin and sysadmin reload. The secadmin reads no transfers (three-role separation, as in the console). */
const MAY: Record<string, readonly AdminRole[]> = {
  transfers: ['sysadmin', 'auditor'],
  retry: ['sysadmin'],
  cancel: ['sysadmin'],
  reload: ['sysadmin', 'secadmin'],
  'rotate keys': ['sysadmin'],
  actions: ['auditor'],
};

export interface AdminActions {
  /** SIGHUP's work: reload what can change at run time; returns what changed and what needs a restart. */
  reload(by: string, asker?: ReloadAsker): Promise<ReloadReport>;
  health(): Promise<HealthReport>;
  /** The policy file's deployer; null when no policy is configured. */
  policy(): PolicyControl | null;
  ports(): Listeners;
  /** `ferry keys rotate --admin`: new signing and sealing keys, switched while transfers run (keys/live-rotation.ts). */
  rotateKeys(by: string, role: string): Promise<LiveRotationResult>;
}

function administrator(ctx: GatewayContext, socket: TLSSocket): Administrator {
  const cert = socket.getPeerX509Certificate();
  if (!cert) throw new FerryError('FERRY_NO_CLIENT_CERT');
  if (!socket.authorized) throw new FerryError('FERRY_CERT_UNTRUSTED');
  const p = principalFromCertificate(cert);
  const revoked = ctx.trust.refusalFor(cert, p?.uri ?? null);
  if (revoked) throw revoked;
  if (!p || p.kind !== 'system' || p.network !== 'admin') throw new FerryError('FERRY_FORBIDDEN', 'The admin API takes only administrator certificates, those whose identity is under ferry://admin (the name after it holds a role).');
  const role = ctx.config.admin?.administrators.get(p.system);
  if (!role) throw new FerryError('FERRY_FORBIDDEN', `${p.uri} is not among the administrators of this gateway (admin.administrators in gateway.yaml).`);
  return { name: p.system, uri: p.uri, role };
}

function allow(who: Administrator, action: string): void {
  if (!MAY[action]!.includes(who.role)) throw new FerryError('FERRY_FORBIDDEN', `The role ${who.role} may not ${action}; ${MAY[action]!.join(' or ')} may.`);
}

async function listQueue(ctx: GatewayContext, url: string): Promise<Record<string, unknown>> {
  const q = new URLSearchParams(url.split('?')[1] ?? '');
  const states = (q.get('state') ?? 'queued,forwarding').split(',').filter(Boolean);
  for (const s of states) if (!(TRANSFER_STATES as readonly string[]).includes(s)) throw new FerryError('FERRY_QUERY_INVALID', `'state' must be among ${TRANSFER_STATES.join(', ')}.`);
  const limit = Number(q.get('limit') ?? '100');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new FerryError('FERRY_QUERY_INVALID', "'limit' must be a whole number from 1 to 1000.");
  const before = q.get('before') ?? undefined;
  if (before !== undefined && !UUID_RE.test(before)) throw new FerryError('FERRY_QUERY_INVALID', "'before' must be a transfer id.");
  const destination = q.get('destination') ?? undefined;
  const rows = await ctx.queue.list({ principal: null, states, limit, ...(destination ? { destination } : {}), ...(before ? { before } : {}) });
  // Sender-chosen names may carry personal data: masked, as in every answer.
  const transfers = rows.map((r) => {
    const view = transferView(r, ctx.identity);
    return { ...view, ...(typeof view.filename === 'string' ? { filename: maskText(view.filename) } : {}), principal: r.principal };
  });
  const byDestination: Record<string, number> = {};
  for (const r of rows) byDestination[r.destination] = (byDestination[r.destination] ?? 0) + 1;
  return { transfers, by_destination: byDestination, next: rows.length === limit ? rows[rows.length - 1]!.id : null };
}

/** The members of an action's details an administrator wrote in words (hashes and counts are left as they are). */
const FREE_TEXT = new Set(['query', 'note', 'refused', 'reason']);

/** An administrator's action as the API shows it; free text in it masked, as in every answer. */
function actionView(r: AuditRecord): Record<string, unknown> {
  const details = r.details === null ? null : Object.fromEntries(Object.entries(r.details).map(([k, v]) => [k, FREE_TEXT.has(k) && typeof v === 'string' ? maskText(v) : v]));
  return { seq: r.seq, time: r.time, event: r.event, principal: r.principal, transfer_id: r.transferId, policy_hash: r.policyHash, details };
}

async function act(ctx: GatewayContext, who: Administrator, action: 'retry' | 'cancel', id: string): Promise<Record<string, unknown>> {
  const row = UUID_RE.test(id) ? await ctx.queue.get(id) : undefined;
  if (!row) throw new FerryError('FERRY_NOT_FOUND');
  const base = { event: 'admin-action' as const, transferId: id, principal: who.uri, source: row.source, destination: row.destination };
  // Handed on to the next gateway: cancelled by withdrawing it from there (delivery/withdraw.ts); it ends once that gateway answers.
  if (action === 'cancel' && row.state === 'relayed' && !row.withdrawal) {
    await ctx.audit.append({ ...base, details: { action, role: who.role } });
    await requestWithdrawal(ctx, row, 'failed', `cancelled by the administrator ${who.uri}`, { cancelled_by: who.uri });
    return { id, action, by: who.uri, state: 'relayed', withdrawing: true };
  }
  if (row.state !== 'queued' && row.state !== 'forwarding') {
    throw new FerryError('FERRY_ADMIN_CONFLICT', `Transfer ${id} is ${row.state}${row.withdrawal ? ' and being withdrawn' : ''}; only a transfer still to deliver, or one relayed and not yet settled, can be cancelled, and only one still to deliver retried.`);
  }
  if (action === 'retry') {
    if (!(await ctx.queue.retryNow(id))) throw new FerryError('FERRY_ADMIN_CONFLICT', `Transfer ${id} is being delivered now; there is nothing to retry.`);
    await ctx.audit.append({ ...base, details: { action, role: who.role } });
    ctx.wakeForwarder();
    return { id, action, by: who.uri };
  }
  if (row.state === 'forwarding' && row.nextHop) {
    // Being handed to the next gateway now: cancelled here, it might still be taken there and delivered
    // with nobody to withdraw it. Once handed on (relayed), a cancel withdraws it; if the hand-over fails, it is queued again.
    throw new FerryError('FERRY_ADMIN_CONFLICT', `Transfer ${id} is being handed to the next gateway now; cancel it again in a few seconds.`);
  }
  await ctx.audit.append({ ...base, details: { action, role: who.role } });
  await settleFinal(ctx, row, 'failed', `cancelled by the administrator ${who.uri}`, { cancelled_by: who.uri });
  return { id, action, by: who.uri, state: (await ctx.queue.get(id))?.state ?? 'failed' };
}

async function route(ctx: GatewayContext, actions: AdminActions, web: Console, req: IncomingMessage, res: ServerResponse, who: Administrator): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  // The web console (gateway/admin/console/): the same listener, the same identity, its own pages.
  if (!path.startsWith('/v1/')) return web.handle(req, res, who);
  // No body is wanted on any API route.
  req.resume();
  if (req.method === 'GET' && path === '/v1/admin/transfers') {
    allow(who, 'transfers');
    const list = await listQueue(ctx, req.url ?? '');
    // A view of the queue is an action like any other: recorded, naming who, before the answer.
    await ctx.audit.append({ event: 'admin-action', principal: who.uri, details: { action: 'view-queue', role: who.role, via: 'api', query: (req.url ?? '').split('?')[1] ?? '' } });
    return sendJson(res, 200, list);
  }
  if (req.method === 'GET' && path === '/v1/admin/actions') {
    // The administrators' own actions: the auditor's alone (three-role separation), a page at a time.
    allow(who, 'actions');
    const q = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const limit = Number(q.get('limit') ?? String(ADMIN_ACTIONS_PAGE));
    if (!Number.isInteger(limit) || limit < 1 || limit > ADMIN_ACTIONS_MAX) throw new FerryError('FERRY_QUERY_INVALID', `'limit' must be a whole number from 1 to ${ADMIN_ACTIONS_MAX}.`);
    const before = q.get('before');
    if (before !== null && !parseCursor(before)) throw new FerryError('FERRY_QUERY_INVALID', "'before' must be the 'next' cursor of the previous page.");
    await ctx.audit.append({ event: 'admin-action', principal: who.uri, details: { action: 'view-admin-actions', role: who.role, via: 'api', query: q.toString() } });
    const page = await web.adminActions(limit, before ?? undefined);
    return sendJson(res, 200, { actions: page.rows.map(actionView), next: page.next });
  }
  const m = /^\/v1\/admin\/transfers\/([^/]+)\/(retry|cancel)$/.exec(path);
  if (req.method === 'POST' && m) {
    allow(who, m[2]!);
    return sendJson(res, 200, await act(ctx, who, m[2] as 'retry' | 'cancel', m[1]!));
  }
  if (req.method === 'POST' && path === '/v1/admin/reload') {
    allow(who, 'reload');
    return sendJson(res, 200, await actions.reload(who.uri, { role: who.role, via: 'api' }));
  }
  if (req.method === 'POST' && path === '/v1/admin/keys/rotate') {
    allow(who, 'rotate keys');
    // The key-rotated record names who asked; it is written before the answer.
    return sendJson(res, 200, await actions.rotateKeys(who.uri, who.role));
  }
  throw new FerryError('FERRY_ROUTE_NOT_FOUND');
}

export function createAdminApi(ctx: GatewayContext, tls: { ca: string; cert: string; key: string }, actions: AdminActions): Server {
  // Every refusal here is an audit record too (admin-refusals.ts), written before the answer.
  const refused = createAdminRefusals(ctx);
  const web = new Console({ ctx, ...actions, refused: (req, who, err) => refused(req, who, err, 'console') });
  // The console is a web page: a browser led by DNS rebinding to a hostile name sends that name (issue 9, item 6).
  const hostAllowed = adminHostAllowed(ctx.config, () => (server.address() as { port: number } | null)?.port ?? 0, 'api');
  const server = createServer({ ...tls, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, (req, res) => {
    /** Who asks, once the certificate names an administrator with a role. */
    let who: Administrator | null = null;
    const checked = async () => {
      if (hasManyHosts(req.rawHeaders)) throw new FerryError('FERRY_MALFORMED_REQUEST', 'The request has more than one Host header.');
      if (!hostAllowed(req.headers.host)) throw new FerryError('FERRY_MISDIRECTED_REQUEST');
      who = administrator(ctx, req.socket as TLSSocket);
      await route(ctx, actions, web, req, res, who);
    };
    checked().catch(async (err: unknown) => {
      const e = err instanceof FerryError ? err : new FerryError('FERRY_INTERNAL');
      if (!(err instanceof FerryError)) ctx.log.error({ err }, 'admin request failed');
      ctx.log.info({ code: e.code, path: maskText(req.url ?? '') }, 'admin request refused');
      if (res.headersSent) return void res.destroy();
      // A refusal (not a failure of the gateway) is an audit record, durable before the answer.
      if (e.status < 500) await refused(req, who, e, 'api');
      // A refused request's body is not read.
      req.resume();
      sendProblem(res, e);
    });
  });
  // The connections of a certificate revoked while they are open (a console's live stream) are closed, as on the data ports.
  closeRevokedConnections(ctx, server, 'admin', refused.auditor);
  server.on('close', () => {
    web.close();
    refused.auditor.flush();
  });
  return server;
}
