// One test per tampering class: each edits a real audit database the way an
// attacker with file access would (dropping the append-only triggers first)
// and checks that verify fails naming the right record and check.
import Database from 'better-sqlite3';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { MerkleFrontier, leafHash } from '../gateway/audit/merkle.js';
import { encodeVkey, parseVkey, signNote } from '../gateway/audit/signed-note.js';
import { verifyLogFile, type VerifyOptions } from '../gateway/audit/verify.js';

const ORIGIN = 'ferry.gateway/gw-tamper';
const dir = mkdtempSync(join(tmpdir(), 'ferry-audit-tamper-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const { privateKey } = generateKeyPairSync('ed25519');
const signer = { keyName: ORIGIN, privateKey };
const verifiers = [parseVkey(encodeVkey(ORIGIN, privateKey))];
const exported = join(dir, 'exported.checkpoint');

function entry(i: number) {
  return {
    event: (['received', 'decided', 'inspected', 'queued', 'forwarded', 'delivered'] as const)[i % 6]!,
    transferId: `0192f1c4-7a00-7000-8000-${String(Math.floor(i / 6)).padStart(12, '0')}`,
    principal: 'ferry://police/records', source: 'police/records', destination: 'extranet/archive',
    size: 1000 + i, sha256: createHash('sha256').update(String(i)).digest('hex'),
    verdict: i % 6 === 1 ? ('allow' as const) : null, rule: i % 6 === 1 ? 'allow-records' : null,
    policyHash: i % 6 === 1 ? 'ab'.repeat(32) : null,
    details: i % 6 === 1 ? { stage: 'after', facts: { label: 'internal', size: 1000 + i }, findings: [], counters: { perMinute: i } } : null,
  };
}

async function build(path: string, from: number, to: number): Promise<void> {
  const log = openAuditLog(path, { origin: ORIGIN, signer, checkpointEvery: 50, exportCheckpointsTo: exported });
  for (let i = from; i < to; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => log.append(entry(i + k))));
  await log.close();
}

// The honest log: 200 records, a copy of it kept (for the rollback case), then 100 more.
const honest = join(dir, 'honest.db');
const old = join(dir, 'old-copy.db');
await build(honest, 0, 200);
copyFileSync(honest, old);
await build(honest, 200, 300);

let n = 0;
/** A copy of the honest log opened as an attacker would: triggers dropped. */
function attack(edit: (db: Database.Database) => void): string {
  const path = join(dir, `tampered-${n++}.db`);
  copyFileSync(honest, path);
  const db = new Database(path);
  for (const tbl of ['records', 'tree_nodes', 'checkpoints']) db.exec(`DROP TRIGGER ${tbl}_no_update; DROP TRIGGER ${tbl}_no_delete;`);
  edit(db);
  db.close();
  return path;
}

const withKey: VerifyOptions = { verifiers };

type Row = Record<string, unknown> & { seq: number };

// The record hash, written from docs/audit-log.md alone: RFC 8785 of the
// thirteen members (details parsed, keys sorted), prefixed with prev_hash.
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
function docHash(prevHex: string, r: Row): string {
  const obj: Record<string, unknown> = {};
  for (const k of ['destination', 'details', 'event', 'policy_hash', 'principal', 'rule', 'seq', 'sha256', 'size', 'source', 'time', 'transfer_id', 'verdict']) {
    obj[k] = k === 'details' ? (r.details === null ? null : JSON.parse(r.details as string)) : r[k];
  }
  return createHash('sha256').update(Buffer.from(prevHex, 'hex')).update(JSON.stringify(sortKeys(obj))).digest('hex');
}

/** Recompute prev_hash/hash of every record from `from` on, as a capable attacker would. */
function rechain(db: Database.Database, from: number): void {
  const rows = db.prepare('SELECT * FROM records WHERE seq >= ? ORDER BY seq').all(from) as Row[];
  let prev = (db.prepare('SELECT hash FROM records WHERE seq = ?').pluck().get(from - 1) as string | undefined) ?? '00'.repeat(32);
  const upd = db.prepare('UPDATE records SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const h = docHash(prev, r);
    upd.run(prev, h, r.seq);
    prev = h;
  }
}

t.test('the honest log verifies, with signatures and against the exported checkpoint', async (t) => {
  const r = await verifyLogFile(honest, { verifiers, against: readFileSync(exported, 'utf8') });
  t.ok(r.ok, JSON.stringify(r.failure));
  t.equal(r.records, 300);
  t.equal(r.checkpoints, 6);
  t.equal(r.signaturesChecked, 6);
  t.equal(r.againstSize, 300);
  // The documented encoding reproduces every stored hash.
  const db = new Database(honest, { readonly: true });
  let prev = '00'.repeat(32);
  for (const row of db.prepare('SELECT * FROM records ORDER BY seq').all() as Row[]) {
    t.equal(docHash(prev, row), row.hash, `seq ${row.seq} hash from the docs`);
    prev = row.hash as string;
    if (row.seq > 12) break;
  }
  db.close();
});

t.test('triggers refuse UPDATE and DELETE', async (t) => {
  const db = new Database(honest);
  t.throws(() => db.prepare("UPDATE records SET destination = 'x/y' WHERE seq = 5").run(), /append-only: UPDATE refused/);
  t.throws(() => db.prepare('DELETE FROM records WHERE seq = 5').run(), /append-only: DELETE refused/);
  t.throws(() => db.prepare('DELETE FROM checkpoints').run(), /append-only: DELETE refused/);
  t.throws(() => db.prepare('UPDATE tree_nodes SET hash = x\'00\'').run(), /append-only: UPDATE refused/);
  db.close();
});

t.test('a changed field, whichever it is, is named at its seq', async (t) => {
  const edits: [number, string, unknown, string?][] = [
    [137, 'destination', 'extranet/elsewhere'], [2, 'details', '{"counters":{"perMinute":1},"facts":{"label":"public","size":1001},"findings":[],"stage":"after"}'],
    [44, 'size', 1], [91, 'verdict', 'deny'], [250, 'time', '2020-01-01T00:00:00.000Z', 'record-format'], [251, 'time', '2999-01-01T00:00:00.000Z'], [299, 'principal', 'ferry://police/other'],
    [300, 'sha256', '00'.repeat(32)], [8, 'rule', 'some-other-rule'],
  ];
  for (const [seq, col, value, check = 'record-hash'] of edits) {
    const path = attack((db) => db.prepare(`UPDATE records SET ${col} = ? WHERE seq = ?`).run(value, seq));
    const r = await verifyLogFile(path, withKey);
    t.notOk(r.ok, `${col} changed`);
    t.equal(r.failure?.seq, seq, `${col}: names seq ${seq}`);
    t.equal(r.failure?.check, check, `${col}: ${r.failure?.message}`);
  }
  const bad = attack((db) => db.prepare("UPDATE records SET event = 'teleported' WHERE seq = 33").run());
  const r = await verifyLogFile(bad, withKey);
  t.match(r.failure, { seq: 33, check: 'record-format' });
});

t.test('a changed field is found the same way across worker threads', async (t) => {
  const path = attack((db) => db.prepare("UPDATE records SET source = 'police/other' WHERE seq = 270").run());
  const r = await verifyLogFile(path, { ...withKey, workers: 2, chunkSize: 256 });
  t.match(r.failure, { seq: 270, check: 'record-hash' });
  const progress: number[] = [];
  const ok = await verifyLogFile(honest, { ...withKey, workers: 2, chunkSize: 256, onProgress: (n, total) => progress.push(n, total) });
  t.ok(ok.ok, JSON.stringify(ok.failure));
  t.same(progress, [256, 300, 300, 300], 'progress after each range');
  t.equal(ok.checkpoints, 6);
});

t.test('a deleted record is named', async (t) => {
  const path = attack((db) => db.prepare('DELETE FROM records WHERE seq = 137').run());
  t.match((await verifyLogFile(path, withKey)).failure, { seq: 137, check: 'seq' });

  // ...also when the attacker renumbers the rest to close the gap
  const renumbered = attack((db) => {
    db.prepare('DELETE FROM records WHERE seq = 137').run();
    const upd = db.prepare('UPDATE records SET seq = ? WHERE seq = ?');
    for (let s = 138; s <= 300; s++) upd.run(s - 1, s);
  });
  t.match((await verifyLogFile(renumbered, withKey)).failure, { seq: 137, check: 'chain-link' });
});

t.test('an inserted record is named', async (t) => {
  const path = attack((db) => {
    const upd = db.prepare('UPDATE records SET seq = ? WHERE seq = ?');
    for (let s = 300; s >= 137; s--) upd.run(s + 1, s);
    const { hash: prev, time } = db.prepare('SELECT hash, time FROM records WHERE seq = 136').get() as { hash: string; time: string };
    const forged: Row = {
      seq: 137, time, transfer_id: 'forged', event: 'delivered', principal: null, source: 'police/records',
      destination: 'extranet/archive', size: 1, sha256: null, verdict: null, rule: null, policy_hash: null, details: null,
    };
    db.prepare('INSERT INTO records (seq, time, transfer_id, event, principal, source, destination, size, sha256, verdict, rule, policy_hash, details, prev_hash, hash) VALUES (@seq, @time, @transfer_id, @event, @principal, @source, @destination, @size, @sha256, @verdict, @rule, @policy_hash, @details, @prev_hash, @hash)')
      .run({ ...forged, prev_hash: prev, hash: docHash(prev, forged) });
  });
  t.match((await verifyLogFile(path, withKey)).failure, { seq: 137, check: 'inserted' });
});

t.test('two swapped records are named at the first', async (t) => {
  const path = attack((db) => {
    const cols = ['time', 'transfer_id', 'event', 'principal', 'source', 'destination', 'size', 'sha256', 'verdict', 'rule', 'policy_hash', 'details', 'prev_hash', 'hash'];
    const a = db.prepare('SELECT * FROM records WHERE seq = 120').get() as Row;
    const b = db.prepare('SELECT * FROM records WHERE seq = 180').get() as Row;
    const upd = db.prepare(`UPDATE records SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE seq = @seq`);
    upd.run({ ...b, seq: 120 });
    upd.run({ ...a, seq: 180 });
  });
  t.match((await verifyLogFile(path, withKey)).failure, { seq: 120, check: 'chain-link' });
});

t.test('a truncated tail is named, given a later checkpoint', async (t) => {
  // Records only: the stored checkpoints still cover them.
  const recordsOnly = attack((db) => db.prepare('DELETE FROM records WHERE seq > 250').run());
  t.match((await verifyLogFile(recordsOnly, withKey)).failure, { seq: 251, check: 'truncated' });

  // Everything after 250: the database alone is self-consistent again...
  const clean = attack((db) => {
    db.prepare('DELETE FROM records WHERE seq > 250').run();
    db.prepare('DELETE FROM checkpoints WHERE size > 250').run();
    db.prepare('DELETE FROM tree_nodes WHERE (idx + 1) * (1 << level) > 250').run();
  });
  t.ok((await verifyLogFile(clean, withKey)).ok, 'without an outside checkpoint, a clean truncation cannot be seen');
  // ...but not against the checkpoint exported elsewhere.
  const r = await verifyLogFile(clean, { ...withKey, against: readFileSync(exported, 'utf8') });
  t.match(r.failure, { seq: 251, check: 'truncated' });
  t.match(r.failure?.message, /records 251\.\.300 are gone/);
});

t.test('a whole file rolled back to an earlier copy is named, given a later checkpoint', async (t) => {
  t.ok((await verifyLogFile(old, withKey)).ok, 'the old copy is a valid log by itself');
  const r = await verifyLogFile(old, { ...withKey, against: readFileSync(exported, 'utf8') });
  t.match(r.failure, { seq: 201, check: 'truncated' });
});

t.test('a forged checkpoint over rewritten records is named', async (t) => {
  const attacker = generateKeyPairSync('ed25519').privateKey;
  const path = attack((db) => {
    db.prepare("UPDATE records SET destination = 'extranet/leak' WHERE seq = 137").run();
    rechain(db, 137);
    forgeTree(db, attacker, 101);
  });
  const r = await verifyLogFile(path, withKey);
  t.match(r.failure, { seq: 150, check: 'checkpoint-signature' }, String(r.failure?.message));
  t.ok((await verifyLogFile(path)).ok, 'without the public key, a forged checkpoint cannot be told apart');

  // The same rewrite that leaves the signed checkpoints alone is caught by the
  // first one after it, naming the range since the one before.
  const lazy = attack((db) => {
    db.prepare("UPDATE records SET destination = 'extranet/leak' WHERE seq = 137").run();
    rechain(db, 137);
  });
  const lr = await verifyLogFile(lazy, withKey);
  t.match(lr.failure, { seq: 101, check: 'checkpoint-root' });
  t.match(lr.failure?.message, /records 101\.\.150/);
});

/** Rebuild tree nodes and re-sign every checkpoint from `fromSize` on with the attacker's key. */
function forgeTree(db: Database.Database, key: KeyObject, fromSize: number): void {
  const hashes = db.prepare('SELECT hash FROM records ORDER BY seq').pluck().all() as string[];
  const sizes = new Set(db.prepare('SELECT size FROM checkpoints WHERE size >= ?').pluck().all(fromSize) as number[]);
  db.prepare('DELETE FROM tree_nodes').run();
  db.prepare('DELETE FROM checkpoints WHERE size >= ?').run(fromSize);
  const f = new MerkleFrontier(0, [], 8);
  for (const h of hashes) {
    const nodes: { level: number; idx: number; hash: Buffer }[] = [];
    f.push(leafHash(Buffer.from(h, 'hex')), nodes);
    for (const nd of nodes) db.prepare('INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)').run(nd.level, nd.idx, nd.hash);
    if (sizes.has(f.size)) {
      const root = f.root();
      const note = signNote(`${ORIGIN}\n${f.size}\n${root.toString('base64')}\n`, { keyName: ORIGIN, privateKey: key });
      db.prepare('INSERT INTO checkpoints (size, time, root, note, frontier) VALUES (?, ?, ?, ?, ?)').run(f.size, new Date().toISOString(), root.toString('base64'), note, f.serialize());
    }
  }
}

t.test('a file rolled back and then written on (a fork) is caught against a later checkpoint', async (t) => {
  const forked = join(dir, 'forked.db');
  copyFileSync(old, forked);
  // The gateway, restarted on the old copy, writes 100 other records and signs them.
  const log = openAuditLog(forked, { origin: ORIGIN, signer, checkpointEvery: 50 });
  for (let i = 0; i < 100; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => log.append({ ...entry(200 + i + k), destination: 'extranet/forked' })));
  await log.close();
  t.ok((await verifyLogFile(forked, withKey)).ok, 'by itself the fork is a valid, signed log');
  const r = await verifyLogFile(forked, { ...withKey, against: readFileSync(exported, 'utf8') });
  t.match(r.failure, { seq: 300, check: 'against' }, String(r.failure?.message));
});
