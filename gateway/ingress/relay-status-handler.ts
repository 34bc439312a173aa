import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../../protocol/principal.js';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { UUID_RE } from '../../protocol/ids.js';
import { sendJson } from './problem.js';
import { peerView } from './peer-report.js';

// GET /v1/relay/status?ids=<id>,<id>,…: the gateway before this one asks where
// many transfers it handed on stand, in one question rather than one each
// (its scheduled questions; a sender's question still goes one transfer at a
// time, asked down the chain at once). Each transfer it handed on comes back
// with its state and its own signed report (routing/hop-report.ts); an id
// it did not hand on is left out, as unknown as any other.

/** Ids in one question: 100 UUIDs keep the request line under 4 KiB. */
export const RELAY_STATUS_MAX_IDS = 100;

export async function handleRelayStatus(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
  if (principal.kind !== 'gateway') throw new FerryError('FERRY_FORBIDDEN', 'Only peer gateways ask for the transfers they relayed.');
  if (!ctx.config.routing.peers.has(principal.gateway)) throw new FerryError('FERRY_PEER_UNKNOWN', `${principal.uri} is not listed under peers of this gateway.`);
  const q = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
  const ids = (q.get('ids') ?? '').split(',').filter((x) => x !== '');
  if (!ids.length || ids.length > RELAY_STATUS_MAX_IDS || !ids.every((id) => UUID_RE.test(id))) {
    throw new FerryError('FERRY_QUERY_INVALID', `'ids' must be 1 to ${RELAY_STATUS_MAX_IDS} transfer ids, separated by commas.`);
  }
  const transfers: Record<string, unknown> = {};
  for (const id of new Set(ids)) {
    const row = await ctx.queue.get(id);
    // Only what the gateway before takes: the state, and the signed report it checks.
    if (row && row.principal === principal.uri) transfers[id] = { state: row.state, report: peerView(ctx, row).report };
  }
  sendJson(res, 200, { transfers });
}
