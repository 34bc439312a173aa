import type { ClamdVerdict } from './clamd-client.js';
import type { FindingInput } from '../context/finding-tally.js';

/** A clamd verdict as findings: FOUND → malware; anything but a clean answer → av-unavailable. */
export function verdictFindings(v: ClamdVerdict, path?: string): FindingInput[] {
  if (v.status === 'clean') return [];
  if (v.status === 'found') return [{ kind: 'malware', subkind: v.signature, path, sample: v.signature, detail: `clamd: ${v.signature} FOUND` }];
  return [{ kind: 'av-unavailable', subkind: v.reason, path, detail: v.detail }];
}
