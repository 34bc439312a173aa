import { isFindingKind, type Finding } from '../protocol/findings.js';
import { ADDRESS_RE, LABELS } from '../protocol/transfer.js';
import { MissingCounterError, type CompiledPolicy } from './policy-engine.js';
import { RecordedCounters } from './rate-counters.js';
import type { Effect, TransferFacts } from './types.js';

// `ferry policy replay`: decide again, with a new policy, every `decided`
// record of an audit log, from the inputs the record kept (facts, findings,
// counters, time) — never from today's clock or counts, so a replay is
// deterministic. A record that cannot be re-evaluated is listed with why.
// The records come from the audit storage port (gateway/audit/audit-storage.ts),
// handed in by the caller: the policy part opens no log itself and does not
// import the server (gateway/audit/replay-log.ts opens one by path).

export type Change = 'newly-denied' | 'newly-allowed' | 'other-rule' | 'same';

export interface ReplayedRecord {
  seq: number;
  time: string;
  transferId: string | null;
  stage: 'before' | 'after';
  was: { verdict: Effect; rule: string | null };
  now: { verdict: Effect; rule: string | null; reason: string };
  change: Change;
}

export interface Unevaluable {
  seq: number;
  time: string;
  transferId: string | null;
  reason: string;
}

export interface ReplayReport {
  log: string;
  policy: { name: string; hash: string };
  records: number;
  counts: Record<Change, number> & { unevaluable: number };
  /** records whose outcome differs (everything but 'same'); at most `keep` of them when bounded */
  differences: ReplayedRecord[];
  unevaluable: Unevaluable[];
  /** With `last`: only the most recent `last` decisions were replayed, and there were more. */
  windowed?: boolean;
}

/** A decided record as the log kept it (details as stored text). */
export interface RecordedDecision {
  seq: number;
  time: string;
  transferId: string | null;
  verdict: string | null;
  rule: string | null;
  details: string | null;
}

/** What replay reads of an audit log; the audit storage port answers it. */
export interface RecordedDecisions {
  /** where the log lies, as the user named it (the report says it) */
  readonly location: string;
  /** decided records in seq order, a page at a time; `since` compared with the stored time; `last`: only the most recent N, `windowed` saying there were more */
  decisionsToReplay(opts: { since?: string; last?: number }): Promise<{ windowed: boolean; pages: AsyncIterable<RecordedDecision[]> }>;
}

/** Opens the log at a location for replay (the assembly hands in the audit storage's opener). */
export type OpenRecordedDecisions = (location: string) => Promise<RecordedDecisions & { close(): Promise<void> }>;

interface DecidedDetails {
  stage: 'before' | 'after';
  facts: TransferFacts;
  findings: Finding[];
  counters: Record<string, number>;
}

/** Check what a record kept; a string says what is missing or wrong. */
function readDetails(row: RecordedDecision): DecidedDetails | string {
  if (row.verdict !== 'allow' && row.verdict !== 'deny') return `the record has no verdict (${JSON.stringify(row.verdict)})`;
  if (!row.details) return 'the record has no details';
  let d: unknown;
  try {
    d = JSON.parse(row.details);
  } catch {
    return 'the details are not valid JSON';
  }
  if (typeof d !== 'object' || d === null) return 'the details are not an object';
  const o = d as Record<string, unknown>;
  if (o.stage !== 'before' && o.stage !== 'after') return "the details do not say the stage ('before' or 'after')";
  const f = o.facts as Record<string, unknown> | undefined;
  if (typeof f !== 'object' || f === null) return 'the details do not carry the transfer facts';
  for (const k of ['source', 'destination'] as const) if (typeof f[k] !== 'string' || !ADDRESS_RE.test(f[k])) return `the facts have no valid ${k}`;
  if (typeof f.principal !== 'string') return 'the facts have no principal';
  if (!(LABELS as readonly unknown[]).includes(f.label)) return 'the facts have no valid label';
  if (f.kind !== 'file' && f.kind !== 'message') return 'the facts have no valid kind';
  if (typeof f.time !== 'string' || !Number.isFinite(Date.parse(f.time))) return 'the facts have no valid time';
  const findings = o.findings ?? [];
  if (!Array.isArray(findings) || !findings.every((x) => typeof x === 'object' && x !== null && isFindingKind(String((x as Finding).kind)))) return 'the findings are not a list of known finding kinds';
  const counters = o.counters ?? {};
  if (typeof counters !== 'object' || counters === null || Array.isArray(counters)) return 'the counters are not an object';
  return { stage: o.stage, facts: f as unknown as TransferFacts, findings: findings as Finding[], counters: counters as Record<string, number> };
}

function changeOf(was: { verdict: Effect; rule: string | null }, now: { verdict: Effect; rule: string | null }): Change {
  if (was.verdict !== now.verdict) return now.verdict === 'deny' ? 'newly-denied' : 'newly-allowed';
  return was.rule === now.rule ? 'same' : 'other-rule';
}

/**
 * `last`: replay only the most recent N decisions (a bounded cost, for a
 * caller on a server's event loop); `keep`: hold at most N differences and N
 * unevaluable records (the counts still count them all).
 */
export async function replayDecisions(policy: CompiledPolicy, log: RecordedDecisions, opts: { since?: string; last?: number; keep?: number } = {}): Promise<ReplayReport> {
  const report: ReplayReport = {
    log: log.location,
    policy: { name: policy.name, hash: policy.hash },
    records: 0,
    counts: { 'newly-denied': 0, 'newly-allowed': 0, 'other-rule': 0, same: 0, unevaluable: 0 },
    differences: [],
    unevaluable: [],
  };
  const { windowed, pages } = await log.decisionsToReplay({ ...(opts.since ? { since: opts.since } : {}), ...(opts.last !== undefined ? { last: opts.last } : {}) });
  if (opts.last !== undefined) report.windowed = windowed;
  const keep = opts.keep ?? Infinity;
  // Streamed from the log a page at a time, so a large log is not held in memory.
  for await (const page of pages) for (const row of page) {
    report.records++;
    const base = { seq: row.seq, time: row.time, transferId: row.transferId };
    const d = readDetails(row);
    if (typeof d === 'string') {
      report.counts.unevaluable++;
      if (report.unevaluable.length < keep) report.unevaluable.push({ ...base, reason: d });
      continue;
    }
    let decision;
    try {
      decision = policy.decide(d.stage, d.facts, d.findings, new RecordedCounters(d.counters));
    } catch (e) {
      report.counts.unevaluable++;
      if (report.unevaluable.length < keep) report.unevaluable.push({ ...base, reason: e instanceof MissingCounterError ? e.message : `evaluation failed: ${(e as Error).message}` });
      continue;
    }
    const was = { verdict: row.verdict as Effect, rule: row.rule };
    const now = { verdict: decision.verdict, rule: decision.rule, reason: decision.reason };
    const change = changeOf(was, now);
    report.counts[change]++;
    if (change !== 'same' && report.differences.length < keep) report.differences.push({ ...base, stage: d.stage, was, now, change });
  }
  return report;
}

/** Replays the log at `location`, opened with `open` and closed after. */
export async function replayLogAt(open: OpenRecordedDecisions, policy: CompiledPolicy, location: string, opts: { since?: string; last?: number; keep?: number } = {}): Promise<ReplayReport> {
  const log = await open(location);
  try {
    return await replayDecisions(policy, log, opts);
  } finally {
    await log.close();
  }
}
