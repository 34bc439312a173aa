import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../../protocol/principal.js';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { verifyReceipt } from '../../protocol/receipt.js';
import { ENVELOPE_HEADER, openEnvelope } from '../routing/envelope.js';
import { KEY_HISTORY_HEADER } from '../routing/key-history.js';
import { receiveUpload } from './files-handler.js';
import { parseTransferMeta } from './upload-headers.js';
import { answerRepeatedRefusal } from './repeated-refusal.js';
import { watchBodyFraming, type FramingWatch } from './body-framing.js';

// PUT /v1/relay: a transfer handed on by a peer gateway (docs/routing.md).
// Before a byte of the body is read: the certificate is a listed peer's, the
// envelope is signed with that peer's key, the peer speaks only for its own
// networks, this gateway is not already on the path, the path is not too long,
// and the id is not held from another upstream. Then the transfer takes the
// whole path here again, under this gateway's own policy.
//
// The body's framing is watched from the first byte (body-framing.ts), before
// the queue is read: a peer whose body breaks while that read runs is answered
// 400 FERRY_MALFORMED_REQUEST, as on /v1/files, not taken for bytes past the end.

export async function handleRelay(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
  const framing = watchBodyFraming(req, res);
  try {
    await admitRelay(ctx, req, res, principal, framing);
  } catch (err) {
    // Refused before the body: the refusal is the answer, whatever the body holds.
    framing.stop();
    throw err;
  }
}

async function admitRelay(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, principal: Principal, framing: FramingWatch): Promise<void> {
  if (principal.kind !== 'gateway') throw new FerryError('FERRY_FORBIDDEN', 'Only peer gateways relay transfers; systems send with PUT /v1/files.');
  const peer = ctx.config.routing.peers.get(principal.gateway);
  if (!peer) throw new FerryError('FERRY_PEER_UNKNOWN', `${principal.uri} is not listed under peers of this gateway.`);
  // A peer that rotated its keys says so in each request (routing/key-history.ts): learned before the envelope is checked.
  await ctx.peerKeys.learn(peer.name, peer.keys, req.headers[KEY_HISTORY_HEADER], peer.followRotation, { via: 'request', from: req.socket.remoteAddress ?? null });
  const keys = ctx.peerKeys.keysOf(peer.name, peer.keys, peer.followRotation);
  const env = openEnvelope(req.headers[ENVELOPE_HEADER], keys);
  if (env.gateway !== principal.uri) throw new FerryError('FERRY_ENVELOPE_INVALID', `The envelope was signed for ${env.gateway.slice(0, 100)}, not the connected ${principal.uri}.`);
  const r = env.receipt;
  // Any listed key: a transfer accepted before the peer rotated its keys carries a receipt by the old one.
  if (!keys.some((k) => verifyReceipt(r, k)) || r.type !== 'accepted' || r.transfer !== env.transfer || r.sha256 !== env.sha256 || r.size !== env.size || r.gateway !== principal.uri) {
    throw new FerryError('FERRY_ENVELOPE_INVALID', 'The envelope does not carry the peer\'s own accepted receipt for this transfer.');
  }
  const network = env.source.split('/')[0]!;
  if (!peer.networks.includes(network)) {
    throw new FerryError('FERRY_PEER_SOURCE_FORBIDDEN', `${principal.uri} may speak for ${peer.networks.join(', ')}, not for a source on '${network}'.`);
  }
  if (env.path.includes(ctx.config.name)) {
    throw new FerryError('FERRY_ROUTE_LOOP', `Transfer ${env.transfer} has already passed through this gateway (path ${env.path.join(' → ')}).`, { transfer: env.transfer });
  }
  if (env.path.length + 1 > ctx.config.routing.maxHops) {
    throw new FerryError('FERRY_HOP_LIMIT', `Transfer ${env.transfer} has crossed ${env.path.length} gateways; this gateway allows at most ${ctx.config.routing.maxHops}.`, { transfer: env.transfer });
  }
  const key = req.headers['idempotency-key'];
  if (key !== env.transfer) throw new FerryError('FERRY_HEADER_INVALID', 'A relay carries the transfer id as its idempotency-key.');
  const declared = req.headers['content-length'];
  if (declared === undefined || Number(declared) !== env.size) {
    throw new FerryError('FERRY_ENVELOPE_MISMATCH', `The envelope was signed for ${env.size} bytes; the request declares ${declared ?? 'no length'}.`);
  }
  const held = await ctx.queue.get(env.transfer);
  if (held && held.principal !== principal.uri) {
    throw new FerryError('FERRY_ID_CONFLICT', `Transfer ${env.transfer} is already held here from another upstream.`, { transfer: env.transfer });
  }
  // The same id must mean the same transfer: a retry is answered as before only if it is.
  if (held && (held.sha256 !== env.sha256 || held.size !== env.size || held.destination !== env.destination)) {
    throw new FerryError('FERRY_ID_CONFLICT', `Transfer ${env.transfer} is held here with other content or another destination.`, { transfer: env.transfer });
  }
  // Failed here before it was answered (a crash mid-upload): the upstream's retry takes the id afresh.
  // Refused here before, the answer lost on the way back: the same answer again, with no second pass
  // and no second final record for the transfer (repeated-refusal.ts).
  const retried = held ? await ctx.queue.forgetUnanswered(env.transfer, principal.uri) : (await answerRepeatedRefusal(ctx, principal.uri, env)).retried;

  const meta = parseTransferMeta({
    to: env.destination, label: env.label, contentType: env.content_type, idempotencyKey: env.transfer,
    ...(env.filename !== undefined ? { filename: encodeURIComponent(env.filename) } : {}),
  });
  meta.declaredSize = env.size;
  await receiveUpload(ctx, req, res, {
    kind: env.kind, principal, meta, ...(env.channel ? { channel: env.channel } : {}),
    relay: { id: env.transfer, source: env.source, via: principal.gateway, path: env.path, sha256: env.sha256, size: env.size, ...(retried ? { retried } : {}) },
  }, framing);
}
