import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicyText } from '../policies/load-policy.js';
import { replayLog } from '../gateway/audit/replay-log.js';

// The replay case of `npm run bench:policy`: 20,000 past decisions (an audit
// log's `decided` records, in a real SQLite file) replayed against policies of
// 1, 500 and 2,000 rules of one province's shape: most rules name the systems
// they allow or deny, a tenth are network-wide (globs, findings). Prints the
// load and the replay time of each, and the replay time per decision.

const NETWORKS = ['police', 'extranet', 'social', 'health'];
const SYSTEMS = 200;
const LABELS = ['public', 'internal', 'sensitive'] as const;

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const sys = () => `sys-${Math.floor(rand() * SYSTEMS)}`;
const pair = (): [string, string] => {
  const s = pick(NETWORKS);
  let d = pick(NETWORKS);
  if (d === s) d = NETWORKS[(NETWORKS.indexOf(s) + 1) % NETWORKS.length]!;
  return [s, d];
};

export function replayPolicy(rules: number): string {
  const lines = ['policy: replay-bench', `networks: [${NETWORKS.join(', ')}]`, 'rules:'];
  for (let i = 0; i < rules; i++) {
    const [s, d] = pair();
    const r = rand();
    lines.push(`  - id: r${i}`);
    if (r < 0.6) lines.push('    effect: allow', `    description: allow ${i}`, `    match: { from: ${s}/${sys()}, to: [${d}/${sys()}, ${d}/${sys()}], label: [${pick(LABELS)}, public] }`);
    else if (r < 0.75) lines.push('    effect: deny', `    description: deny source ${i}`, `    match: { from: ${s}/${sys()}, to: "${d}/*" }`);
    else if (r < 0.9) lines.push('    effect: deny', `    description: deny destination ${i}`, `    match: { to: ${d}/${sys()}, label: sensitive }`);
    else if (r < 0.95) lines.push('    effect: deny', `    description: findings ${i}`, `    match: { direction: "${s} -> ${d}" }`, `    when: { finding: personal-data, countOver: ${i % 9} }`);
    else lines.push('    effect: allow', `    description: network-wide ${i}`, `    match: { from: "${s}/*", to: "${d}/*", label: public }`);
  }
  return `${lines.join('\n')}\n`;
}

/** An audit log with `n` decided records, shaped as the gateway writes them. */
export function replayLogFile(dir: string, n: number): string {
  const path = join(dir, 'audit.db');
  const db = new Database(path);
  db.exec(`CREATE TABLE records (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, transfer_id TEXT, event TEXT NOT NULL, principal TEXT, source TEXT,
    destination TEXT, size INTEGER, sha256 TEXT, verdict TEXT, rule TEXT, policy_hash TEXT, details TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`);
  const ins = db.prepare(`INSERT INTO records (seq, time, transfer_id, event, principal, source, destination, size, verdict, rule, policy_hash, details, prev_hash, hash)
    VALUES (?, ?, ?, 'decided', ?, ?, ?, ?, ?, ?, 'old', ?, '', '')`);
  const base = Date.parse('2026-11-20T00:00:00Z');
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const [s, d] = pair();
      const time = new Date(base + i * 3000).toISOString();
      const source = `${s}/${sys()}`;
      const facts = { kind: 'file', principal: `ferry://${source}`, source, destination: `${d}/${sys()}`, label: pick(LABELS), time, size: Math.floor(rand() * 1e6), filename: `f${i}.pdf`, sniffedType: 'application/pdf' };
      const findings = rand() < 0.2 ? [{ kind: 'personal-data', count: 1 + Math.floor(rand() * 12) }] : [];
      const stage = rand() < 0.5 ? 'before' : 'after';
      ins.run(i + 1, time, `t-${i}`, facts.principal, source, facts.destination, facts.size, rand() < 0.8 ? 'allow' : 'deny', 'old-rule', JSON.stringify({ stage, facts, findings: stage === 'after' ? findings : [], counters: {} }));
    }
  })();
  db.close();
  return path;
}

export async function replayBench(decisions: number, ruleCounts: readonly number[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-replay-'));
  try {
    const log = replayLogFile(dir, decisions);
    console.log(`\nreplay: ${decisions.toLocaleString('en-US')} past decisions (a SQLite audit log) against policies of ${ruleCounts.join(', ')} rules over ${NETWORKS.length} networks`);
    for (const n of ruleCounts) {
      const t0 = performance.now();
      const loaded = loadPolicyText(replayPolicy(n), 'replay.yaml');
      const loadMs = performance.now() - t0;
      if (!loaded.engine) throw new Error(`the generated policy does not load: ${loaded.problems[0]?.message}`);
      const t1 = performance.now();
      const report = await replayLog(loaded.engine, log, { keep: 100 });
      const ms = performance.now() - t1;
      const c = report.counts;
      console.log(`  ${String(n).padStart(5)} rules: loaded in ${loadMs.toFixed(0).padStart(5)} ms, replayed in ${ms.toFixed(0).padStart(6)} ms (${((ms * 1000) / report.records).toFixed(1).padStart(6)} µs a decision; ${c['newly-denied']} newly denied, ${c['newly-allowed']} newly allowed, ${c['other-rule']} other rule, ${c.same} same)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
