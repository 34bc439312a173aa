// `npm run bench:audit-records [-- --transfers 20000 --rounds 3]`: the audit
// log's cost per accepted transfer, in the form audit schema 2 wrote it (five
// records: received, decided, inspected, decided, queued) beside schema 3's
// (received, accepted), interleaved. Records are built as the gateway builds
// them (gateway/pipeline/transfer-records.ts) from a real policy's decisions,
// and appended through the real AuditLog (group commit, writer thread, WAL,
// synchronous=FULL), 64 transfers at a time, each as the pipeline does: the
// first record(s) as the upload begins, the rest awaited with them. CPU is the
// whole process's (every thread), per transfer.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../protocol/audit-events.js';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { acceptedRecord, decidedRecord } from '../gateway/pipeline/transfer-records.js';
import { loadPolicyText } from '../policies/load-policy.js';
import type { TransferFacts } from '../policies/types.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt('transfers', 20_000);
const ROUNDS = opt('rounds', 3);
const IN_FLIGHT = 64;

const engine = loadPolicyText(`policy: bench
networks: [police, extranet]
rules:
  - id: allow-police-to-extranet
    effect: allow
    description: Police systems send to the extranet.
    match: { from: police/*, to: extranet/*, label: [public, internal] }
`, 'bench.yaml').engine!;
const { privateKey } = generateKeyPairSync('ed25519');

type Form = 'schema 2' | 'schema 3';

/** One 1 KiB message's records, as the upload begins and before its 202. */
function records(i: number, form: Form): [AuditEntry[], AuditEntry[]] {
  const id = `0192f1c4-0000-7000-8000-${String(i).padStart(12, '0')}`;
  const base = { transferId: id, principal: 'ferry://police/sys1', source: 'police/sys1', destination: 'extranet/archive' };
  const facts: TransferFacts = { kind: 'message', principal: base.principal, source: base.source, destination: base.destination, label: 'internal', declaredSize: 1024, time: new Date().toISOString() };
  const before = engine.before(facts);
  const afterFacts: TransferFacts = { ...facts, size: 1024, sniffedType: 'text/plain', time: new Date().toISOString() };
  const after = engine.after(afterFacts, []);
  const received: AuditEntry = { ...base, event: 'received', size: 1024, details: { kind: 'message', label: 'internal', filename: null, declared_type: null, declared_size: 1024, channel: 'bench' } };
  const queued = { delivery: 'subscribe', receipt_signature: 'x'.repeat(86), channel: 'bench', sequence: i };
  const sha256 = 'ab'.repeat(32);
  if (form === 'schema 3') {
    return [[received], [acceptedRecord(base, { size: 1024, sha256, sniffedType: 'text/plain', findings: [] }, { beforeFacts: facts, before, afterFacts, after }, queued)]];
  }
  return [[received, decidedRecord(base, 'before', facts, before)], [
    { ...base, event: 'inspected', size: 1024, sha256, details: { sniffed_type: 'text/plain', findings: [] } },
    { ...decidedRecord(base, 'after', afterFacts, after, []), size: 1024, sha256 },
    { ...base, event: 'queued', size: 1024, sha256, verdict: 'allow', rule: after.rule, policyHash: after.policyHash, details: queued },
  ]];
}

async function run(form: Form): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-audit-records-'));
  const log = openAuditLog(join(dir, 'audit.db'), { origin: 'ferry.gateway/bench', signer: { keyName: 'ferry.gateway/bench', privateKey }, logger: { warn() {}, error() {} } });
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < N) {
      const [head, rest] = records(next++, form);
      const first = log.appendMany(head);
      await Promise.all([first, log.appendMany(rest)]);
    }
  }));
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const { records: n, commits } = log.stats;
  await log.close();
  rmSync(dir, { recursive: true, force: true });
  return `  ${form}: ${(n / N).toFixed(0)} records a transfer, ${commits} commits, ${((cpu.user + cpu.system) / N).toFixed(0)} µs CPU a transfer (all threads), ${(wallMs / 1000).toFixed(1)} s`;
}

console.log(`Audit records per accepted transfer: ${N} transfers, ${IN_FLIGHT} at a time, ${ROUNDS} round(s) interleaved`);
for (let r = 1; r <= ROUNDS; r++) {
  console.log(`round ${r}, load average ${loadavg()[0]!.toFixed(1)}`);
  for (const form of ['schema 2', 'schema 3'] as const) console.log(await run(form));
}
