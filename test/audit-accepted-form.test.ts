// Audit schema 3: an accepted transfer is recorded as `received` and one
// `accepted` record (both decisions, the inspection, what was queued), where
// schema 2 wrote `received`, `decided` (before content), `inspected`,
// `decided` (after content) and `queued`. A log written before holds the old
// form, and a writer raises the file to schema 3 and goes on in the new form:
// verify, query, trace, the console's counts and `ferry policy replay` read a
// log of both forms, and replay finds the same decisions in either.
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { AuditEntry } from '../protocol/audit-events.js';
import type { Finding } from '../protocol/findings.js';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { openAuditStorage } from '../gateway/audit/open-audit-storage.js';
import { readRecords } from '../gateway/audit/read-records.js';
import { replayLog } from '../gateway/audit/replay-log.js';
import { encodeVkey, parseVkey } from '../gateway/audit/signed-note.js';
import { traceTransfer } from '../gateway/audit/trace.js';
import { hopsOf } from '../gateway/audit/trace-hops.js';
import { verifyLogFile } from '../gateway/audit/verify.js';
import { acceptedRecord, decidedRecord } from '../gateway/pipeline/transfer-records.js';
import { loadPolicyText } from '../policies/load-policy.js';
import type { TransferFacts } from '../policies/types.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
const run = promisify(execFile);
const ORIGIN = 'ferry.gateway/gw-forms';
const { privateKey } = generateKeyPairSync('ed25519');
const vkey = encodeVkey(ORIGIN, privateKey);
const quiet = { warn: () => {}, error: () => {} };

const POLICY = `policy: in-force
networks: [police, extranet]
rules:
  - id: allow-police-to-extranet
    effect: allow
    description: Police systems send public and internal data to the extranet.
    match: { from: police/*, to: extranet/*, label: [public, internal] }
    mode: enforce
  - id: watch-internal
    effect: deny
    description: Would refuse internal data (shadow, logged only).
    match: { label: internal }
    mode: shadow
`;
const STRICTER = `policy: stricter
networks: [police, extranet]
rules:
  - id: allow-public
    effect: allow
    description: Public data only.
    match: { from: police/*, to: extranet/*, label: public }
  - id: deny-personal-data
    effect: deny
    description: No personal data.
    when: { finding: personal-data }
`;

const FINDINGS: Finding[] = [{ kind: 'personal-data', subkind: 'cn-mobile', offset: 12, count: 1 } as Finding];

/** One accepted transfer's decisions, made by a real engine, as the gateway makes them. */
function decide(id: string) {
  const engine = loadPolicyText(POLICY, 'policy.yaml').engine!;
  const beforeFacts: TransferFacts = {
    kind: 'file', principal: 'ferry://police/sys1', source: 'police/sys1', destination: 'extranet/archive', label: 'internal',
    filename: 'roster.csv', extension: 'csv', declaredType: 'text/csv', declaredSize: 48, time: '2026-11-30T08:00:00.000Z',
  };
  const before = engine.before(beforeFacts);
  const afterFacts: TransferFacts = { ...beforeFacts, size: 48, sniffedType: 'text/plain', time: '2026-11-30T08:00:00.050Z' };
  const after = engine.after(afterFacts, FINDINGS);
  const base = { transferId: id, principal: 'ferry://police/sys1', source: 'police/sys1', destination: 'extranet/archive' };
  const received: AuditEntry = { ...base, event: 'received', size: 48, details: { kind: 'file', label: 'internal', filename: 'roster.csv', declared_type: 'text/csv', declared_size: 48 } };
  const queued = { delivery: 'push', receipt_signature: 'c2lnbmF0dXJl' };
  const sha256 = 'ab'.repeat(32);
  return { base, received, beforeFacts, before, afterFacts, after, queued, sha256 };
}

/** The records schema 2 wrote for an accepted transfer (gateway/pipeline/accept-transfer.ts before schema 3). */
function oldForm(id: string): AuditEntry[] {
  const d = decide(id);
  return [
    d.received,
    decidedRecord(d.base, 'before', d.beforeFacts, d.before),
    { ...d.base, event: 'inspected', size: 48, sha256: d.sha256, details: { sniffed_type: 'text/plain', findings: FINDINGS } },
    { ...decidedRecord(d.base, 'after', d.afterFacts, d.after, FINDINGS), size: 48, sha256: d.sha256 },
    { ...d.base, event: 'queued', size: 48, sha256: d.sha256, verdict: 'allow', rule: d.after.rule, policyHash: d.after.policyHash, details: d.queued },
    { ...d.base, event: 'delivered', size: 48, sha256: d.sha256, details: { attempts: 1 } },
  ];
}

/** The records schema 3 writes for the same transfer: the gateway's own record builder. */
function newForm(id: string): AuditEntry[] {
  const d = decide(id);
  return [
    d.received,
    acceptedRecord(d.base, { size: 48, sha256: d.sha256, sniffedType: 'text/plain', findings: FINDINGS },
      { beforeFacts: d.beforeFacts, before: d.before, afterFacts: d.afterFacts, after: d.after }, d.queued),
    { ...d.base, event: 'delivered', size: 48, sha256: d.sha256, details: { attempts: 1 } },
  ];
}

const OLD_ID = '0192f1c4-0000-7000-8000-000000000001';
const NEW_ID = '0192f1c4-0000-7000-8000-000000000002';

const root = mkdtempSync(join(tmpdir(), 'ferry-audit-forms-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));

/** A log of schema 2 with one transfer in the old form, then opened by today's writer, which adds one in the new form. */
async function bothForms(): Promise<string> {
  const path = join(root, `audit-${Math.random().toString(36).slice(2)}.db`);
  const old = openAuditLog(path, { origin: ORIGIN, signer: { keyName: ORIGIN, privateKey }, logger: quiet });
  await old.appendMany(oldForm(OLD_ID));
  await old.close();
  // As a gateway before schema 3 left the file.
  const db = new Database(path);
  db.prepare("UPDATE meta SET value = '2' WHERE key = 'schema'").run();
  db.close();
  const log = openAuditLog(path, { origin: ORIGIN, signer: { keyName: ORIGIN, privateKey }, logger: quiet });
  await log.appendMany(newForm(NEW_ID));
  await log.close();
  return path;
}

t.test('a log of schema 2 is raised to 4 by the writer, and verifies with records of both forms', async (t) => {
  const path = await bothForms();
  const db = new Database(path, { readonly: true });
  t.equal(db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get(), '4', 'schema 4 (the handed-out event) once today\'s writer opened it');
  db.close();
  t.same([...readRecords(path)].map((r) => r.event), ['received', 'decided', 'inspected', 'decided', 'queued', 'delivered', 'received', 'accepted', 'delivered']);
  const report = await verifyLogFile(path, { verifiers: [parseVkey(vkey)] });
  t.equal(report.ok, true, 'verify: every record of both forms chains and is covered by signed checkpoints');
  const vkeyFile = join(root, 'audit.vkey');
  writeFileSync(vkeyFile, `${vkey}\n`);
  const cli = await run(process.execPath, [FERRY, 'log', 'verify', '--db', path, '--pubkey-file', vkeyFile], { encoding: 'utf8' });
  t.match(cli.stdout, /ok|verified/i, 'ferry log verify says so');
});

t.test('query and trace read both forms', async (t) => {
  const path = await bothForms();
  for (const [id, events] of [[OLD_ID, ['received', 'decided', 'inspected', 'decided', 'queued', 'delivered']], [NEW_ID, ['received', 'accepted', 'delivered']]] as const) {
    const q = await run(process.execPath, [FERRY, 'log', 'query', '--db', path, '--transfer', id, '--json'], { encoding: 'utf8' });
    t.same(q.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { event: string }).event), events, `ferry log query --transfer ${id}`);
    const tr = await traceTransfer(id, [path], [parseVkey(vkey)]);
    t.same(tr.events.map((e) => e.record.event), events, `the trace of ${id}`);
    const [step] = hopsOf(tr.events);
    t.equal(step?.last?.event, 'delivered', `${id}: its last step is the delivery`);
  }
  // The accepted record alone (a transfer not yet delivered) ends its step, as 'queued' did.
  const [accepted] = hopsOf((await traceTransfer(NEW_ID, [path], [parseVkey(vkey)])).events.filter((e) => e.record.event !== 'delivered'));
  t.equal(accepted?.last?.event, 'accepted', 'a transfer accepted and not yet delivered ends at its accepted record');
});

t.test('replay finds the same two decisions in the old form and in the new, with the same outcome', async (t) => {
  const path = await bothForms();
  const engine = loadPolicyText(STRICTER, 'stricter.yaml').engine!;
  const r = await replayLog(engine, path);
  t.equal(r.records, 4, 'two decisions of each transfer: two decided records, one accepted record');
  t.same(r.unevaluable, [], 'every decision can be evaluated again');
  const of = (id: string) => r.differences.filter((d) => d.transferId === id).map((d) => [d.stage, d.was.verdict, d.was.rule, d.now.verdict, d.now.rule, d.change]);
  t.same(of(NEW_ID), of(OLD_ID), 'the same stages, decisions then and now');
  t.same(of(NEW_ID), [
    ['before', 'allow', 'allow-police-to-extranet', 'deny', null, 'newly-denied'],
    ['after', 'allow', 'allow-police-to-extranet', 'deny', 'deny-personal-data', 'newly-denied'],
  ], 'internal data is denied before content now, and the recorded finding denies after content');
  t.same((await replayLog(engine, path, { last: 1 })).records, 2, 'the last record: the accepted one, both of its decisions');
  // The CLI, as an operator runs it.
  const policyFile = join(root, 'stricter.yaml');
  writeFileSync(policyFile, STRICTER);
  const cli = await run(process.execPath, [FERRY, 'policy', 'replay', policyFile, '--log', path, '--json'], { encoding: 'utf8' }).catch((e: { stdout: string }) => e);
  const report = JSON.parse(cli.stdout) as { records: number; counts: Record<string, number> };
  t.equal(report.records, 4, 'ferry policy replay: four decisions');
  t.equal(report.counts['newly-denied'], 4);
});

t.test('the console\'s counts take an accepted record for its two decisions', async (t) => {
  const path = await bothForms();
  const log = await openAuditStorage(path);
  t.teardown(() => log.close());
  const hours = await log.decisionsByHour(1);
  t.equal(hours.reduce((n, h) => n + h.decided, 0), 4, 'four decisions: two decided records, and two in the accepted record');
  t.same(await log.decisionsByRule(1), [{ rule: 'allow-police-to-extranet', n: 4 }], 'each decided by the same rule');
  t.same(await log.shadowMatches(1), [{ rule: 'watch-internal', effect: 'deny', n: 4 }], 'the shadow rule matched at both stages of both');
  const pages = await log.decisionsToReplay({});
  const seen: Array<[number, string]> = [];
  for await (const page of pages.pages) for (const r of page) seen.push([r.seq, r.event]);
  t.same(seen, [[2, 'decided'], [4, 'decided'], [8, 'accepted']], 'the records replay reads, in order');
});

t.test('kill -9 the moment a 202 arrives: its received and accepted records are on disk, the log verifies, replay reads both decisions, and the transfer is delivered after restart', async (t) => {
  const { makePki } = await import('./helpers/pki.js');
  const { clientFor, heldDeliverySetup, putFile, sha256, startGatewayProcess, until } = await import('./helpers/gateway-fixture.js');
  const pki = await makePki();
  // Nothing delivered before the kill.
  const { dest, dir, config } = await heldDeliverySetup(t, pki, 'ferry-accepted-kill-');
  let child = await startGatewayProcess(config);
  t.teardown(() => child.kill9());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = Buffer.from('通知：明天上午九点开会。\n');
  const r = await putFile(sender, `https://127.0.0.1:${child.ports.police}`, body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'internal' });
  t.equal(r.status, 202);
  await child.kill9();
  const db = join(dir, 'data', 'audit.db');
  const recs = [...readRecords(db, { transferId: r.json.id as string })];
  t.same(recs.map((x) => x.event), ['received', 'accepted'], 'the records of the 202, durable before it');
  const kept = recs[1]!.details as { before: { verdict: string; rule: string }; after: { verdict: string; rule: string }; receipt_signature: string };
  t.equal(kept.receipt_signature, r.json.receipt.signature, 'the accepted record holds the receipt the sender got');
  t.equal(recs[1]!.sha256, sha256(body), 'and the content hash');
  const verified = await run(process.execPath, [FERRY, 'log', 'verify', '--db', db], { encoding: 'utf8' });
  t.match(verified.stdout, /ok|verified/i, 'the log kill -9 left verifies');
  const replayed = await replayLog(loadPolicyText(STRICTER, 'stricter.yaml').engine!, db);
  t.same(replayed.differences.filter((d) => d.transferId === r.json.id).map((d) => [d.stage, d.was.rule, d.change]),
    [['before', kept.before.rule, 'newly-denied'], ['after', kept.after.rule, 'newly-denied']], 'replay reads both of its decisions (internal data, denied by the stricter policy)');
  dest.failWith = null;
  child = await startGatewayProcess(config);
  await until(() => dest.received.some((x) => x.headers['ferry-transfer-id'] === r.json.id), 'the transfer delivered after the restart', 60_000);
  const got = dest.received.filter((x) => x.headers['ferry-transfer-id'] === r.json.id);
  t.equal(got.length, 1, 'delivered once');
  t.equal(got[0]!.sha256, sha256(body), 'byte-identical');
  await until(() => [...readRecords(db, { transferId: r.json.id as string })].some((x) => x.event === 'delivered'), 'its delivered record');
  t.same([...readRecords(db, { transferId: r.json.id as string })].map((x) => x.event), ['received', 'accepted', 'handed-out', 'delivered'], 'after the restart: the push, then its outcome');
});
