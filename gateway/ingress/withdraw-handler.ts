import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../../protocol/principal.js';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { UUID_RE } from '../../protocol/ids.js';
import { openWithdrawal, WITHDRAWAL_HEADER } from '../routing/withdrawal.js';
import { KEY_HISTORY_HEADER } from '../routing/key-history.js';
import { requestWithdrawal, withdrawHere } from '../delivery/withdraw.js';
import type { Transfer } from '../store/transfer-store.js';
import { sendJson } from './problem.js';
import { peerView } from './peer-report.js';

// POST /v1/relay/<id>/withdraw: the gateway before this one withdraws a transfer
// it relayed here (it expired there, or an administrator cancelled it). Only
// from the peer that handed the transfer on, signed with its key. Idempotent:
// the answer is always where the transfer stands here, in a signed report
// (withdrawn, or delivered or settled before the withdrawal came); a transfer
// this gateway has itself relayed on is withdrawn from its own next gateway
// first. While an attempt is in hand here, FERRY_TRANSFER_BUSY: ask again.

const UNDER_WAY = new Set(['accepted', 'queued', 'forwarding', 'relayed']);

export async function handleWithdraw(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, principal: Principal, id: string): Promise<void> {
  if (principal.kind !== 'gateway') throw new FerryError('FERRY_FORBIDDEN', 'Only the gateway that relayed a transfer withdraws it.');
  const peer = ctx.config.routing.peers.get(principal.gateway);
  if (!peer) throw new FerryError('FERRY_PEER_UNKNOWN', `${principal.uri} is not listed under peers of this gateway.`);
  await ctx.peerKeys.learn(peer.name, peer.keys, req.headers[KEY_HISTORY_HEADER], peer.followRotation, { via: 'request', from: req.socket.remoteAddress ?? null });
  const w = openWithdrawal(req.headers[WITHDRAWAL_HEADER], ctx.peerKeys.keysOf(peer.name, peer.keys, peer.followRotation));
  if (w.gateway !== principal.uri || w.transfer !== id || !UUID_RE.test(id)) {
    throw new FerryError('FERRY_WITHDRAWAL_INVALID', 'The signed withdrawal was made by another gateway or for another transfer than the one in the path.');
  }
  req.resume();
  let row = await ctx.queue.get(id);
  // Only the upstream that handed it on may withdraw it; to anyone else it is as unknown as any id.
  if (!row || row.principal !== principal.uri) throw new FerryError('FERRY_NOT_FOUND', `This gateway holds no transfer ${id} from ${principal.uri}.`);
  if (row.state === 'queued') await withdrawWaiting(ctx, row, principal.uri, w);
  else if (row.state === 'relayed') {
    // Passed further down the chain, durably; the answer comes from the end.
    await requestWithdrawal(ctx, row, 'failed', `withdrawn by ${principal.uri}: ${w.reason}`, { withdrawn_by: principal.uri });
    await ctx.askDownstream(id);
  }
  row = (await ctx.queue.get(id)) ?? row;
  if (UNDER_WAY.has(row.state)) {
    const doing = row.state === 'relayed' ? 'being withdrawn from the next gateway' : row.seq !== null ? 'with a subscriber, not yet acknowledged' : 'being delivered';
    throw new FerryError('FERRY_TRANSFER_BUSY', `Transfer ${id} is ${doing} right now; ask again.`);
  }
  sendJson(res, 200, peerView(ctx, row));
}

/**
 * A transfer still waiting here is withdrawn; but a message taken by subscription is not while a
 * subscriber holds it unacknowledged (its ack will settle it as delivered): the gateway before is told busy.
 */
async function withdrawWaiting(ctx: GatewayContext, row: Transfer, by: string, w: { final: string; reason: string }): Promise<void> {
  const { channel, seq } = row;
  if (channel === null || seq === null) return void (await withdrawHere(ctx, row, by, w));
  await ctx.subscriptions.holding(row.destination, channel, row.id, async () => {
    if (!ctx.subscriptions.sentUnacked(row.destination, channel, seq)) await withdrawHere(ctx, row, by, w);
  });
}
