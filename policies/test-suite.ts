import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FINDING_KINDS, type Finding } from '../protocol/findings.js';
import { LABELS } from '../protocol/transfer.js';
import { loadYaml, type SourceProblem } from '../protocol/yaml-schema.js';
import { dryRun, fixedCounters } from './dry-run.js';
import { loadPolicyFile } from './load-policy.js';
import { noInspector, type InspectFile } from './inspect-port.js';
import type { CompiledPolicy } from './policy-engine.js';
import { factsFrom, type FactsInput } from './transfer-facts.js';

// Policy tests as files (`*.test.yaml`): operators keep the decisions they
// expect beside the policy, and `ferry policy test --suite` checks them and
// says which rules no case exercised.

/** A case: the facts of a transfer as written by hand, plus what the suite adds. */
interface CaseSource extends Omit<FactsInput, 'size'> {
  name: string;
  sniffedType?: string;
  size?: number;
  findings?: Finding[];
  file?: string;
  counters?: Record<string, number>;
  expect: { verdict: 'allow' | 'deny'; rule?: string | null; stage?: 'before' | 'after' };
}

interface SuiteSource {
  policy: string;
  cases: CaseSource[];
}

export const SUITE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['policy', 'cases'],
  properties: {
    policy: { type: 'string', minLength: 1 },
    cases: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'from', 'to', 'expect'],
        properties: {
          name: { type: 'string', minLength: 1 },
          from: { type: 'string' },
          to: { type: 'string' },
          label: { enum: [...LABELS] },
          kind: { enum: ['file', 'message'] },
          principal: { type: 'string' },
          filename: { type: 'string' },
          declaredType: { type: 'string' },
          sniffedType: { type: 'string' },
          size: { type: 'integer', minimum: 0 },
          time: { type: 'string' },
          file: { type: 'string' },
          counters: { type: 'object', additionalProperties: { type: 'number', minimum: 0 } },
          findings: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['kind'],
              properties: { kind: { enum: [...FINDING_KINDS] }, subkind: { type: 'string' }, count: { type: 'integer', minimum: 1 }, offset: { type: 'integer', minimum: 0 }, path: { type: 'string' }, detail: { type: 'string' }, sample: { type: 'string' } },
            },
          },
          expect: {
            type: 'object',
            additionalProperties: false,
            required: ['verdict'],
            properties: { verdict: { enum: ['allow', 'deny'] }, rule: { type: ['string', 'null'] }, stage: { enum: ['before', 'after'] } },
          },
        },
      },
    },
  },
} as const;

export interface CaseResult {
  suite: string;
  name: string;
  line: number;
  pass: boolean;
  /** what went wrong, when it failed */
  message?: string;
  verdict?: 'allow' | 'deny';
  rule?: string | null;
  /** shadow rules that matched: they count as exercised */
  shadow?: string[];
}

export interface SuiteResult {
  problems: SourceProblem[];
  cases: CaseResult[];
  /** per policy file: the rules that decided no case (nor matched one, for shadow rules) */
  uncovered: Map<string, { policy: CompiledPolicy; rules: string[] }>;
}

export async function runSuites(files: string[], opts: { policy?: string; inspectFile?: InspectFile } = {}): Promise<SuiteResult> {
  const result: SuiteResult = { problems: [], cases: [], uncovered: new Map() };
  const policies = new Map<string, CompiledPolicy>();
  const decidedBy = new Map<string, Set<string>>();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      result.problems.push({ file, line: 1, column: 1, message: `cannot read the suite: ${(e as Error).message}`, severity: 'error' });
      continue;
    }
    const loaded = loadYaml<SuiteSource>(text, file, SUITE_SCHEMA);
    if (!loaded.value) {
      result.problems.push(...loaded.problems);
      continue;
    }
    const suite = loaded.value;
    const policyPath = opts.policy ? resolve(opts.policy) : resolve(dirname(file), suite.policy);
    let policy = policies.get(policyPath);
    if (!policy) {
      const lp = await loadPolicyFile(policyPath);
      if (!lp.engine) {
        result.problems.push(...lp.problems.filter((p) => p.severity === 'error'));
        continue;
      }
      policy = lp.engine;
      policies.set(policyPath, policy);
      decidedBy.set(policyPath, new Set());
    }
    for (const [i, c] of suite.cases.entries()) {
      const line = loaded.at(['cases', i]).line;
      const r = await runCase(policy, c, dirname(file), opts.inspectFile ?? noInspector());
      result.cases.push({ suite: file, name: c.name, line, ...r });
      if (r.rule) decidedBy.get(policyPath)!.add(r.rule);
      for (const id of r.shadow ?? []) decidedBy.get(policyPath)!.add(id);
    }
  }
  for (const [path, policy] of policies) {
    const used = decidedBy.get(path)!;
    result.uncovered.set(path, { policy, rules: policy.rules.filter((r) => !used.has(r.id)).map((r) => r.id) });
  }
  return result;
}

async function runCase(policy: CompiledPolicy, c: CaseSource, base: string, inspectFile: InspectFile): Promise<Omit<CaseResult, 'suite' | 'name' | 'line'>> {
  const facts = factsFrom({ from: c.from, to: c.to, label: c.label, kind: c.kind, principal: c.principal, filename: c.filename ?? c.file, declaredType: c.declaredType, size: c.size, time: c.time });
  if (typeof facts === 'string') return { pass: false, message: facts };
  if (c.sniffedType) facts.sniffedType = c.sniffedType;
  const findings = [...(c.findings ?? [])];
  if (c.file) {
    try {
      const r = await inspectFile(resolve(base, c.file), { ...(c.declaredType ? { declaredType: c.declaredType } : {}), ...(facts.filename ? { filename: facts.filename } : {}) });
      facts.size = r.size;
      facts.declaredSize ??= r.size;
      if (r.sniffedType) facts.sniffedType = r.sniffedType;
      findings.push(...r.findings);
    } catch (e) {
      return { pass: false, message: `cannot inspect ${c.file}: ${(e as Error).message}` };
    }
  }
  const run = dryRun(policy, facts, findings, fixedCounters(c.counters ?? {}));
  const d = run.decision;
  const wrong: string[] = [];
  if (d.verdict !== c.expect.verdict) wrong.push(`expected ${c.expect.verdict}, got ${d.verdict}`);
  if (c.expect.rule !== undefined && d.rule !== c.expect.rule) wrong.push(`expected rule ${c.expect.rule ?? '(default deny)'}, got ${d.rule ?? '(default deny)'}`);
  if (c.expect.stage !== undefined && run.stage !== c.expect.stage) wrong.push(`expected the decision ${c.expect.stage} content, got it ${run.stage}`);
  return { pass: wrong.length === 0, verdict: d.verdict, rule: d.rule, ...(d.shadow ? { shadow: d.shadow.map((x) => x.rule) } : {}), ...(wrong.length ? { message: `${wrong.join('; ')} (${d.reason})` } : {}) };
}
