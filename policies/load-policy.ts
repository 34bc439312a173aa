import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { loadYaml, type SourceProblem } from '../gateway/config/yaml-schema.js';
import { compilePolicy } from './compile-policy.js';
import { CompiledPolicy } from './policy-engine.js';
import { lintRules } from './policy-lint.js';
import { POLICY_SCHEMA } from './policy-schema.js';
import type { PolicySource } from './policy-source.js';
import type { CounterStore } from './rate-counters.js';

// Loading a policy: YAML + schema (positions from yaml-schema.ts), then the
// semantic checks, then compilation into an indexed engine. An engine is given
// only when there is no error; warnings come with it.

export type { SourceProblem };

export interface LoadedPolicy {
  engine?: CompiledPolicy;
  problems: SourceProblem[];
  hash: string;
}

export interface LoadOptions {
  /** Counters to share with the previous engine (hot reload keeps the counts). */
  counters?: CounterStore;
}

export function policyHash(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// With anyOf (one value or a list), ajv reports every branch. The specific
// error of the first branch is the one an operator needs; drop the rest.
function tidy(problems: SourceProblem[]): SourceProblem[] {
  const anyOfAt = new Set(problems.filter((p) => p.message.endsWith('must match a schema in anyOf')).map((p) => `${p.line}:${p.column}`));
  const out = problems.filter((p) => {
    const at = `${p.line}:${p.column}`;
    if (!anyOfAt.has(at)) return true;
    return !p.message.endsWith('must match a schema in anyOf') && !/ must be array$/.test(p.message);
  });
  const seen = new Set<string>();
  return out.filter((p) => {
    const k = `${p.line}:${p.column}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function loadPolicyText(text: string | Buffer, file: string, opts: LoadOptions = {}): LoadedPolicy {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const hash = policyHash(bytes);
  const loaded = loadYaml<PolicySource>(bytes.toString('utf8'), file, POLICY_SCHEMA);
  const problems = tidy(loaded.problems);
  if (!loaded.value) return { problems, hash };
  const doc = loaded.value;
  const out = compilePolicy(doc, (path, message, severity = 'error') => problems.push({ file, ...loaded.at(path), message, severity }), loaded.at);
  const engine = new CompiledPolicy({ name: doc.policy, hash, networks: out.networks, rules: out.rules, ...(opts.counters ? { counters: opts.counters } : {}) });
  for (const w of lintRules(out.rules, engine.unreachable())) problems.push({ file, line: w.rule.line, column: w.rule.column, message: w.message, severity: 'warning' });
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  if (problems.some((p) => p.severity === 'error')) return { problems, hash };
  return { engine, problems, hash };
}

export async function loadPolicyFile(path: string, opts: LoadOptions = {}): Promise<LoadedPolicy> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return { problems: [{ file: path, line: 1, column: 1, message: `cannot read the policy: ${reason}`, severity: 'error' }], hash: '' };
  }
  return loadPolicyText(bytes, path, opts);
}
