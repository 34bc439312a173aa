import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '../../protocol/principal.js';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { UUID_RE } from '../../protocol/ids.js';
import { deliveryHeaders } from '../delivery/delivery-headers.js';
import { settleDelivered } from '../delivery/settle.js';
import type { Transfer } from '../store/transfer-store.js';
import { openContent } from '../delivery/transfer-content.js';
import { sendJson } from './problem.js';

// Pull delivery: a destination system lists what waits for it, downloads each
// transfer (decrypted from the spool as it streams), and acknowledges it with
// DELETE, which settles the transfer as delivered.

async function ownItem(ctx: GatewayContext, principal: Principal, id: string): Promise<Transfer> {
  if (principal.kind !== 'system') throw new FerryError('FERRY_FORBIDDEN', 'Only business systems have an inbox.');
  const row = UUID_RE.test(id) ? await ctx.queue.get(id) : undefined;
  if (!row || row.delivery !== 'pull' || row.state !== 'queued' || row.destination !== `${principal.network}/${principal.system}`) {
    throw new FerryError('FERRY_NOT_FOUND', 'No such transfer waits in your inbox.');
  }
  return row;
}

export async function handleListInbox(ctx: GatewayContext, res: ServerResponse, principal: Principal): Promise<void> {
  if (principal.kind !== 'system') throw new FerryError('FERRY_FORBIDDEN', 'Only business systems have an inbox.');
  const rows = await ctx.queue.inbox(`${principal.network}/${principal.system}`);
  sendJson(res, 200, {
    transfers: rows.map((r) => ({
      id: r.id, kind: r.kind, ...(r.channel ? { channel: r.channel } : {}), source: r.source, filename: r.filename, size: r.size, sha256: r.sha256, label: r.label,
      content_type: r.contentType, created: new Date(r.created).toISOString(),
    })),
  });
}

/** Downloads of a transfer counted but not yet on record, per gateway: two at once cannot both take the last place. */
const starting = new WeakMap<GatewayContext, Map<string, number>>();
/** Transfers whose download was refused for the limit since this gateway started: the first refusal is audited, not each. */
const REFUSALS_KEPT = 10_000;
const refusedOnce = new WeakMap<GatewayContext, Set<string>>();

/**
 * Every download is a durable record, so a destination that loops on one transfer would grow the audit log
 * without end: past `delivery.max_downloads` downloads of a transfer it is refused FERRY_DOWNLOAD_LIMIT (its
 * acknowledgement still settles it). Counted from the log, so a restart does not reset it.
 */
async function takeDownloadPlace(ctx: GatewayContext, row: Transfer, principal: Principal, remote: string | null): Promise<() => void> {
  let mine = starting.get(ctx);
  if (!mine) starting.set(ctx, (mine = new Map()));
  const done = ctx.auditReader.transferRecords(row.id).filter((r) => r.event === 'handed-out').length;
  const now = mine.get(row.id) ?? 0;
  const max = ctx.config.delivery.maxDownloads;
  if (done + now >= max) {
    const refusal = new FerryError('FERRY_DOWNLOAD_LIMIT', `Transfer ${row.id} has been downloaded ${done} times (delivery.max_downloads is ${max}).`);
    await auditFirstRefusal(ctx, row, principal, remote, refusal);
    throw refusal;
  }
  mine.set(row.id, now + 1);
  return () => {
    const n = (mine.get(row.id) ?? 1) - 1;
    if (n > 0) mine.set(row.id, n);
    else mine.delete(row.id);
  };
}

/**
 * A security team should see that a destination hit the limit (a receiver in a loop, or one that lost what it
 * fetched), once: a record a refusal would grow the log as the downloads did. One record per transfer while the
 * gateway runs (so at most one more after each restart), a `denied` of the request, not of the transfer: the
 * transfer is named in its details, not in its transfer_id, which readers take for the transfer's own end.
 */
async function auditFirstRefusal(ctx: GatewayContext, row: Transfer, principal: Principal, remote: string | null, refusal: FerryError): Promise<void> {
  let seen = refusedOnce.get(ctx);
  if (!seen) refusedOnce.set(ctx, (seen = new Set()));
  if (seen.has(row.id)) return;
  // Marked before the append (refusals at once write one record); a failed append is tried again at the next refusal.
  seen.add(row.id);
  if (seen.size > REFUSALS_KEPT) seen.delete(seen.values().next().value!);
  try {
    await ctx.audit.append({
      event: 'denied', principal: principal.uri, source: row.source, destination: row.destination,
      details: { code: refusal.code, reason: refusal.message, network: principal.kind === 'system' ? principal.network : null, remote, transfer: row.id, via: 'pull' },
    });
  } catch (err) {
    seen.delete(row.id);
    throw err;
  }
}

export async function handleFetchInboxItem(ctx: GatewayContext, res: ServerResponse, principal: Principal, id: string): Promise<void> {
  const row = await ownItem(ctx, principal, id);
  const release = await takeDownloadPlace(ctx, row, principal, res.socket?.remoteAddress ?? null);
  // Recorded, durably, before a byte leaves: a destination that downloads and never acknowledges
  // still left a trail (docs/audit-log.md, "Content handed out"). One commit a download; pulls are few.
  try {
    await ctx.audit.append({
      event: 'handed-out', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination, size: row.size, sha256: row.sha256,
      details: { handed_to: principal.uri, via: 'pull', attempts: row.attempts },
    });
  } finally {
    release();
  }
  const plain = openContent(ctx, row);
  // The same headers a push carries: pull and push deliver one way.
  res.writeHead(200, { ...deliveryHeaders(row, ctx.identity), 'content-length': row.size, 'cache-control': 'no-store' });
  try {
    await pipeline(plain, res);
  } catch (err) {
    // Headers are gone: the only honest signal left is a cut connection, which the receiver sees as a short body.
    ctx.log.error({ transfer: row.id, err: (err as Error).message }, 'inbox download failed');
    res.destroy();
  }
}

export async function handleAckInboxItem(ctx: GatewayContext, res: ServerResponse, principal: Principal, id: string): Promise<void> {
  if (principal.kind !== 'system') throw new FerryError('FERRY_FORBIDDEN', 'Only business systems have an inbox.');
  const row = UUID_RE.test(id) ? await ctx.queue.get(id) : undefined;
  if (!row || row.delivery !== 'pull' || row.destination !== `${principal.network}/${principal.system}`) {
    throw new FerryError('FERRY_NOT_FOUND', 'No such transfer waits in your inbox.');
  }
  if (row.state === 'queued') {
    const receipt = await settleDelivered(ctx, row, principal.uri, { via: 'pull' });
    if (receipt) return sendJson(res, 200, { id: row.id, state: 'delivered', receipt });
  }
  // Acknowledged already by this system: a repeat after an answer lost on the way
  // (a cut link, a gateway killed after its commit) gets the same answer again, so
  // the receiver learns that what it holds is settled instead of waiting for an
  // offer that will never come. The receipt is the one signed at the first ack.
  const now = await ctx.queue.get(row.id);
  if (now?.state === 'delivered' && now.receiptDelivered?.delivered_to === principal.uri) {
    return sendJson(res, 200, { id: now.id, state: 'delivered', receipt: now.receiptDelivered, repeated: true });
  }
  throw new FerryError('FERRY_NOT_FOUND', 'No such transfer waits in your inbox.');
}
