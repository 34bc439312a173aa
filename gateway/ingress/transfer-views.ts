import type { StoredRecord } from '../audit/audit-sink.js';
import { gatewayId } from '../../protocol/ferry-id.js';
import type { HopView } from '../routing/hop-view.js';
import type { Transfer } from '../store/transfer-store.js';

// A transfer as its source sees it, in GET /v1/transfers and
// GET /v1/transfers/<id>: from its queue row while the gateway holds it, or
// from its audit records when the policy refused it (it never had a row).

/** A transfer held in the queue, with every gateway's part of its path. */
export function transferView(row: Transfer, gateway: string, handed: HopView['handed_out'] | null = null): Record<string, unknown> {
  const after = row.hops ?? [];
  // Handed out to the destination (here, or at a gateway further on) and not acknowledged: never "it did not get there".
  const handedOut = handed ?? after.find((h) => h.handed_out)?.handed_out ?? null;
  const accepted = row.receiptAccepted;
  // This gateway's own part first, then each gateway after it as the next one described them.
  const self: HopView = {
    gateway, state: row.state, time: new Date(row.updated).toISOString(),
    ...(row.reason && !after.length ? { reason: row.reason } : {}),
    ...(handed ? { handed_out: handed } : {}),
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
    // Withdrawn (or being withdrawn) from the next gateway, or withdrawn here at the gateway before's request.
    ...(row.withdrawal ? { withdrawal: { final: row.withdrawal.final, reason: row.withdrawal.reason, requested: new Date(row.withdrawal.at).toISOString(), ...(row.withdrawal.by ? { by: row.withdrawal.by } : {}) } } : {}),
    ...(handedOut ? { handed_out: handedOut } : {}),
    ...(refusal ? { refused_by: { gateway: refusal.gateway, code: refusal.code, rule: refusal.rule ?? null, findings: refusal.findings ?? [] } } : {}),
    hops: [self, ...after],
  };
}

/** A refused transfer as its sender sees it, from its audit records. */
export function deniedView(records: StoredRecord[]): Record<string, unknown> | null {
  const denied = records.find((r) => r.event === 'denied');
  if (!denied || !denied.transfer_id) return null;
  const received = records.find((r) => r.event === 'received');
  const rd = received?.details ? JSON.parse(received.details) as Record<string, unknown> : {};
  const decided = records.filter((r) => r.event === 'decided').pop();
  const dd = decided?.details ? JSON.parse(decided.details) as Record<string, unknown> : {};
  const denial = denied.details ? JSON.parse(denied.details) as Record<string, unknown> : {};
  const passed = records.find((r) => r.event === 'inspected' || (r.sha256 !== null && r.size !== null));
  return {
    id: denied.transfer_id,
    kind: rd.kind ?? 'file',
    state: 'denied',
    source: denied.source,
    destination: denied.destination,
    label: rd.label ?? null,
    filename: rd.filename ?? null,
    size: passed?.size ?? null,
    sha256: passed?.sha256 ?? null,
    created: (received ?? denied).time,
    updated: denied.time,
    rule: denied.rule,
    reason: denial.reason ?? dd.reason ?? null,
    stage: dd.stage ?? null,
    findings: Array.isArray(dd.findings) ? dd.findings : [],
  };
}
