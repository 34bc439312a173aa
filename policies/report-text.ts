import type { Finding } from '../protocol/findings.js';
import type { Decision } from './types.js';

// Words for people, shared by the policy commands.

export function findingText(f: Finding): string {
  const parts: string[] = [f.kind];
  if (f.subkind) parts.push(f.subkind);
  if ((f.count ?? 1) > 1) parts.push(`×${f.count}`);
  if (f.path) parts.push(`in ${f.path}`);
  if (f.offset !== undefined) parts.push(`at offset ${f.offset}`);
  if (f.sample) parts.push(`(${f.sample})`);
  return parts.join(' ');
}

export function decisionLines(d: Decision): string[] {
  const lines = [`verdict: ${d.verdict}`, `rule: ${d.rule ?? '(none: default deny)'}`, `reason: ${d.reason}`];
  if (d.findings?.length) lines.push('findings that counted:', ...d.findings.map((f) => `  ${findingText(f)}`));
  if (d.obligations) lines.push(`obligations: ${Object.entries(d.obligations).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  if (d.limited) lines.push(`limited: retry after ${d.retryAfter ?? '?'} s`);
  if (d.shadow?.length) lines.push(...d.shadow.map((s) => `shadow: rule '${s.rule}' would ${s.effect}`));
  if (d.counters) lines.push(...Object.entries(d.counters).map(([k, v]) => `counter: ${k} = ${v}`));
  lines.push(`policy: sha256 ${d.policyHash}`);
  return lines;
}
