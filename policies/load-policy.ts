import { createHash } from 'node:crypto';
import { said } from '../i18n/problem-text.js';
import { isSeq, type Document } from 'yaml';
import { readFile } from 'node:fs/promises';
import { loadYaml, type ProblemParams, type SourceProblem } from '../protocol/yaml-schema.js';
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

// With anyOf (one value or a list; a number or a "100 MiB" string), ajv reports
// every branch. Keep the branch that fits what the operator wrote: for a list,
// the errors of its items; for a single value, the errors about that value.
const ANY_OF = /^'([^']+)' must match a schema in anyOf$/;
const PATH = /^'([^']+)' /;

function tidy(problems: SourceProblem[], doc: Document): SourceProblem[] {
  const groups = problems.map((p) => ANY_OF.exec(p.message)?.[1]).filter((x): x is string => x !== undefined);
  let out = problems.filter((p) => !ANY_OF.test(p.message));
  for (const g of groups) {
    const path = g.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const isList = isSeq(doc.getIn(path, true));
    const exact = (p: SourceProblem) => PATH.exec(p.message)?.[1] === g;
    const deeper = (p: SourceProblem) => PATH.exec(p.message)?.[1]?.startsWith(`${g}.`) ?? false;
    out = out.filter((p) => (isList ? !exact(p) : !deeper(p) && p.message !== `'${g}' must be array`));
    const here = out.filter(exact);
    if (here.length > 1) {
      const first = here[0]!;
      const sizeField = /\.(min|max|bytes)$/.test(g);
      const message = sizeField ? `'${g}' must be a byte count, such as 1048576 or "100 MiB"` : `'${g}' ${here.map((p) => p.message.slice(g.length + 3)).join(', or ')}`;
      // The same, said by key for other languages: each alternative without the value's name.
      const parts = here.every((p) => p.key) ? here.map((p) => ({ key: p.key!, params: p.params ?? {} })) : undefined;
      const said: { key: string | undefined; params: ProblemParams | undefined } = sizeField ? { key: 'schema.byteCount', params: { path: g } } : parts ? { key: 'schema.alternatives', params: { path: g, parts } } : { key: undefined, params: undefined };
      out = out.filter((p) => !here.includes(p));
      const { key: _k, params: _p, ...rest } = first;
      out.push({ ...rest, message, ...(said.key ? { key: said.key, params: said.params } : {}) });
    }
  }
  const seen = new Set<string>();
  return out
    .filter((p) => {
      const k = `${p.line}:${p.column}:${p.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

export function loadPolicyText(text: string | Buffer, file: string, opts: LoadOptions = {}): LoadedPolicy {
  return load(text, file, opts).loaded;
}

/**
 * A policy checked in full (YAML, schema, compile, lint) with what it takes to
 * build its engine again elsewhere: the document and each rule's position.
 * Plain data, so it crosses to another thread: a deploy checks a candidate on
 * a worker and the gateway's event loop only compiles the checked document
 * (compilePrepared), which is a small part of the cost.
 */
export interface PreparedPolicy {
  hash: string;
  problems: SourceProblem[];
  /** Only when the policy has no error. */
  doc?: PolicySource;
  rulePositions?: Array<{ line: number; column: number }>;
}

export function preparePolicyText(text: string | Buffer, file: string): PreparedPolicy {
  const { loaded, doc, at } = load(text, file, {});
  if (!loaded.engine || !doc || !at) return { hash: loaded.hash, problems: loaded.problems };
  return { hash: loaded.hash, problems: loaded.problems, doc, rulePositions: doc.rules.map((_, i) => at(['rules', i])) };
}

/** The engine of a prepared policy, built on this thread; its problems are the ones the check found. */
export function compilePrepared(p: PreparedPolicy, opts: LoadOptions = {}): LoadedPolicy {
  if (!p.doc || !p.rulePositions) return { problems: p.problems, hash: p.hash };
  const positions = p.rulePositions;
  // The check already reported every problem: compiling the same document again finds the same ones.
  const at = (path: ReadonlyArray<string | number>) => (path[0] === 'rules' && typeof path[1] === 'number' && positions[path[1]]) || { line: 1, column: 1 };
  const out = compilePolicy(p.doc, () => undefined, at);
  const engine = new CompiledPolicy({ name: p.doc.policy, hash: p.hash, networks: out.networks, rules: out.rules, defaultLabel: p.doc.default_label, ...(opts.counters ? { counters: opts.counters } : {}) });
  return { engine, problems: p.problems, hash: p.hash };
}

function load(text: string | Buffer, file: string, opts: LoadOptions): { loaded: LoadedPolicy; doc?: PolicySource; at?: (p: ReadonlyArray<string | number>) => { line: number; column: number } } {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const hash = policyHash(bytes);
  const loaded = loadYaml<PolicySource>(bytes.toString('utf8'), file, POLICY_SCHEMA);
  const problems = tidy(loaded.problems, loaded.doc);
  if (!loaded.value) return { loaded: { problems, hash } };
  const doc = loaded.value;
  const out = compilePolicy(doc, (path, what, severity = 'error') => problems.push({ file, ...loaded.at(path), ...(typeof what === 'string' ? { message: what } : what), severity }), loaded.at);
  const engine = new CompiledPolicy({ name: doc.policy, hash, networks: out.networks, rules: out.rules, defaultLabel: doc.default_label, ...(opts.counters ? { counters: opts.counters } : {}) });
  // Reachability is judged only on a policy that compiled cleanly: a rule whose glob
  // failed would look unreachable for the wrong reason.
  if (!problems.some((p) => p.severity === 'error')) for (const w of lintRules(out.rules, engine.unreachable(), (r) => engine.neighbours(r))) problems.push({ file, line: w.rule.line, column: w.rule.column, message: w.message, key: w.key, params: w.params, severity: 'warning' });
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  if (problems.some((p) => p.severity === 'error')) return { loaded: { problems, hash } };
  return { loaded: { engine, problems, hash }, doc, at: loaded.at };
}

export async function loadPolicyFile(path: string, opts: LoadOptions = {}): Promise<LoadedPolicy> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const what = (err as NodeJS.ErrnoException).code === 'ENOENT' ? said('policy.noSuchFile') : said('policy.unreadable', { why: (err as Error).message });
    return { problems: [{ file: path, line: 1, column: 1, ...what, severity: 'error' }], hash: '' };
  }
  return loadPolicyText(bytes, path, opts);
}
