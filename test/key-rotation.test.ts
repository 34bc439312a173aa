// `ferry keys rotate`: a transfer sealed to the old key is delivered after the
// rotation, receipts name the new key, and `ferry log verify` with only the
// first public key follows the log across the rotation; a forged rotation
// record (a new key the old one never signed for) makes it fail.
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import Database from 'better-sqlite3';
import { access, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import t from 'tap';
import { Agent, request } from 'undici';
import { openAuditLog, type AuditLog } from '../gateway/audit/audit-log.js';
import { parseGatewayConfig } from '../gateway/config/gateway-config.js';
import { startGateway } from '../gateway/gateway.js';
import { createLogger } from '../gateway/log/logger.js';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { MessageSeal } from '../gateway/spool/message-seal.js';
import { runFerry } from './helpers/ferry-process.js';
import { makeRotationDetails, rotationStatement, type KeyRotatedDetails } from '../gateway/audit/key-rotation.js';
import { generateKeyMaterial, loadOrCreateGatewayKeys, x25519Public } from '../gateway/keys/gateway-keys.js';
import { finishStagedRotation, stageKeys } from '../gateway/keys/staged-keys.js';
import { rotateOnDisk } from '../gateway/keys/rotation-order.js';
import { FerryError } from '../protocol/errors.js';
import { readRecords } from '../gateway/audit/read-records.js';
import { encodeVkey, parseVkey, rawPublicKey } from '../gateway/audit/signed-note.js';
import { keyIdOf } from '../protocol/receipt.js';
import { verifyLogFile } from '../gateway/audit/verify.js';
import { segmentFiles, verifySegments } from '../gateway/audit/verify-segments.js';
import { SEGMENTS_DIR } from '../gateway/audit/segments.js';
import { clientFor, gatewayYaml, putFile, sha256, startDestination, startTestGateway, until, type Tap } from './helpers/gateway-fixture.js';
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

t.test('a running gateway rotates its keys under a steady load of uploads: none fails, every one is delivered', async (t) => {
  const pki = await makePki();
  const [alice, bob] = await Promise.all([pki.issue('ferry://admin/alice', 'admin-alice'), pki.issue('ferry://admin/bob', 'admin-bob')]);
  const dest = await startDestination(t, pki);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-live-rotate-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY, 'utf8'));
  // The operational log at info level, kept, to show no key material reaches it.
  const logLines: string[] = [];
  const logSink = new Writable({ write(chunk, _enc, cb) { logLines.push(String(chunk)); cb(); } });
  const text = gatewayYaml(pki, dir, { destinationPort: dest.port, administrators: '{ alice: sysadmin, bob: auditor }', extra: 'limits: { idle_timeout: 10m }' })
    .replace('checkpoint_every: 100', 'checkpoint_every: 7'); // checkpoints all through the load, around the rotation too
  const gw = await startGateway(parseGatewayConfig(text, join(dir, 'gateway.yaml')), { log: createLogger({ level: 'info', destination: logSink }) });
  t.teardown(() => gw.stop());
  const dataDir = join(dir, 'data');
  const db = join(dataDir, 'audit.db');
  const firstKey = (await readFile(join(dataDir, 'keys', 'audit.vkey'), 'utf8')).trim();
  const url = `https://127.0.0.1:${gw.ports.police}`;
  const admin = (c: { certPath: string; keyPath: string }): Record<string, string> => ({ FERRY_ADMIN: `https://127.0.0.1:${gw.adminApiPort}`, FERRY_ADMIN_CERT: c.certPath, FERRY_ADMIN_KEY: c.keyPath, FERRY_CA: pki.caCertPath });
  const creds = pki.system('ferry://police/sys1');
  const sender = clientFor(t, pki, creds);

  // A message body sealed in the queue database before the rotation.
  const messageId = '0190b6a0-0000-7000-8000-000000000001';
  const sealedBefore = await gw.context.messageSeal.seal(messageId, Buffer.from('a message body sealed before'));

  interface Upload { started: number; done: number; status: number; keyId: string; body: Buffer }
  const uploads: Upload[] = [];
  let phase = 0; // 0 before the rotation is asked, 1 while it runs, 2 once it has answered
  let stop = false;
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const body = Buffer.from(`worker ${w} upload ${i}\n`);
      const started = phase;
      const r = await putFile(sender, url, body, { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'ferry-filename': `w${w}-${i}.txt` });
      uploads.push({ started, done: phase, status: r.status, keyId: String(r.json.receipt?.key_id), body });
      await new Promise((r) => setTimeout(r, 100)); // steady, not flooding: the test counts on delivery of each
    }
  };
  // One upload whose body trickles in across the rotation: its spool file is sealed to the old key.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const slowBody = [Buffer.from('first half of a slow upload\n'), Buffer.from('second half, sent after the rotation\n')];
  const slow = putFile(clientFor(t, pki, creds), url, Readable.from((async function* () {
    yield slowBody[0]!;
    await released;
    yield slowBody[1]!;
  })()), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'ferry-filename': 'slow.txt' });
  const workers = [worker(1), worker(2)];
  await until(() => uploads.length >= 6 && (gw.context.audit as AuditLog).stats.lastCheckpoint > 0, 'uploads under way and a checkpoint by the first key', 120_000);

  const asBob = new Agent({ connect: { ca: pki.caCert, cert: bob.cert, key: bob.key } });
  const refused = await request(`https://127.0.0.1:${gw.adminApiPort}/v1/admin/keys/rotate`, { method: 'POST', dispatcher: asBob });
  const refusedBody = await refused.body.text();
  await asBob.close();
  t.equal(refused.statusCode, 403, 'an auditor may not rotate the keys');
  t.match(refusedBody, /FERRY_FORBIDDEN.*auditor may not rotate keys/);
  phase = 1;
  const rotated = await runFerry(['keys', 'rotate'], { env: admin(alice) });
  phase = 2;
  t.equal(rotated.code, 0, rotated.stderr);
  const seq = Number(/rotated at audit record (\d+)/.exec(rotated.stdout)?.[1]);
  const newKey = /new key {2}(\S+)/.exec(rotated.stdout)?.[1];
  t.match(rotated.stdout, `old key  ${firstKey}`);
  t.ok(newKey && newKey !== firstKey, 'a new key');
  t.equal((await readFile(join(dataDir, 'keys', 'audit.vkey'), 'utf8')).trim(), newKey, 'audit.vkey names the new key');
  const atRotation = uploads.length;
  await until(() => uploads.filter((u) => u.started === 2).length >= 6, 'uploads after the rotation', 120_000);
  release();
  stop = true;
  await Promise.all(workers);
  const slowAnswer = await slow;
  t.equal(slowAnswer.status, 202, 'the upload in flight across the rotation is accepted');
  t.ok(atRotation >= 6, `${atRotation} uploads before the rotation answered, ${uploads.length - atRotation} after`);
  t.same(uploads.filter((u) => u.status !== 202).map((u) => u.status), [], 'no upload failed');

  // A receipt's key_id is its own (protocol/receipt.ts), not the audit note's key ID.
  const oldId = keyIdOf(rawPublicKey(parseVkey(firstKey).publicKey));
  const newId = keyIdOf(rawPublicKey(parseVkey(newKey!).publicKey));
  t.ok(uploads.filter((u) => u.done === 0).every((u) => u.keyId === oldId), 'receipts before the rotation name the old key id');
  t.ok(uploads.filter((u) => u.started === 2).every((u) => u.keyId === newId), 'receipts after it name the new key id');
  t.ok(uploads.every((u) => u.keyId === oldId || u.keyId === newId), 'those during it name one of the two');

  const got = await dest.waitFor(uploads.length + 1, 120_000);
  const want = [...uploads.map((u) => sha256(u.body)), sha256(Buffer.concat(slowBody))].sort();
  t.same(got.map((g) => g.sha256).sort(), want, 'every accepted upload was delivered, the one sealed to the old key too');
  t.equal((await gw.context.messageSeal.open(messageId, sealedBefore)).toString(), 'a message body sealed before', 'a message body sealed before the rotation still opens');
  const fresh = new MessageSeal(gw.context.sodium, gw.context.keys, gw.context.queue.messages);
  t.equal((await fresh.open(messageId, sealedBefore)).toString(), 'a message body sealed before', 'with the retired sealing key, not only a cached data key');
  t.equal(rotatedRecord(db).details?.new_seal_public, gw.context.keys.sealPublicKey.toString('base64'), 'new sealing uses the key the record names');

  // Key files: private ones 0600, and nothing secret in the operational log.
  const keysDir = join(dataDir, 'keys');
  const retired = (await readdir(join(keysDir, 'retired')));
  t.equal(retired.length, 1, 'the old keys are kept under keys/retired/');
  t.ok(retired[0]!.endsWith(parseVkey(firstKey).keyId.toString('hex')), 'named after the old key');
  for (const f of [join(keysDir, 'signing.key'), join(keysDir, 'seal.key'), join(keysDir, 'retired', retired[0]!, 'signing.key'), join(keysDir, 'retired', retired[0]!, 'seal.key')]) {
    t.equal((await stat(f)).mode & 0o777, 0o600, `${f.slice(dataDir.length)} is 0600`);
  }
  await access(join(keysDir, 'next')).then(() => t.fail('keys/next/ left behind'), () => t.pass('nothing staged is left'));
  const secrets = [
    (await readFile(join(keysDir, 'signing.key'), 'utf8')).split('\n')[1]!, (await readFile(join(keysDir, 'seal.key'))).toString('base64'),
    (await readFile(join(keysDir, 'retired', retired[0]!, 'signing.key'), 'utf8')).split('\n')[1]!,
  ];
  const logged = logLines.join('') + rotated.stdout + rotated.stderr;
  t.match(logged, /gateway keys rotated/, 'the rotation is in the operational log');
  t.ok(secrets.every((s) => s.length > 20 && !logged.includes(s)), 'no private key in the log or the command output');

  await gw.stop();
  const rec = rotatedRecord(db);
  t.equal(rec.seq, seq);
  t.equal(rec.principal, 'ferry://admin/alice', 'the record names who asked');
  const check = new Database(db, { readonly: true });
  const sizes = check.prepare('SELECT size FROM checkpoints ORDER BY size').pluck().all() as number[];
  check.close();
  t.ok(sizes.some((s) => s < seq) && sizes.some((s) => s > seq), `checkpoints before and after the rotation record (${seq}): ${sizes.join(' ')}`);
  const verified = await runFerry(['log', 'verify', '--db', db, '--pubkey', firstKey, '--json']);
  t.equal(verified.code, 0, verified.stdout + verified.stderr);
  t.ok(JSON.parse(verified.stdout).signaturesChecked >= 2, '`ferry log verify` with only the first key follows the log across the rotation');

  // A forged rotation appended after it (a key the new key never signed for): the log fails at that record.
  const { privateKey: attacker } = generateKeyPairSync('ed25519');
  const keyName = parseVkey(firstKey).keyName;
  const attackerVkey = encodeVkey(keyName, attacker);
  const real = rec.details as unknown as KeyRotatedDetails;
  const statement = rotationStatement(real.origin, newKey!, attackerVkey);
  const log = openAuditLog(db, { origin: keyName, signer: { keyName, privateKey: attacker } });
  const forged = await log.append({ event: 'key-rotated', principal: 'ferry://gateway/gw1', details: { ...real, old_key: newKey!, new_key: attackerVkey, old_signature: real.new_signature, new_signature: sign(null, statement, attacker).toString('base64') } });
  await log.close();
  const bad = await verifyLogFile(db, { verifiers: [parseVkey(firstKey)], workers: 0 });
  t.equal(bad.ok, false, 'a forged rotation record fails verification');
  t.equal(bad.failure?.check, 'key-rotation');
  t.equal(bad.failure?.seq, forged.seq, 'at the forged record');
});

function rotatedRecord(db: string): { seq: number; principal: string | null; details: Record<string, unknown> | null } {
  const all = [...readRecords(db, { event: 'key-rotated' })];
  return all[all.length - 1] as never;
}

/** A gateway's keys directory (with its keys made) and where its audit log goes, in a directory of its own. */
async function keysOfStoppedGateway(t: Tap) {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-staged-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const keysDir = join(dir, 'keys');
  const old = await loadOrCreateGatewayKeys(keysDir, 'gw1');
  const oldPem = await readFile(join(keysDir, 'signing.key'), 'utf8');
  return { keysDir, db: join(dir, 'audit.db'), keyName: 'ferry.gateway/gw1', old, oldPem };
}

t.test('a rotation cut short by a crash: staged keys are promoted only when the log records them', async (t) => {
  const { keysDir, db, keyName, old, oldPem } = await keysOfStoppedGateway(t);

  // Crashed after staging, before the record: the rotation never happened.
  const dropped = generateKeyMaterial();
  await stageKeys(keysDir, dropped.signingKey, dropped.sealSecretKey);
  t.equal(await finishStagedRotation(keysDir, db, keyName), 'discarded');
  t.equal(await readFile(join(keysDir, 'signing.key'), 'utf8'), oldPem, 'the keys in use stay');
  await t.rejects(access(join(keysDir, 'next')), 'nothing staged is left');

  // Crashed after the record, before the rename: the rotation is completed at start.
  const kept = generateKeyMaterial();
  await stageKeys(keysDir, kept.signingKey, kept.sealSecretKey);
  const log = openAuditLog(db, { origin: keyName, signer: { keyName, privateKey: old.signingKey } });
  await log.append({ event: 'key-rotated', principal: 'ferry://gateway/gw1', details: { ...makeRotationDetails(keyName, keyName, old.signingKey, kept.signingKey, x25519Public(kept.sealSecretKey)) } });
  await log.close();
  t.equal(await finishStagedRotation(keysDir, db, keyName), 'promoted');
  const now = await loadOrCreateGatewayKeys(keysDir, 'gw1');
  t.equal(encodeVkey(keyName, now.signingPublicKey), encodeVkey(keyName, kept.signingKey), 'the recorded signing key is in use');
  t.ok(now.sealSecretKey.equals(kept.sealSecretKey), 'and the recorded sealing key');
  t.equal((await stat(join(keysDir, 'signing.key'))).mode & 0o777, 0o600);
  t.equal(await finishStagedRotation(keysDir, db, keyName), null, 'nothing staged: nothing done');
});

t.test('a rotation whose record fails: dropped; but when the log stopped (the record may be in the file), left staged for the next start to decide from the log', async (t) => {
  const { keysDir, db, keyName, old, oldPem } = await keysOfStoppedGateway(t);

  await t.rejects(rotateOnDisk(keysDir, old, async () => { throw new Error('the record was refused'); }), /refused/);
  await t.rejects(access(join(keysDir, 'next')), 'a refused record: nothing staged is left');
  t.equal(await readFile(join(keysDir, 'signing.key'), 'utf8'), oldPem, 'and the old key stays in force');

  // The writer thread died after committing the record, before answering: the log has it, the caller was told it failed.
  const log = openAuditLog(db, { origin: keyName, signer: { keyName, privateKey: old.signingKey } });
  await t.rejects(rotateOnDisk(keysDir, old, async (details) => {
    await log.append({ event: 'key-rotated', principal: 'ferry://gateway/gw1', details: { ...details } });
    throw new FerryError('FERRY_STORAGE_UNAVAILABLE', 'The audit log could not be written.');
  }), { code: 'FERRY_STORAGE_UNAVAILABLE' });
  await log.close();
  await access(join(keysDir, 'next'));
  t.pass('the staged keys are kept');
  t.equal(await readFile(join(keysDir, 'signing.key'), 'utf8'), oldPem, 'the old key is still the one in use');
  t.equal(await finishStagedRotation(keysDir, db, keyName), 'promoted', 'the next start finds the record and promotes them');
  t.not(await readFile(join(keysDir, 'signing.key'), 'utf8'), oldPem, 'the key the log names is in use');
});

t.test('a hand-over in one segment: the next segment verifies with the first key too', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-handover-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const keyName = 'ferry.gateway/gw1';
  const { privateKey: first } = generateKeyPairSync('ed25519');
  const { privateKey: second } = generateKeyPairSync('ed25519');
  const log = openAuditLog(join(dir, 'audit.db'), { origin: keyName, signer: { keyName, privateKey: first }, checkpointEvery: 3 });
  const some = (n: number) => Promise.all(Array.from({ length: n }, (_v, i) => log.append({ event: 'received', principal: 'ferry://police/sys1', details: { i } })));
  await some(5);
  let switchedAt = -1;
  // Appends made in the same turn share the hand-over's commit: the checkpoint after it must already be the new key's.
  const [rec] = await Promise.all([
    log.handOver({ event: 'key-rotated', principal: 'ferry://admin/alice', details: { ...makeRotationDetails(keyName, keyName, first, second, x25519Public(generateKeyMaterial().sealSecretKey)) } }, { keyName, privateKey: second }, () => { switchedAt = log.size; }),
    some(4),
  ]);
  t.ok(switchedAt >= rec.seq, 'the switch runs in the commit that holds the record');
  await some(4);
  await log.seal(join(dir, SEGMENTS_DIR));
  await some(5);
  await log.close();
  const firstOnly = [parseVkey(encodeVkey(keyName, first))];
  const whole = await verifySegments(segmentFiles(dir), { verifiers: firstOnly, workers: 0 });
  t.same(whole.failure, null, 'the segments verify with only the first key, across the rotation and the seal');
  t.equal(whole.segments.length, 2);
  t.ok(whole.segments[1]!.report.signaturesChecked >= 1, 'the second segment\'s checkpoints were checked, with the key handed on');
});
