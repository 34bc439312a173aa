import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../../protocol/principal.js';
import { FerryError } from '../../protocol/errors.js';
import { UUID_RE } from '../../protocol/ids.js';
import { TRANSFER_STATES } from '../../protocol/transfer.js';
import type { GatewayContext } from '../context.js';
import { sendJson } from './problem.js';
import { deniedView, transferView } from './transfer-views.js';

// GET /v1/transfers: the transfers this system sent, newest first, paged with
// a cursor (`before` = the last id of the previous page), filtered by state and
// by creation time. Transfers the policy refused are not in the queue: they are
// read back from the audit log, where their records are.

export const MAX_PAGE = 500;

export interface ListQuery {
  states: string[];
  since?: number;
  until?: number;
  before?: string;
  limit: number;
}

function time(name: string, v: string): number {
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new FerryError('FERRY_QUERY_INVALID', `'${name}' must be a date and time such as 2026-11-29T08:00:00Z.`);
  return t;
}

export function parseListQuery(url: string | undefined): ListQuery {
  const q = new URLSearchParams((url ?? '').split('?')[1] ?? '');
  const states = (q.get('state') ?? '').split(',').filter(Boolean);
  for (const s of states) {
    if (!(TRANSFER_STATES as readonly string[]).includes(s)) throw new FerryError('FERRY_QUERY_INVALID', `'state' must be among ${TRANSFER_STATES.join(', ')}.`);
  }
  const limitText = q.get('limit') ?? '50';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_PAGE) throw new FerryError('FERRY_QUERY_INVALID', `'limit' must be a whole number from 1 to ${MAX_PAGE}.`);
  const before = q.get('before') ?? undefined;
  if (before !== undefined && !UUID_RE.test(before)) throw new FerryError('FERRY_QUERY_INVALID', "'before' must be a transfer id (the 'next' of the previous page).");
  const out: ListQuery = { states, limit };
  if (q.get('since')) out.since = time('since', q.get('since')!);
  if (q.get('until')) out.until = time('until', q.get('until')!);
  if (before) out.before = before;
  return out;
}

export async function handleListTransfers(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
  const q = parseListQuery(req.url);
  const queued = q.states.length === 0 || q.states.some((s) => s !== 'denied')
    ? (await ctx.queue.list({ principal: principal.uri, states: q.states.filter((s) => s !== 'denied'), ...pick(q), limit: q.limit })).map((r) => transferView(r, ctx.identity))
    : [];
  const denied = q.states.length === 0 || q.states.includes('denied')
    ? ctx.auditReader.deniedOf(principal.uri, {
      ...(q.since !== undefined ? { sinceIso: new Date(q.since).toISOString() } : {}),
      ...(q.until !== undefined ? { untilIso: new Date(q.until).toISOString() } : {}),
      ...(q.before ? { beforeId: q.before } : {}),
      limit: q.limit,
    }).map((r) => deniedView(ctx.auditReader.transferRecords(r.transfer_id!))).filter((v): v is Record<string, unknown> => v !== null)
    : [];
  const page = [...queued, ...denied].sort((a, b) => (String(a.id) < String(b.id) ? 1 : -1)).slice(0, q.limit);
  const next = page.length === q.limit ? String(page[page.length - 1]!.id) : null;
  sendJson(res, 200, { transfers: page, next });
}

function pick(q: ListQuery): { since?: number; until?: number; before?: string } {
  return {
    ...(q.since !== undefined ? { since: q.since } : {}),
    ...(q.until !== undefined ? { until: q.until } : {}),
    ...(q.before ? { before: q.before } : {}),
  };
}
