import { isFindingKind, type Finding } from '../protocol/findings.js';
import { ADDRESS_RE, LABELS } from '../protocol/transfer.js';
import { MissingCounterError, type CompiledPolicy } from './policy-engine.js';
import { RecordedCounters } from './rate-counters.js';
import type { Effect, TransferFacts } from './types.js';

// `ferry policy replay`: decide again, with a new policy, every decision an
// audit log kept, from the inputs the record kept (facts, findings, counters,
// time) — never from today's clock or counts, so a replay is deterministic.
// A decision is a `decided` record, or one of the two an `accepted` record
// holds (audit schema 3: before and after content, in one record); a log may
// hold both forms. A record that cannot be re-evaluated is listed with why.
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

/** A decided or accepted record as the log kept it (details as stored text). */
export interface RecordedDecision {
  seq: number;
  time: string;
  transferId: string | null;
  /** 'decided' when absent (a reader of schema 2 and before) */
  event?: string;
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
  /** what was decided then */
  was: { verdict: Effect; rule: string | null };
}

/** The record's details as an object, or what is wrong with them. */
function detailsOf(row: RecordedDecision): Record<string, unknown> | string {
  if (!row.details) return 'the record has no details';
  let d: unknown;
  try {
    d = JSON.parse(row.details);
  } catch {
    return 'the details are not valid JSON';
  }
  if (typeof d !== 'object' || d === null) return 'the details are not an object';
  return d as Record<string, unknown>;
}

/** The decisions a record kept (one for `decided`, two for `accepted`); a string says what is missing or wrong. */
function decisionsOf(row: RecordedDecision): DecidedDetails[] | string {
  const o = detailsOf(row);
  if (typeof o === 'string') return o;
  if ((row.event ?? 'decided') === 'decided') {
    if (row.verdict !== 'allow' && row.verdict !== 'deny') return `the record has no verdict (${JSON.stringify(row.verdict)})`;
    const d = checkDecision(o.stage, o.facts, o.findings, o.counters);
    return typeof d === 'string' ? d : [{ ...d, was: { verdict: row.verdict, rule: row.rule } }];
  }
  // accepted: the facts are the after-content decision's; the one before content saw them without
  // what only the content tells (size, sniffed type), at its own time (gateway/pipeline/transfer-records.ts).
  const out: DecidedDetails[] = [];
  for (const stage of ['before', 'after'] as const) {
    const part = o[stage] as Record<string, unknown> | undefined;
    if (typeof part !== 'object' || part === null) return `the accepted record has no '${stage}' decision`;
    if (part.verdict !== 'allow' && part.verdict !== 'deny') return `the '${stage}' decision has no verdict (${JSON.stringify(part.verdict)})`;
    let facts = o.facts;
    if (stage === 'before' && typeof facts === 'object' && facts !== null) {
      const { size: _size, sniffedType: _sniffed, ...rest } = facts as Record<string, unknown>;
      facts = { ...rest, time: part.time };
    }
    const d = checkDecision(stage, facts, stage === 'before' ? [] : o.findings, part.counters);
    if (typeof d === 'string') return `${stage}: ${d}`;
    out.push({ ...d, was: { verdict: part.verdict, rule: typeof part.rule === 'string' ? part.rule : null } });
  }
  return out;
}

/** Check one decision's inputs; a string says what is missing or wrong. */
function checkDecision(stage: unknown, facts: unknown, findingsIn: unknown, countersIn: unknown): Omit<DecidedDetails, 'was'> | string {
  if (stage !== 'before' && stage !== 'after') return "the details do not say the stage ('before' or 'after')";
  const f = facts as Record<string, unknown> | undefined;
  if (typeof f !== 'object' || f === null) return 'the details do not carry the transfer facts';
  for (const k of ['source', 'destination'] as const) if (typeof f[k] !== 'string' || !ADDRESS_RE.test(f[k])) return `the facts have no valid ${k}`;
  if (typeof f.principal !== 'string') return 'the facts have no principal';
  if (!(LABELS as readonly unknown[]).includes(f.label)) return 'the facts have no valid label';
  if (f.kind !== 'file' && f.kind !== 'message') return 'the facts have no valid kind';
  if (typeof f.time !== 'string' || !Number.isFinite(Date.parse(f.time))) return 'the facts have no valid time';
  const findings = findingsIn ?? [];
  if (!Array.isArray(findings) || !findings.every((x) => typeof x === 'object' && x !== null && isFindingKind(String((x as Finding).kind)))) return 'the findings are not a list of known finding kinds';
  const counters = countersIn ?? {};
  if (typeof counters !== 'object' || counters === null || Array.isArray(counters)) return 'the counters are not an object';
  return { stage, facts: f as unknown as TransferFacts, findings: findings as Finding[], counters: counters as Record<string, number> };
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
    const base = { seq: row.seq, time: row.time, transferId: row.transferId };
    const ds = decisionsOf(row);
    if (typeof ds === 'string') {
      report.records++;
      report.counts.unevaluable++;
      if (report.unevaluable.length < keep) report.unevaluable.push({ ...base, reason: ds });
      continue;
    }
    for (const d of ds) {
      report.records++;
      let decision;
      try {
        decision = policy.decide(d.stage, d.facts, d.findings, new RecordedCounters(d.counters));
      } catch (e) {
        report.counts.unevaluable++;
        if (report.unevaluable.length < keep) report.unevaluable.push({ ...base, reason: e instanceof MissingCounterError ? e.message : `evaluation failed: ${(e as Error).message}` });
        continue;
      }
      const now = { verdict: decision.verdict, rule: decision.rule, reason: decision.reason };
      const change = changeOf(d.was, now);
      report.counts[change]++;
      if (change !== 'same' && report.differences.length < keep) report.differences.push({ ...base, stage: d.stage, was: d.was, now, change });
    }
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
