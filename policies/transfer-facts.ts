import { basename, extname } from 'node:path';
import { ADDRESS_RE, LABELS, type Label, type TransferKind } from '../protocol/transfer.js';
import type { TransferFacts } from './types.js';

// Facts for a transfer described by hand (command line, test suite), checked
// the way ingress checks them, so a typo is a usage error and not a silent deny.

export interface FactsInput {
  from: string;
  to: string;
  label?: string;
  kind?: string;
  principal?: string;
  filename?: string;
  declaredType?: string;
  size?: number | string;
  time?: string;
}

export function factsFrom(input: FactsInput): TransferFacts | string {
  if (!ADDRESS_RE.test(input.from)) return `--from '${input.from}' is not of the form <network>/<system>`;
  if (!ADDRESS_RE.test(input.to)) return `--to '${input.to}' is not of the form <network>/<system>`;
  const label = input.label ?? 'internal';
  if (!(LABELS as readonly string[]).includes(label)) return `label '${label}' is not one of ${LABELS.join(', ')}`;
  const kind = input.kind ?? 'file';
  if (kind !== 'file' && kind !== 'message') return `kind '${kind}' is not file or message`;
  const time = input.time ?? new Date().toISOString();
  if (!Number.isFinite(Date.parse(time))) return `time '${time}' is not an ISO 8601 time`;
  const facts: TransferFacts = {
    kind: kind as TransferKind,
    principal: input.principal ?? `ferry://${input.from}`,
    source: input.from,
    destination: input.to,
    label: label as Label,
    time: new Date(Date.parse(time)).toISOString(),
  };
  if (input.size !== undefined) {
    const n = Number(input.size);
    if (!Number.isSafeInteger(n) || n < 0) return `size '${input.size}' is not a byte count`;
    facts.declaredSize = n;
    facts.size = n;
  }
  if (input.filename) {
    facts.filename = basename(input.filename);
    const ext = extname(facts.filename).slice(1).toLowerCase();
    if (ext) facts.extension = ext;
  }
  if (input.declaredType) facts.declaredType = input.declaredType;
  return facts;
}
