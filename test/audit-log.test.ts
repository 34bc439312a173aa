// The writer: durable group-committed appends, exact round-trip of what is
// given, refusals with codes, reopening, checkpoints (count, interval,
// export file, witness), and refusing to write to a tampered log.
import Database from 'better-sqlite3';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openAuditLog, type AuditLogOptions } from '../gateway/audit/audit-log.js';
import { canonicalJson, jcs } from '../gateway/audit/canonical.js';
import { parseCheckpoint } from '../gateway/audit/checkpoint.js';
import { verifyConsistency } from '../gateway/audit/merkle-proofs.js';
import { readRecords } from '../gateway/audit/read-records.js';
import { encodeVkey, openNote, parseVkey, writeVkeyFile } from '../gateway/audit/signed-note.js';
import { verifyLogFile } from '../gateway/audit/verify.js';

const ORIGIN = 'ferry.gateway/gw-log';
const root = mkdtempSync(join(tmpdir(), 'ferry-audit-log-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `audit-${n++}.db`);
const { privateKey } = generateKeyPairSync('ed25519');
const signer = { keyName: ORIGIN, privateKey };
const verifiers = [parseVkey(encodeVkey(ORIGIN, privateKey))];
const quiet = { warn: () => {}, error: () => {} };
const open = (path: string, o: Partial<AuditLogOptions> = {}) => openAuditLog(path, { origin: ORIGIN, signer, logger: quiet, ...o });

t.test('every append is durable and visible when its promise resolves, and appends share commits', async (t) => {
  const path = fresh();
  const log = open(path);
  const reader = new Database(path, { readonly: true });
  t.teardown(() => reader.close());
  const get = reader.prepare('SELECT seq, hash FROM records WHERE seq = ?');
  let missing = 0;
  const seqs = await Promise.all(Array.from({ length: 500 }, (_, i) => log.append({ event: 'received', transferId: `t${i}`, size: i }).then((r) => {
    const row = get.get(r.seq) as { hash: string } | undefined;
    if (!row || row.hash !== r.hash) missing++;
    t.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    return r.seq;
  })));
  t.equal(missing, 0, 'no promise resolved before its record was committed');
  t.same(seqs, Array.from({ length: 500 }, (_, i) => i + 1), 'seqs in call order');
  t.ok(log.stats.commits <= 5, `500 concurrent appends took ${log.stats.commits} commit(s)`);
  const one = await log.append({ event: 'stopped' });
  t.equal(one.seq, 501);
  await log.close();
  t.ok((await verifyLogFile(path, { verifiers })).ok);
});

t.test('appendSoon asks for no commit: its records ride with the next one, or commitSoon() and close() commit them', async (t) => {
  const path = fresh();
  // The timer that would commit them alone is set past the test: every commit here is one something asked for.
  const log = openAuditLog(path, { origin: ORIGIN, signer, checkpointIntervalMs: 3_600_000, soonMs: 3_600_000 });
  await log.append({ event: 'started' });
  const before = log.stats.commits;
  let riding = false;
  const soon = log.appendSoon([{ event: 'handed-out', transferId: 't1', details: { sequence: 1 } }, { event: 'handed-out', transferId: 't2', details: { sequence: 2 } }]).then((r) => { riding = true; return r; });
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  t.equal(log.stats.commits, before, 'nothing committed for them alone');
  t.notOk(riding, 'not yet durable');
  const next = await log.append({ event: 'delivered', transferId: 't1' });
  const rode = await soon;
  t.equal(log.stats.commits, before + 1, 'one commit for the records riding and the append that asked for it');
  t.same(rode.map((r) => r.seq), [2, 3], 'in the order asked, before the append');
  t.equal(next.seq, 4);
  const third = log.appendSoon([{ event: 'handed-out', transferId: 't3' }]);
  await log.commitSoon();
  t.equal((await third)[0]!.seq, 5, 'commitSoon() commits what rides, now');
  t.equal(log.stats.commits, before + 2);
  const last = log.appendSoon([{ event: 'handed-out', transferId: 't4' }]);
  await log.close();
  t.equal((await last)[0]!.seq, 6, 'close() commits what rides');
  t.same([...readRecords(path)].map((r) => r.event), ['started', 'handed-out', 'handed-out', 'delivered', 'handed-out', 'handed-out']);
  t.ok((await verifyLogFile(path, { verifiers })).ok, 'and the log verifies');
});

t.test('details and fields round-trip exactly', async (t) => {
  const path = fresh();
  const log = open(path);
  const details = {
    stage: 'before', zeta: 1, alpha: [3, 2, 1, { b: null, a: true }], 'é': 'ü', '中文': '身份证 110101********123X',
    emoji: '🚢', quote: 'a "b" \\ c\n\t', num: 0.1, big: 1e21, neg: -5, nested: { deep: { deeper: [[]] } }, empty: {},
  };
  const entry = {
    event: 'decided' as const, transferId: '0192f1c4-7a00-7000-8000-000000000001', principal: 'ferry://police/records', source: 'police/records',
    destination: 'extranet/archive', size: 2 ** 40, sha256: 'ab'.repeat(32), verdict: 'deny' as const, rule: 'deny-pii', policyHash: 'cd'.repeat(32),
    details: { ...details, dropped: undefined },
  };
  const r = await log.append(entry);
  await log.append({ event: 'started' });
  await log.close();
  const [got, bare] = [...readRecords(path)];
  t.same(got!.details, details, 'details deep-equal what was given (undefined members dropped, as JSON does)');
  t.same(Object.keys(got!.details!).sort(), Object.keys(details).sort());
  t.match(got, { seq: 1, hash: r.hash, transferId: entry.transferId, principal: entry.principal, source: entry.source, destination: entry.destination, size: 2 ** 40, sha256: entry.sha256, verdict: 'deny', rule: 'deny-pii', policyHash: entry.policyHash, event: 'decided' });
  t.match(bare, { seq: 2, event: 'started', transferId: null, principal: null, size: null, details: null, prevHash: r.hash });
  t.ok((await verifyLogFile(path)).ok);
});

t.test('details are written directly, byte for byte what JSON.stringify then RFC 8785 gives', async (t) => {
  // The direct road (plain objects, written out without a JSON text parsed back) and the general one must agree on every value.
  const general = (v: unknown): string => jcs(JSON.parse(JSON.stringify(v)));
  class Point {
    constructor(readonly x: number) {}
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  let deep: unknown = { leaf: true };
  for (let i = 0; i < 200; i++) deep = { d: [deep] };
  const values: unknown[] = [
    { b: 1, a: [true, false, null], c: { z: 'x', y: '' } },
    { u: undefined, f: () => 1, s: Symbol('s'), kept: 0, arr: [undefined, () => 1, Symbol('t'), 1] },
    { n: [0, -0, 1e21, 1e-7, 0.1, -5, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE, Number.NaN, Infinity, -Infinity] },
    { s: 'a "b" \\ c\n\t\u0000\u001f\u007f é 中文 🚢 \ud800 \udfff', '\ud83d': 1, 'e\u0301': 2, e: 3, 'é': 4, '10': 5, '9': 6, '': 7 },
    { date: new Date(0), wrapped: [new String('s'), new Number(1), new Boolean(false)] },
    { inst: new Point(1), map: new Map([[1, 2]]), set: new Set([1]), typed: new Uint8Array([1, 2]) },
    { toJSON: () => ({ replaced: true }) },
    { nested: { toJSON: () => 'text' } },
    Object.assign(Object.create(null) as object, { b: 2, a: 1 }),
    { sparse: [1, , 3] }, // eslint-disable-line no-sparse-arrays
    { deep },
    [],
    {},
  ];
  for (const [i, v] of values.entries()) t.equal(canonicalJson(v), general(v), `value ${i}`);
  t.throws(() => canonicalJson(cyclic), TypeError, 'a cycle is refused as JSON.stringify refuses it');
  t.throws(() => canonicalJson({ big: 1n }), TypeError, 'a bigint is refused as JSON.stringify refuses it');
});

t.test('appendMany is atomic and ordered; bad entries are refused with a code', async (t) => {
  const path = fresh();
  const log = open(path);
  const rs = await log.appendMany([{ event: 'received', transferId: 'x' }, { event: 'decided', transferId: 'x', verdict: 'allow' }, { event: 'queued', transferId: 'x' }]);
  t.same(rs.map((r) => r.seq), [1, 2, 3]);
  await t.rejects(log.appendMany([{ event: 'received' }, { event: 'teleported' as never }]), { code: 'AUDIT_ENTRY_INVALID' });
  await t.rejects(log.append({ event: 'received', size: -1 }), { code: 'AUDIT_ENTRY_INVALID' });
  await t.rejects(log.append({ event: 'received', size: 1.5 }), { code: 'AUDIT_ENTRY_INVALID' });
  await t.rejects(log.append({ event: 'decided', verdict: 'maybe' as never }), { code: 'AUDIT_ENTRY_INVALID' });
  await t.rejects(log.append({ event: 'received', source: 'a\u0000b' }), { code: 'AUDIT_ENTRY_INVALID' });
  await t.rejects(log.append({ event: 'received', rule: '\ud800' }), { code: 'AUDIT_ENTRY_INVALID' });
  await t.rejects(log.append({ event: 'received', details: [1, 2] as never }), { code: 'AUDIT_ENTRY_INVALID' });
  // JSON turns NaN into null, so that is what is stored (and it verifies)
  await log.append({ event: 'received', details: { n: Number.NaN } });
  t.equal(log.size, 4, 'nothing of the refused calls was written');
  t.same([...readRecords(path, { afterSeq: 3 })][0]!.details, { n: null });
  await log.close();
  await t.rejects(log.append({ event: 'received' }), { code: 'AUDIT_CLOSED' });
});

t.test('reopening continues the chain; another origin or a tampered tail is refused', async (t) => {
  const path = fresh();
  let log = open(path, { checkpointEvery: 10 });
  await Promise.all(Array.from({ length: 25 }, () => log.append({ event: 'received' })));
  await log.close();
  log = open(path, { checkpointEvery: 10 });
  t.equal((await log.append({ event: 'started' })).seq, 26);
  await log.appendMany(Array.from({ length: 14 }, () => ({ event: 'queued' as const })));
  // Crash-like end: no close, so records after the last checkpoint are replayed at reopen.
  const db = new Database(path, { readonly: true });
  t.equal(db.prepare('SELECT max(size) FROM checkpoints').pluck().get(), 40);
  db.close();
  await log.close();
  t.throws(() => open(path, { origin: 'ferry.gateway/other' }), { code: 'AUDIT_ORIGIN_MISMATCH' });

  log = open(path, { checkpointEvery: 1000 });
  await log.appendMany([{ event: 'received' }, { event: 'received' }]);
  await (log as unknown as { checkpoint(): Promise<unknown> }).checkpoint();
  await log.appendMany([{ event: 'received' }, { event: 'received' }]);
  // hard stop: leave records after the last checkpoint, then tamper with one
  const w = new Database(path);
  w.exec('DROP TRIGGER records_no_update');
  w.prepare("UPDATE records SET source = 'x/y' WHERE seq = 44").run();
  w.close();
  t.throws(() => open(path), { code: 'AUDIT_TAMPERED' }, 'the writer does not build on a tampered tail');
  await log.close().catch(() => {});
});

t.test('a write that fails is refused with FERRY_STORAGE_UNAVAILABLE and nothing is half-written', async (t) => {
  const path = fresh();
  const log = open(path);
  await log.append({ event: 'started' });
  // another writer takes seq 2 behind the log's back
  const w = new Database(path);
  w.prepare("INSERT INTO records (seq, time, event, prev_hash, hash) VALUES (2, '2026-01-01T00:00:00.000Z', 'started', 'x', 'y')").run();
  w.close();
  await t.rejects(log.appendMany([{ event: 'received' }, { event: 'received' }]), { code: 'FERRY_STORAGE_UNAVAILABLE', status: 503 });
  t.equal(log.size, 1);
  await log.close().catch(() => {});
});

t.test('checkpoints: every N records, on an interval, exported to a file, signed, consistent', async (t) => {
  const path = fresh();
  const exported = join(root, 'exported.checkpoint');
  const log = open(path, { checkpointEvery: 100, checkpointIntervalMs: 3_600_000, exportCheckpointsTo: exported });
  for (let i = 0; i < 5; i++) await Promise.all(Array.from({ length: 50 }, () => log.append({ event: 'received' })));
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  t.same(db.prepare('SELECT size FROM checkpoints ORDER BY size').pluck().all(), [100, 200], 'one per 100 records');
  t.equal(readFileSync(exported, 'utf8'), db.prepare('SELECT note FROM checkpoints WHERE size = 200').pluck().get(), 'exported as written');

  // A log with a short interval checkpoints records that never reach the count.
  const tpath = fresh();
  const timed = open(tpath, { checkpointEvery: 1_000_000, checkpointIntervalMs: 20 });
  await timed.appendMany(Array.from({ length: 7 }, () => ({ event: 'received' as const })));
  const tdb = new Database(tpath, { readonly: true });
  t.teardown(() => tdb.close());
  for (let i = 0; i < 500 && tdb.prepare('SELECT max(size) FROM checkpoints').pluck().get() !== 7; i++) await new Promise((r) => setTimeout(r, 20));
  t.equal(tdb.prepare('SELECT max(size) FROM checkpoints').pluck().get(), 7, 'the interval wrote a checkpoint');
  await timed.close();

  await log.appendMany(Array.from({ length: 50 }, () => ({ event: 'received' as const })));
  const forced = await log.checkpoint();
  t.equal(forced.size, 300);
  t.equal((await log.checkpoint()).note, forced.note, 'nothing new: the same checkpoint');
  const note = readFileSync(exported, 'utf8');
  t.equal(note, forced.note, 'the export file holds the latest checkpoint');
  const body = parseCheckpoint(openNote(note, verifiers).text);
  t.match(body, { origin: ORIGIN, size: 300 });
  await log.close();
});

t.test('each new checkpoint goes to the witness with its consistency proof; a dead witness blocks nothing', async (t) => {
  const bodies: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let b = '';
    req.setEncoding('utf8').on('data', (c: string) => (b += c)).on('end', () => {
      bodies.push(b);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/add-checkpoint`;
  const log = open(fresh(), { checkpointEvery: 1000, witnessUrl: url });
  await log.appendMany(Array.from({ length: 7 }, () => ({ event: 'received' as const })));
  const a = await log.checkpoint();
  await log.appendMany(Array.from({ length: 6 }, () => ({ event: 'received' as const })));
  const b = await log.checkpoint();
  await log.close();
  t.equal(bodies.length, 2);
  const m = /^old (\d+)\n((?:[A-Za-z0-9+/=]+\n)*)\n([\s\S]*)$/.exec(bodies[1]!);
  t.ok(m, 'tlog-witness body shape');
  t.equal(m![1], '7');
  t.equal(m![3], b.note, 'the signed checkpoint verbatim');
  const proof = m![2]!.split('\n').filter(Boolean).map((h) => Buffer.from(h, 'base64'));
  t.ok(verifyConsistency(7, 13, proof, a.root, b.root), 'the proof in the body checks');

  const warnings: unknown[] = [];
  const dead = openAuditLog(fresh(), { origin: ORIGIN, signer, witnessUrl: 'http://127.0.0.1:9/none', checkpointEvery: 2, logger: { warn: (o) => warnings.push(o), error: () => {} } });
  const rs = await Promise.all(Array.from({ length: 6 }, () => dead.append({ event: 'received' })));
  t.equal(rs.length, 6, 'appends resolved while the witness was unreachable');
  await dead.close();
  t.ok(warnings.length >= 1, 'the failure was logged');
});

t.test('the verifier key file', async (t) => {
  const f = join(root, 'gw.vkey');
  const vkey = writeVkeyFile(f, ORIGIN, privateKey);
  t.equal(readFileSync(f, 'utf8'), vkey + '\n');
  t.equal(statSync(f).mode & 0o777, 0o644, 'a public key, readable');
  t.match(vkey, /^ferry\.gateway\/gw-log\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
  t.same(parseVkey(vkey).keyId, verifiers[0]!.keyId);
});

t.test('verify reads a consistent snapshot of a log that is being written', async (t) => {
  const path = fresh();
  const log = open(path, { checkpointEvery: 50 });
  await log.appendMany(Array.from({ length: 600 }, (_, i) => ({ event: 'received' as const, size: i })));
  let writing = true;
  const writer = (async () => {
    while (writing) await log.appendMany(Array.from({ length: 20 }, () => ({ event: 'queued' as const })));
  })();
  for (let i = 0; i < 3; i++) {
    const r = await verifyLogFile(path, { verifiers, workers: 2, chunkSize: 256 });
    t.ok(r.ok, `run ${i}: ${JSON.stringify(r.failure)} (${r.records} records)`);
  }
  writing = false;
  await writer;
  await log.close();
  t.ok((await verifyLogFile(path, { verifiers })).ok);
});

t.test('a burst is committed in transactions of at most 2000 records, and checkpoint() waits for all of it', async (t) => {
  const log = open(fresh(), { checkpointEvery: 1_000_000 });
  const appends = Array.from({ length: 5000 }, (_, i) => log.append({ event: 'received', size: i }));
  const cp = log.checkpoint();
  const last = (await Promise.all(appends)).at(-1)!;
  t.equal(last.seq, 5000);
  t.equal(log.stats.commits, 3, '2000 + 2000 + 1000');
  t.equal((await cp).size, 5000, 'the forced checkpoint covers the whole burst');
  await log.close();
});
