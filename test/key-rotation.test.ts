// `ferry keys rotate`: a transfer sealed to the old key is delivered after the
// rotation, receipts name the new key, and `ferry log verify` with only the
// first public key follows the log across the rotation; a forged rotation
// record (a new key the old one never signed for) makes it fail.
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { rotationStatement, type KeyRotatedDetails } from '../gateway/audit/key-rotation.js';
import { readRecords } from '../gateway/audit/read-records.js';
import { encodeVkey, parseVkey } from '../gateway/audit/signed-note.js';
import { verifyLogFile } from '../gateway/audit/verify.js';
import { clientFor, putFile, sha256, startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

const ferry = new URL('../bin/ferry.js', import.meta.url).pathname;

t.test('a log spanning a key rotation verifies with the first key; a forged rotation does not', async (t) => {
  const pki = await makePki();
  const dir = await mkdtemp(join(tmpdir(), 'ferry-rotate-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const db = join(dataDir, 'audit.db');
  const dest = await startDestination(t, pki);
  dest.failWith = 503; // the first transfer waits in the spool, sealed to the old key, across the rotation
  const fx1 = await startTestGateway(t, { destinationPort: dest.port, dir });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body1 = Buffer.from('sealed before the rotation\n');
  const r1 = await putFile(sender, fx1.url('police'), body1, { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'ferry-filename': 'before.txt' });
  t.equal(r1.status, 202);
  await until(() => [...readRecords(db, { event: 'forwarded' })].some((f) => f.transferId === r1.json.id), 'a failed delivery attempt');
  await fx1.gw.stop();
  const firstKey = (await readFile(join(dataDir, 'keys', 'audit.vkey'), 'utf8')).trim();

  const out = execFileSync(process.execPath, [ferry, 'keys', 'rotate', '--data-dir', dataDir], { encoding: 'utf8' });
  t.match(out, /rotated at audit record \d+/);
  const rotated = [...readRecords(db, { event: 'key-rotated' })];
  t.equal(rotated.length, 1, 'the audit log records key-rotated');
  const details = rotated[0]!.details as unknown as KeyRotatedDetails;
  t.equal(details.old_key, firstKey, 'it names the old key');
  t.not(details.new_key, firstKey, 'and a new one');

  dest.failWith = null;
  const fx2 = await startTestGateway(t, { destinationPort: dest.port, dir });
  const got = await dest.waitFor(1);
  t.equal(got[0]!.sha256, sha256(body1), 'the spool file sealed to the old key is delivered after the rotation');
  const r2 = await putFile(sender, fx2.url('police'), Buffer.from('after\n'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'ferry-filename': 'after.txt' });
  t.equal(r2.status, 202);
  t.not(r2.json.receipt.key_id, r1.json.receipt.key_id, 'receipts name the key that signed them: the new one now');
  await dest.waitFor(2);
  const whileRunning = spawnSync(process.execPath, [ferry, 'keys', 'rotate', '--data-dir', dataDir], { encoding: 'utf8' });
  t.not(whileRunning.status, 0, 'no rotation while the gateway runs (the audit log has one writer)');
  t.match(whileRunning.stderr, new RegExp(`in use by pid ${process.pid}`));
  await fx2.gw.stop();

  const withFirst = await verifyLogFile(db, { verifiers: [parseVkey(firstKey)], workers: 0 });
  t.same(withFirst.failure, null, 'verify follows the log across the rotation with only the first key');
  t.ok(withFirst.ok);
  t.ok(withFirst.signaturesChecked >= 3, `${withFirst.signaturesChecked} checkpoint signatures checked, before and after the rotation`);
  const withNewOnly = await verifyLogFile(db, { verifiers: [parseVkey(details.new_key)], workers: 0 });
  t.equal(withNewOnly.failure?.check, 'checkpoint-signature', 'the new key alone does not vouch for the checkpoints before the rotation');

  // Forged: someone able to append (a compromised gateway) swaps in their own key,
  // keeping the old key's signature from the real rotation.
  const { privateKey: attacker } = generateKeyPairSync('ed25519');
  const keyName = parseVkey(firstKey).keyName;
  const attackerVkey = encodeVkey(keyName, attacker);
  const statement = rotationStatement(details.origin, details.new_key, attackerVkey);
  const forged: KeyRotatedDetails = { ...details, old_key: details.new_key, new_key: attackerVkey, new_signature: sign(null, statement, attacker).toString('base64') };
  const log = openAuditLog(db, { origin: keyName, signer: { keyName, privateKey: attacker } });
  const rec = await log.append({ event: 'key-rotated', principal: 'ferry://gateway/gw1', details: { ...forged } });
  await log.close();
  const report = await verifyLogFile(db, { verifiers: [parseVkey(firstKey)], workers: 0 });
  t.equal(report.ok, false, 'a forged rotation record makes the log fail');
  t.equal(report.failure?.check, 'key-rotation');
  t.equal(report.failure?.seq, rec.seq, 'at the forged record');
  t.match(report.failure?.message, /old key's signature on the key rotation does not verify/);
});
