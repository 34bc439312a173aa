import type { ListFilter } from '../transfer-store.js';
import { SETTLED_STATES } from './queue-migrations.js';

// The queue's statements that run on the event loop again and again (each
// scheduler tick, each scrape, each sweep, each inbox or list request, each
// start). Each is answered through an index in time that grows with its
// result or with the work in flight, never with the table: test/queue-plans
// runs EXPLAIN QUERY PLAN on these very strings on a filled queue.db.
// INDEXED BY where the planner, without statistics, would rather walk the
// (state, next_attempt_at) index over every settled row of a state: SQLite
// then refuses to prepare the statement at all if the index cannot serve it,
// so a query that would scan history fails at start instead.

// Messages go in order per channel (source, channel, destination), at every hop: one is
// due only when no earlier one of its channel is still waiting or under way. Ids are
// UUIDv7 from the first gateway, so "earlier" means the same everywhere.
export const DUE_SQL = `SELECT * FROM transfers t WHERE state = 'queued' AND delivery IN ('push', 'relay') AND next_attempt_at <= ?
  AND (t.channel IS NULL OR NOT EXISTS (SELECT 1 FROM transfers e WHERE e.channel = t.channel AND e.source = t.source
    AND e.destination = t.destination AND e.id < t.id AND e.state IN ('accepted', 'queued', 'forwarding')))
  ORDER BY next_attempt_at, id LIMIT ?`;

export const RELAYED_DUE_SQL = `SELECT * FROM transfers WHERE state = 'relayed' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`;

/** Two minimums, each read from the (state, next_attempt_at) index; an OR of both would scan. */
export const NEXT_DUE_SQL = `SELECT MIN(t) AS t FROM (
  SELECT MIN(next_attempt_at) AS t FROM transfers WHERE state = 'queued' AND delivery IN ('push', 'relay')
  UNION ALL SELECT MIN(next_attempt_at) AS t FROM transfers WHERE state = 'relayed')`;

export const EXPIRED_DUE_SQL = `SELECT * FROM transfers INDEXED BY transfers_expiry WHERE state IN ('queued', 'forwarding') AND expires_at <= ? ORDER BY expires_at LIMIT ?`;

/** Relayed transfers whose outcome is overdue: read from the state prefix of transfers_due, O(relayed in flight). */
export const RELAYED_EXPIRED_DUE_SQL = `SELECT * FROM transfers INDEXED BY transfers_due WHERE state = 'relayed' AND expires_at <= ? AND withdrawal IS NULL ORDER BY expires_at LIMIT ?`;

// Only settled transfers: a queued one keeps its spool whatever the retention says.
export const RETAINED_DUE_SQL = `SELECT * FROM transfers INDEXED BY transfers_retain WHERE retain_until IS NOT NULL AND retain_until <= ?
  AND state IN ('delivered', 'failed', 'expired') ORDER BY retain_until LIMIT ?`;

/** Settled rows past their keeping time, holding no retained content: removed in batches (the audit log keeps their history). */
export const PURGE_SETTLED_SQL = `DELETE FROM transfers WHERE id IN (SELECT id FROM transfers INDEXED BY transfers_settled
  WHERE retain_until IS NULL AND state IN (${SETTLED_STATES}) AND updated <= ? ORDER BY updated LIMIT ?)`;

export const INBOX_SQL = `SELECT * FROM transfers WHERE destination = ? AND delivery = 'pull' AND state = 'queued' ORDER BY id LIMIT ?`;

/** Kept by triggers (queue-migrations.ts step 1): as many rows as there are states. */
export const COUNTS_SQL = `SELECT state, n FROM state_counts WHERE n > 0`;

export const BY_STATE_SQL = `SELECT * FROM transfers WHERE state = ?`;

export const REQUEUE_FORWARDING_SQL = `UPDATE transfers SET state = 'queued', updated = ? WHERE state = 'forwarding'`;

/** Rows that may own a spool file a crash left behind (recovery): those not settled. */
export const UNSETTLED_SPOOLS_SQL = `SELECT id, spool FROM transfers WHERE state IN ('accepted', 'queued', 'forwarding', 'relayed') AND spool <> ''`;

export const GET_SQL = `SELECT * FROM transfers WHERE id = ?`;

export const BY_IDEM_SQL = `SELECT * FROM transfers WHERE principal = ? AND idempotency_key = ?`;

/** Newest first, filtered: the statement and its arguments (GET /v1/transfers, the admin plane's queue list). */
export function listSql(f: ListFilter): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.principal !== null) { where.push('principal = ?'); args.push(f.principal); }
  if (f.destination) { where.push('destination = ?'); args.push(f.destination); }
  if (f.states?.length) { where.push(`state IN (${f.states.map(() => '?').join(', ')})`); args.push(...f.states); }
  if (f.since !== undefined) { where.push('created >= ?'); args.push(f.since); }
  if (f.until !== undefined) { where.push('created < ?'); args.push(f.until); }
  if (f.before) { where.push('id < ?'); args.push(f.before); }
  return { sql: `SELECT * FROM transfers ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, args: [...args, f.limit] };
}
