import type { ServerResponse } from 'node:http';
import type { Principal } from '../../protocol/principal.js';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { sendJson } from './problem.js';

// GET /v1/destinations: where this gateway can carry a transfer from the
// asking system: every configured destination on another network than the
// sender's. The policy still decides each transfer (label, type, time…);
// this list says what exists, not what will be allowed. Business systems ask,
// and listed peers (routing.peers); another gateway's certificate from the CA
// relays nothing here and reads nothing either (FERRY_PEER_UNKNOWN, audited).

export function handleListDestinations(ctx: GatewayContext, res: ServerResponse, principal: Principal): void {
  if (principal.kind === 'gateway' && !ctx.config.routing.peers.has(principal.gateway)) {
    throw new FerryError('FERRY_PEER_UNKNOWN', `${principal.uri} is not listed under peers of this gateway.`);
  }
  const own = principal.kind === 'system' ? principal.network : null;
  const destinations = [...ctx.config.destinations.entries()]
    .filter(([id]) => id.split('/')[0] !== own)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, d]) => ({ id, network: id.split('/')[0], system: id.split('/')[1], delivery: d.delivery }));
  sendJson(res, 200, { destinations });
}
