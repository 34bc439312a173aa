import type { Finding } from '../protocol/findings.js';
import type { Label, TransferKind } from '../protocol/transfer.js';

// The contract between the gateway and the policy engine. The facts are what a
// decision depends on; the gateway records them in the `decided` audit record so
// that `ferry policy replay` can decide again, deterministically, later.

export interface TransferFacts {
  kind: TransferKind;
  /** ferry://… URI of the authenticated principal (a system, or a relaying gateway). */
  principal: string;
  /** <network>/<system> of the originating system. */
  source: string;
  /** <network>/<system> */
  destination: string;
  label: Label;
  filename?: string;
  /** lower-case extension without the dot, from the filename */
  extension?: string;
  declaredType?: string;
  /** content-length, when the sender declared it */
  declaredSize?: number;
  /** the upstream gateway's name, when a peer handed the transfer on */
  via?: string;
  /** how many gateways the transfer crossed before this one (0 from a system) */
  hops?: number;
  /** ISO 8601 time the decision is made at */
  time: string;
  /** Known only after content: actual byte count and the sniffed type. */
  size?: number;
  sniffedType?: string;
}

export type Effect = 'allow' | 'deny';

export interface Obligations {
  /** keep the spooled content for N days after delivery */
  retainDays?: number;
  /** hold for pull even if the destination has a push endpoint */
  requirePull?: boolean;
}

export interface ShadowVerdict {
  rule: string;
  effect: Effect;
}

export interface Decision {
  verdict: Effect;
  /** id of the deciding rule; null when nothing matched and the default deny applied */
  rule: string | null;
  /** A sentence: why. */
  reason: string;
  /** Findings that counted toward the decision (after content). */
  findings?: Finding[];
  obligations?: Obligations;
  /** Verdicts of `mode: shadow` rules that matched: logged, not enforced. */
  shadow?: ShadowVerdict[];
  /** Counter values the decision saw (rate and volume limits), for replay. */
  counters?: Record<string, number>;
  /** seconds until a rate limit frees up, when the verdict is a rate-limit deny */
  retryAfter?: number;
  /** set when the deny is a rate or volume limit (maps to FERRY_RATE_LIMITED) */
  limited?: boolean;
  /** SHA-256 (hex) of the policy text in force */
  policyHash: string;
}

export interface PolicyEngine {
  readonly hash: string;
  /** The label given to a transfer that names none; when absent, such a transfer is refused. */
  readonly defaultLabel?: Label | undefined;
  /** Decide on metadata only, before the body is read. */
  before(facts: TransferFacts): Decision;
  /** Decide with the findings, after the whole body was inspected. */
  after(facts: TransferFacts, findings: Finding[]): Decision;
  /** Count an accepted transfer against rate and volume limits. */
  record?(facts: TransferFacts): void;
}
