// Proofs end to end through the built `ferry log` program: prove a transfer,
// check the proof with only the public key (and fail with another key or an
// altered proof), consistency proofs between checkpoints, and verify's exit
// codes and messages.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import t from 'tap';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { checkProofText } from '../gateway/audit/check-proof.js';
import { proveTransfer, type ProofFile } from '../gateway/audit/prove.js';
import { openAuditStorage } from '../gateway/audit/open-audit-storage.js';
import { encodeVkey, parseVkey, writeVkeyFile } from '../gateway/audit/signed-note.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
const ORIGIN = 'ferry.gateway/gw-proof';

function ferry(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [FERRY, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'ferry-audit-proof-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'audit.db');
const { privateKey } = generateKeyPairSync('ed25519');
const vkeyFile = join(dir, 'gw.vkey');
const vkey = writeVkeyFile(vkeyFile, ORIGIN, privateKey);
const otherVkeyFile = join(dir, 'other.vkey');
writeVkeyFile(otherVkeyFile, ORIGIN, generateKeyPairSync('ed25519').privateKey);
const exported = join(dir, 'gw.checkpoint');
const T = '0192f1c4-7a00-7000-8000-00000000abcd';

const log = openAuditLog(db, { origin: ORIGIN, signer: { keyName: ORIGIN, privateKey }, checkpointEvery: 100, exportCheckpointsTo: exported });
for (let i = 0; i < 333; i++) {
  const mine = i % 50 === 7;
  await log.append({
    event: mine ? (['received', 'decided', 'queued', 'forwarded', 'delivered', 'delivered', 'delivered'] as const)[Math.floor(i / 50)]! : 'received',
    transferId: mine ? T : `other-${i}`, source: 'police/records', destination: 'extranet/archive', size: i,
    details: mine ? { stage: 'after', facts: { label: 'internal' }, findings: [{ kind: 'personal-data', sub: 'cn-mobile', offset: 12, sample: '138****0000' }] } : null,
  });
}
await log.close();

t.test('prove a transfer, check it with the public key only', async (t) => {
  const out = join(dir, 't.proof');
  const p = await ferry(['log', 'prove', '--db', db, T, '--out', out]);
  t.equal(p.code, 0, p.stderr);
  const proof = JSON.parse(readFileSync(out, 'utf8')) as ProofFile;
  t.equal(proof.treeSize, 333);
  t.same(proof.records.map((r) => r.record.seq), [8, 58, 108, 158, 208, 258, 308]);
  t.same(proof.pending, []);
  t.match(proof.records[1]!.record.details, { findings: [{ kind: 'personal-data' }] });
  t.match(proof.records[0]!.tlogProof, /^c2sp\.org\/tlog-proof@v1\nextra [A-Za-z0-9+/=]+\nindex 7\n/);

  const ok = await ferry(['log', 'check-proof', out, '--pubkey', vkey]);
  t.equal(ok.code, 0, ok.stdout + ok.stderr);
  t.match(ok.stdout, /^ok: seq 8, 58, 108, 158, 208, 258, 308 included in ferry\.gateway\/gw-proof at tree size 333/);

  const wrong = await ferry(['log', 'check-proof', out, '--pubkey-file', otherVkeyFile]);
  t.equal(wrong.code, 1, 'another key: refused');
  t.match(wrong.stdout, /INVALID: .*no signature by a known key/);

  const none = await ferry(['log', 'check-proof', out]);
  t.not(none.code, 0, 'no key: refused');
});

t.test('an altered proof or record is refused', async (t) => {
  const conn = await openAuditStorage(db);
  const proof = await proveTransfer(conn, T);
  await conn.close();
  const verifiers = [parseVkey(vkey)];
  t.match(checkProofText(JSON.stringify(proof), verifiers), { kind: 'inclusion', treeSize: 333 });
  const alter = (f: (p: ProofFile) => void): string => {
    const copy = JSON.parse(JSON.stringify(proof)) as ProofFile;
    f(copy);
    return JSON.stringify(copy);
  };
  const cases: [string, (p: ProofFile) => void][] = [
    ['record shown differs', (p) => { p.records[2]!.record.destination = 'extranet/elsewhere'; }],
    ['details shown differ', (p) => { p.records[1]!.record.details = { stage: 'before' }; }],
    ['proof hash changed', (p) => { p.records[3]!.tlogProof = p.records[3]!.tlogProof.replace(/\nindex 157\n(.)/, (_m, c: string) => `\nindex 157\n${c === 'A' ? 'B' : 'A'}`); }],
    ['index moved', (p) => { p.records[0]!.tlogProof = p.records[0]!.tlogProof.replace('index 7\n', 'index 8\n'); }],
    ['checkpoint root changed', (p) => { p.checkpoint = p.checkpoint.replace('\n333\n', '\n334\n'); }],
    ['transfer id changed', (p) => { p.transferId = 'other'; }],
  ];
  for (const [what, f] of cases) t.throws(() => checkProofText(alter(f), verifiers), { code: /PROOF_INVALID|NOTE_SIGNATURE_INVALID|PROOF_MALFORMED/ }, what);
  const file = join(dir, 'bent.proof');
  writeFileSync(file, alter(cases[0]![1]));
  const r = await ferry(['log', 'check-proof', file, '--pubkey-file', vkeyFile]);
  t.equal(r.code, 1);
  t.match(r.stdout, /INVALID: the record shown for seq 108 is not the record proven/);
});

t.test('consistency proofs between stored checkpoints', async (t) => {
  const out = join(dir, 'c.proof');
  const r = await ferry(['log', 'consistency', '--db', db, '--from', '100', '--to', '333', '--out', out]);
  t.equal(r.code, 0, r.stderr);
  const ok = await ferry(['log', 'check-proof', out, '--pubkey-file', vkeyFile]);
  t.equal(ok.code, 0, ok.stdout);
  t.match(ok.stdout, /tree size 333 extends tree size 100/);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as { proof: string[] };
  doc.proof[0] = Buffer.alloc(32).toString('base64');
  writeFileSync(out, JSON.stringify(doc));
  t.equal((await ferry(['log', 'check-proof', out, '--pubkey-file', vkeyFile])).code, 1, 'an altered consistency proof is refused');
  const missing = await ferry(['log', 'consistency', '--db', db, '--from', '150', '--to', '333']);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /No stored checkpoint at size 150; the latest are at 333, 300, 200, 100/);
});

t.test('ferry log verify: exit codes and what it prints', async (t) => {
  const ok = await ferry(['log', 'verify', '--db', db, '--pubkey-file', vkeyFile, '--against', exported]);
  t.equal(ok.code, 0, ok.stdout + ok.stderr);
  t.match(ok.stdout, /^ok: 333 records, 1 Merkle nodes, 4 checkpoints \(4 signatures checked\), contains the exported checkpoint of size 333/);
  const nokey = await ferry(['log', 'verify', '--db', db]);
  t.match(nokey.stdout, /signatures NOT checked/);

  const bad = join(dir, 'bad.db');
  writeFileSync(bad, readFileSync(db));
  const w = new Database(bad);
  w.exec('DROP TRIGGER records_no_update');
  w.prepare("UPDATE records SET destination = 'extranet/leak' WHERE seq = 208").run();
  w.close();
  const r = await ferry(['log', 'verify', '--db', bad, '--pubkey-file', vkeyFile]);
  t.equal(r.code, 1);
  t.match(r.stdout, /^FAILED at seq 208 \(record-hash\)/);
  const json = await ferry(['log', 'verify', '--db', bad, '--json']);
  t.match(JSON.parse(json.stdout), { ok: false, failure: { seq: 208, check: 'record-hash' }, records: 207 });

  const usage = await ferry(['log', 'verify', '--db', join(dir, 'absent.db')]);
  t.equal(usage.code, 2, 'a missing file is a usage error, not a verdict');
  const help = await ferry(['log', 'verify', '--help']);
  t.match(help.stdout, /Examples:\n\s+ferry log verify --db/);
  t.equal(encodeVkey(ORIGIN, privateKey), vkey);
});
