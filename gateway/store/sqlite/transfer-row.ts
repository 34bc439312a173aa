import type { Receipt } from '../../../protocol/receipt.js';
import type { TransferKind, TransferState } from '../../../protocol/transfer.js';
import { parseHops } from '../../routing/hop-view.js';
import type { Delivery, NewTransfer, Transfer, Withdrawal } from '../transfer-store.js';

// A row of the transfers table as SQLite holds it (snake_case columns, JSON
// text for receipts, path and hops), and its translation to and from the
// Transfer the rest of the gateway sees. Nothing outside store/sqlite/ sees a row.

export interface TransferRow {
  id: string;
  kind: TransferKind;
  channel: string | null;
  state: TransferState;
  principal: string;
  source: string;
  destination: string;
  label: string;
  filename: string | null;
  content_type: string | null;
  size: number;
  sha256: string;
  spool: string;
  delivery: Delivery;
  seq: number | null;
  idempotency_key: string | null;
  created: number;
  updated: number;
  expires_at: number;
  attempts: number;
  next_attempt_at: number;
  reason: string | null;
  receipt_accepted: string | null;
  receipt_delivered: string | null;
  retain_days: number | null;
  retain_until: number | null;
  delivered_at: number | null;
  via: string | null;
  path: string | null;
  next_hop: string | null;
  hops: string | null;
  polls: number;
  withdrawal: string | null;
}

function parseJson<T>(text: string | null): T | null {
  if (text === null || text === '') return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

export function toTransfer(r: TransferRow): Transfer {
  return {
    id: r.id, kind: r.kind, channel: r.channel, state: r.state, principal: r.principal, source: r.source, destination: r.destination,
    label: r.label, filename: r.filename, contentType: r.content_type, size: r.size, sha256: r.sha256, spool: r.spool, delivery: r.delivery,
    seq: r.seq, idempotencyKey: r.idempotency_key, created: r.created, updated: r.updated, expiresAt: r.expires_at, attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at, reason: r.reason, receiptAccepted: parseJson<Receipt>(r.receipt_accepted),
    receiptDelivered: parseJson<Receipt>(r.receipt_delivered), retainDays: r.retain_days, retainUntil: r.retain_until,
    deliveredAt: r.delivered_at, via: r.via, path: parseJson<string[]>(r.path), nextHop: r.next_hop,
    hops: r.hops === null ? null : parseHops(r.hops), polls: r.polls,
    withdrawal: parseJson<Withdrawal>(r.withdrawal ?? null),
  };
}

/** The named parameters of the insert statement. */
export function insertParams(t: NewTransfer, seq: number | null, spool = t.spool): Record<string, unknown> {
  return {
    id: t.id, kind: t.kind, channel: t.channel, principal: t.principal, source: t.source, destination: t.destination, label: t.label,
    filename: t.filename, content_type: t.contentType, size: t.size, sha256: t.sha256, spool, delivery: t.delivery,
    idempotency_key: t.idempotencyKey, created: t.created, expires_at: t.expiresAt,
    receipt_accepted: t.receiptAccepted ? JSON.stringify(t.receiptAccepted) : null, retain_days: t.retainDays,
    via: t.via ?? null, path: t.path ? JSON.stringify(t.path) : null, next_hop: t.nextHop ?? null, seq,
  };
}

export function hopsText(hops: readonly unknown[] | null | undefined): string | null {
  return hops ? JSON.stringify(hops) : null;
}
