import type { AuditReader } from '../audit/audit-sink.js';
import { PERIOD_MS } from '../../policies/rate-counters.js';
import type { PolicyEngine } from '../../policies/types.js';

// Rate and volume limits count accepted transfers in memory: a restart set them to
// zero, so an operator's restart (or a crash) gave every sender a fresh day's
// volume. At a start they are counted again from the audit log's `accepted`
// records of the longest period (a day): the log is the record of what was
// accepted, and the counters are only its sum.

/** Counts the transfers accepted in the last day against the policy's limits; returns how many were read. */
export function restoreRateCounts(reader: AuditReader, policy: PolicyEngine, nowMs: number): number {
  if (!policy.record) return 0;
  const since = new Date(nowMs - PERIOD_MS.day).toISOString();
  let n = 0;
  for (const r of reader.acceptedSince(since)) {
    if (r.principal === null || r.source === null || r.destination === null) continue;
    // What a limit's key and amount read (compiled-rule.ts counterKey): who sent, from and to where, how much, when.
    // The rest of a transfer's facts does not count, and the record keeps it masked.
    policy.record({ kind: 'file', label: 'public', principal: r.principal, source: r.source, destination: r.destination, time: r.time, ...(r.size !== null ? { size: r.size } : {}) });
    n++;
  }
  return n;
}
