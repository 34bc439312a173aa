import type { Finding } from '../protocol/findings.js';
import { extensionOf } from '../protocol/transfer.js';
import type { TransferFacts } from './types.js';

// What one evaluation knows, computed once per decision so that rules only compare.

export type Stage = 'before' | 'after';

export interface EvalContext {
  stage: Stage;
  facts: TransferFacts;
  findings: readonly Finding[];
  sourceNetwork: string;
  destinationNetwork: string;
  extension: string | undefined;
  declaredType: string | undefined;
  sniffedType: string | undefined;
  timeMs: number;
}

function mediaType(t: string | undefined): string | undefined {
  if (!t) return undefined;
  return t.split(';')[0]!.trim().toLowerCase() || undefined;
}

function extensionFact(facts: TransferFacts): string | undefined {
  if (facts.extension) return facts.extension.replace(/^\./, '').toLowerCase();
  return extensionOf(facts.filename);
}

export function makeContext(stage: Stage, facts: TransferFacts, findings: readonly Finding[]): EvalContext {
  const s = facts.source.indexOf('/');
  const d = facts.destination.indexOf('/');
  return {
    stage,
    facts,
    findings,
    sourceNetwork: s === -1 ? facts.source : facts.source.slice(0, s),
    destinationNetwork: d === -1 ? facts.destination : facts.destination.slice(0, d),
    extension: extensionFact(facts),
    declaredType: mediaType(facts.declaredType),
    sniffedType: mediaType(facts.sniffedType),
    timeMs: Date.parse(facts.time),
  };
}
