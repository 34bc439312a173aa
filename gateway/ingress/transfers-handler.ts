import type { ServerResponse } from 'node:http';
import type { Principal } from '../../protocol/principal.js';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { UUID_RE } from '../../protocol/ids.js';
import type { Transfer } from '../store/transfer-store.js';
import type { HopView } from '../routing/hop-view.js';
import { sendJson } from './problem.js';
import { deniedView } from './transfer-list.js';
import { gatewayId } from '../../protocol/ferry-id.js';

// GET /v1/transfers/<id>: a transfer's state, to its source only. Anyone else
// gets the same 404 as for an unknown id, so ids reveal nothing.

export async function handleGetTransfer(ctx: GatewayContext, res: ServerResponse, principal: Principal, id: string): Promise<void> {
  let row = UUID_RE.test(id) ? await ctx.queue.get(id) : undefined;
  if (row) {
    if (row.principal !== principal.uri) throw new FerryError('FERRY_NOT_FOUND');
    // Handed on to the next gateway: its outcome (and every gateway's after it) is asked for now.
    if (row.state === 'relayed') {
      await ctx.askDownstream(row.id);
      row = (await ctx.queue.get(id)) ?? row;
    }
    sendJson(res, 200, transferView(row, ctx.identity));
    return;
  }
  // Not in the queue: a transfer the policy refused is known by its audit records.
  const records = UUID_RE.test(id) ? ctx.auditReader.transferRecords(id) : [];
  const denied = records.length && records[0]!.principal === principal.uri ? deniedView(records) : null;
  if (!denied) throw new FerryError('FERRY_NOT_FOUND');
  sendJson(res, 200, denied);
}

export function transferView(row: Transfer, gateway: string): Record<string, unknown> {
  const after = row.hops ?? [];
  const accepted = row.receiptAccepted;
  // This gateway's own part first, then each gateway after it as the next one described them.
  const self: HopView = {
    gateway, state: row.state, time: new Date(row.updated).toISOString(),
    ...(row.reason && !after.length ? { reason: row.reason } : {}),
    receipts: {
      ...(accepted ? { accepted } : {}),
      ...(row.receiptDelivered && row.delivery !== 'relay' ? { delivered: row.receiptDelivered } : {}),
    },
  };
  // The gateway whose refusal ended the transfer, with its rule and findings, for the source to see.
  const refusal = after.find((h) => h.code);
  return {
    id: row.id,
    kind: row.kind,
    ...(row.channel ? { channel: row.channel } : {}),
    state: row.state,
    source: row.source,
    destination: row.destination,
    size: row.size,
    sha256: row.sha256,
    filename: row.filename,
    label: row.label,
    delivery: row.delivery,
    created: new Date(row.created).toISOString(),
    updated: new Date(row.updated).toISOString(),
    attempts: row.attempts,
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.state === 'queued' && row.delivery === 'push' && row.attempts > 0 ? { next_attempt: new Date(row.nextAttemptAt).toISOString() } : {}),
    expires: new Date(row.expiresAt).toISOString(),
    receipts: {
      accepted,
      ...(row.receiptDelivered ? { delivered: row.receiptDelivered } : {}),
    },
    ...(row.via ? { via: gatewayId(row.via) } : {}),
    ...(row.nextHop ? { next_hop: gatewayId(row.nextHop) } : {}),
    ...(refusal ? { refused_by: { gateway: refusal.gateway, code: refusal.code, rule: refusal.rule ?? null, findings: refusal.findings ?? [] } } : {}),
    hops: [self, ...after],
  };
}
