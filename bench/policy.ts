import type { Finding } from '../protocol/findings.js';
import { makeContext, type Stage } from '../policies/eval-context.js';
import { loadPolicyText } from '../policies/load-policy.js';
import { evalRule } from '../policies/policy-engine.js';
import type { CompiledRule } from '../policies/compiled-rule.js';
import type { CounterSource } from '../policies/rate-counters.js';
import type { Decision, TransferFacts } from '../policies/types.js';
import { replayBench } from './policy-replay.js';

// npm run bench:policy — a generated 1,000-rule policy over 20 networks,
// decided by the compiled engine (rules indexed by network pair) and by a
// naive linear scan of the same compiled rules, in the same run, on the same
// transfers. Prints decisions per second and p50/p99 latency for each; then
// replays 20,000 past decisions against 1, 500 and 2,000 rules (policy-replay.ts).
// REPLAY=0 skips the replay case; REPLAY_RULES=1,500,2000 chooses its sizes.

const NETWORKS = Array.from({ length: 20 }, (_, i) => `n${String(i).padStart(2, '0')}`);
const LABELS = ['public', 'internal', 'sensitive'] as const;
const RULES = Number(process.env.RULES ?? 1000);
const DECISIONS = Number(process.env.DECISIONS ?? 200_000);

// A small deterministic PRNG, so every run decides the same transfers.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function generatePolicy(): string {
  const lines = [`policy: bench`, `networks: [${NETWORKS.join(', ')}]`, `zone: Asia/Shanghai`, `rules:`];
  for (let i = 0; i < RULES; i++) {
    const src = pick(NETWORKS);
    let dst = pick(NETWORKS);
    if (dst === src) dst = NETWORKS[(NETWORKS.indexOf(src) + 1) % NETWORKS.length]!;
    const r = rand();
    lines.push(`  - id: r${i}`);
    if (r < 0.55) {
      lines.push(`    effect: allow`, `    description: allow ${i}`);
      lines.push(`    match: { from: "${src}/*", to: "${dst}/sys-{${i % 7},${(i + 1) % 7}}*", label: [${pick(LABELS)}, ${pick(LABELS)}] }`);
      if (i % 10 === 0) lines.push(`    window: { days: mon-fri, hours: "08:00-20:00" }`);
      if (i % 5 === 0) lines.push(`    obligations: { retainDays: ${i % 90} }`);
    } else if (r < 0.75) {
      lines.push(`    effect: deny`, `    description: deny system ${i}`);
      lines.push(`    match: { from: "${src}/sys-${i % 50}", to: "${dst}/*" }`);
    } else if (r < 0.9) {
      lines.push(`    effect: deny`, `    description: deny findings ${i}`);
      lines.push(`    match: { direction: "${src} -> ${dst}" }`);
      lines.push(`    when: { finding: [${pick(['personal-data', 'keyword', 'classified-marking'])}], countOver: ${i % 5} }`);
      if (i % 3 === 0) lines.push(`    unless: { label: sensitive }`);
    } else if (r < 0.97) {
      lines.push(`    effect: deny`, `    description: deny type ${i}`);
      lines.push(`    match: { from: "${src}/*", type: [application/x-msdownload, "application/x-*"], extension: [exe, dll, "sc?"] }`);
    } else {
      lines.push(`    effect: deny`, `    description: limit ${i}`);
      lines.push(`    match: { from: "${src}/sys-${i % 50}" }`);
      lines.push(`    limit: { transfers: 100, per: minute, by: principal }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function generateTransfers(n: number): Array<{ facts: TransferFacts; findings: Finding[] }> {
  const out: Array<{ facts: TransferFacts; findings: Finding[] }> = [];
  const base = Date.parse('2026-11-24T02:00:00Z');
  for (let i = 0; i < n; i++) {
    const src = pick(NETWORKS);
    let dst = pick(NETWORKS);
    if (dst === src) dst = NETWORKS[(NETWORKS.indexOf(src) + 3) % NETWORKS.length]!;
    const sys = `sys-${Math.floor(rand() * 60)}`;
    const findings: Finding[] = rand() < 0.3 ? [{ kind: pick(['personal-data', 'keyword', 'classified-marking'] as const), count: 1 + Math.floor(rand() * 6) }] : [];
    out.push({
      facts: {
        kind: 'file' as const,
        principal: `ferry://${src}/${sys}`,
        source: `${src}/${sys}`,
        destination: `${dst}/sys-${Math.floor(rand() * 60)}`,
        label: pick(LABELS),
        filename: `f${i}.${pick(['pdf', 'csv', 'exe', 'txt'])}`,
        time: new Date(base + Math.floor(rand() * 7 * 86_400_000)).toISOString(),
        size: Math.floor(rand() * 1e6),
        sniffedType: pick(['application/pdf', 'text/csv', 'application/x-msdownload', 'text/plain']),
      },
      findings,
    });
  }
  return out;
}

const zero: CounterSource = { get: () => 0 };

/** The baseline: every rule, in file order, no index. Same semantics as CompiledPolicy.decide. */
function naiveDecide(rules: readonly CompiledRule[], hash: string, stage: Stage, facts: TransferFacts, findings: readonly Finding[]): Decision {
  const ctx = makeContext(stage, facts, findings);
  const seen: Record<string, number> = {};
  const sc: Parameters<typeof evalRule>[4] = { hits: undefined, limited: undefined };
  let allow: CompiledRule | undefined;
  let pending: CompiledRule | undefined;
  for (const r of rules) {
    if (r.shadow) continue;
    const o = evalRule(r, ctx, zero, seen, sc);
    if (o === 0) continue;
    if (r.effect === 'deny' && o === 1) return { verdict: 'deny', rule: r.id, reason: r.description, policyHash: hash };
    if (r.effect === 'allow') {
      if (o === 1) allow ??= r;
      else pending ??= r;
    }
  }
  const a = allow ?? pending;
  return a ? { verdict: 'allow', rule: a.id, reason: a.description, policyHash: hash } : { verdict: 'deny', rule: null, reason: 'default', policyHash: hash };
}

function measure(name: string, n: number, decide: (i: number) => Decision): { perSecond: number; p50: number; p99: number; verdicts: string[] } {
  for (let i = 0; i < Math.min(n, 20_000); i++) decide(i); // warm-up: let the JIT settle
  const t0 = process.hrtime.bigint();
  const verdicts: string[] = new Array(n);
  for (let i = 0; i < n; i++) verdicts[i] = decide(i).rule ?? 'default';
  const total = Number(process.hrtime.bigint() - t0);
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    decide(i);
    lat[i] = Number(process.hrtime.bigint() - s);
  }
  lat.sort();
  const r = { perSecond: (n / total) * 1e9, p50: lat[Math.floor(n * 0.5)]! / 1000, p99: lat[Math.floor(n * 0.99)]! / 1000, verdicts };
  console.log(`${name.padEnd(34)} ${Math.round(r.perSecond).toLocaleString('en-US').padStart(12)} decisions/s   p50 ${r.p50.toFixed(2).padStart(7)} µs   p99 ${r.p99.toFixed(2).padStart(7)} µs`);
  return r;
}

const text = generatePolicy();
const c0 = process.hrtime.bigint();
const loaded = loadPolicyText(text, 'bench.yaml');
const compileMs = Number(process.hrtime.bigint() - c0) / 1e6;
if (!loaded.engine) {
  console.error(loaded.problems.slice(0, 5));
  process.exit(2);
}
const engine = loaded.engine;
const transfers = generateTransfers(10_000);
const at = (i: number) => transfers[i % transfers.length]!;

console.log(`policy: ${engine.rules.length} rules over ${NETWORKS.length} networks (${text.length.toLocaleString('en-US')} bytes), loaded and compiled in ${compileMs.toFixed(0)} ms; ${loaded.problems.length} warnings`);
console.log(`${DECISIONS.toLocaleString('en-US')} decisions per run over ${transfers.length.toLocaleString('en-US')} generated transfers; node ${process.version}, one core\n`);
const idxBefore = measure('indexed   before (metadata)', DECISIONS, (i) => engine.decide('before', at(i).facts, [], zero));
const idxAfter = measure('indexed   after  (with findings)', DECISIONS, (i) => engine.decide('after', at(i).facts, at(i).findings, zero));
const naiveN = Math.max(10_000, Math.floor(DECISIONS / 20));
const nvBefore = measure('linear    before (metadata)', naiveN, (i) => naiveDecide(engine.compiled, engine.hash, 'before', at(i).facts, []));
const nvAfter = measure('linear    after  (with findings)', naiveN, (i) => naiveDecide(engine.compiled, engine.hash, 'after', at(i).facts, at(i).findings));

// Same decisions, or the comparison means nothing.
let mismatches = 0;
for (let i = 0; i < naiveN; i++) if (idxBefore.verdicts[i] !== nvBefore.verdicts[i] || idxAfter.verdicts[i] !== nvAfter.verdicts[i]) mismatches++;
console.log(`\nindexed vs linear: ${(idxAfter.perSecond / nvAfter.perSecond).toFixed(1)}× faster after content, ${(idxBefore.perSecond / nvBefore.perSecond).toFixed(1)}× before; ${mismatches} differing decisions out of ${naiveN.toLocaleString('en-US')}`);
const ok = idxAfter.perSecond >= 200_000 && idxAfter.p99 < 50 && mismatches === 0;
console.log(`target (≥ 200,000 decisions/s, p99 < 50 µs, same decisions): ${ok ? 'met' : 'NOT met'}`);
if (mismatches) process.exitCode = 1;

const REPLAY = Number(process.env.REPLAY ?? 20_000);
if (REPLAY > 0) await replayBench(REPLAY, (process.env.REPLAY_RULES ?? '1,500,2000').split(',').map(Number));
