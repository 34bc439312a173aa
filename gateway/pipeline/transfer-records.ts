import type { AuditEntry } from '../../protocol/audit-events.js';
import { FerryError } from '../../protocol/errors.js';
import { maskText } from '../log/mask.js';
import type { Decision, TransferFacts } from '../../policies/types.js';

// The audit records and refusals a decision turns into, for files and messages alike.

export type RecordBase = Omit<AuditEntry, 'event'>;

/** Facts as the policy and the audit log see them: sender-chosen names masked. */
export function maskedFacts(f: TransferFacts): TransferFacts {
  // Every string of them a sender chose: the name, its extension, the declared type.
  return {
    ...f,
    ...(f.filename !== undefined ? { filename: maskText(f.filename) } : {}),
    ...(f.extension !== undefined ? { extension: maskText(f.extension) } : {}),
    ...(f.declaredType !== undefined ? { declaredType: maskText(f.declaredType) } : {}),
  };
}

/** Findings as the audit log and the sender see them: a member path or detail can carry personal data (a zip member named after an id number). */
export function maskedFindings<T>(findings: readonly T[]): T[] {
  return findings.map((f) => {
    if (!f || typeof f !== 'object') return f;
    const o = { ...(f as Record<string, unknown>) };
    if (typeof o.path === 'string') o.path = maskText(o.path);
    if (typeof o.detail === 'string') o.detail = maskText(o.detail);
    return o as T;
  });
}

/** What replay needs: the facts, the findings, the counters the decision saw, the policy hash. */
export function decidedRecord(base: RecordBase, stage: 'before' | 'after', facts: TransferFacts, d: Decision, findings: unknown[] = []): AuditEntry {
  return {
    ...base, event: 'decided', verdict: d.verdict, rule: d.rule, policyHash: d.policyHash,
    details: { stage, facts: maskedFacts(facts), findings: maskedFindings(findings), counters: d.counters ?? {}, reason: d.reason, shadow: d.shadow ?? [], obligations: d.obligations ?? null },
  };
}

/** One decision as an `accepted` record keeps it (its facts and findings are the record's own). */
function decisionPart(d: Decision): Record<string, unknown> {
  return { verdict: d.verdict, rule: d.rule, policy_hash: d.policyHash, reason: d.reason, counters: d.counters ?? {}, shadow: d.shadow ?? [], obligations: d.obligations ?? null };
}

/**
 * The one record of a transfer that is accepted (audit schema 3, docs/audit-log.md):
 * what the `decided` (before and after content), `inspected` and `queued` records
 * held, in one. The facts are those the after-content decision saw; the
 * before-content decision saw the same without `size` and `sniffedType`, at
 * `before.time` (policies/replay.ts takes them apart again).
 */
export function acceptedRecord(
  base: RecordBase,
  pass: { size: number; sha256: string; sniffedType: string | null; findings: unknown[] },
  decided: { beforeFacts: TransferFacts; before: Decision; afterFacts: TransferFacts; after: Decision },
  queued: Record<string, unknown>,
): AuditEntry {
  const { before, after } = decided;
  return {
    ...base, event: 'accepted', size: pass.size, sha256: pass.sha256, verdict: 'allow', rule: after.rule, policyHash: after.policyHash,
    details: {
      facts: maskedFacts(decided.afterFacts), sniffed_type: pass.sniffedType, findings: maskedFindings(pass.findings),
      before: { time: decided.beforeFacts.time, ...decisionPart(before) }, after: decisionPart(after),
      ...queued,
    },
  };
}

/** The refusal's record, with the code its answer carries (refusalFor): found by `ferry log query --code`. */
export function deniedRecord(base: RecordBase, d: Decision, stage: 'before' | 'after'): AuditEntry {
  return { ...base, event: 'denied', verdict: 'deny', rule: d.rule, policyHash: d.policyHash, details: { reason: d.reason, code: refusalCode(d, stage) } };
}

function refusalCode(d: Decision, stage: 'before' | 'after'): 'FERRY_RATE_LIMITED' | 'FERRY_POLICY_DENIED' | 'FERRY_CONTENT_DENIED' {
  return d.limited ? 'FERRY_RATE_LIMITED' : stage === 'before' ? 'FERRY_POLICY_DENIED' : 'FERRY_CONTENT_DENIED';
}

/** A policy refusal names the transfer, so that its audit records can be found (`ferry log query --transfer`). */
export function refusalFor(d: Decision, stage: 'before' | 'after', transfer: string): FerryError {
  const code = refusalCode(d, stage);
  if (code === 'FERRY_RATE_LIMITED') return new FerryError(code, d.reason, { transfer, rule: d.rule, retry_after: d.retryAfter ?? 60 });
  return code === 'FERRY_POLICY_DENIED'
    ? new FerryError(code, d.reason, { transfer, rule: d.rule, policy_hash: d.policyHash })
    : new FerryError(code, d.reason, { transfer, rule: d.rule, policy_hash: d.policyHash, findings: maskedFindings(d.findings ?? []) });
}

export function withTransfer(e: FerryError, transfer: string): FerryError {
  return new FerryError(e.code, e.message, { ...e.extra, transfer });
}
