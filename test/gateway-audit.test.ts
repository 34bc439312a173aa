// The audit log as the gateway writes it (issue 4): every step of a transfer,
// in order, findable by transfer id; the log verifies with the gateway's public
// key; a transfer's records can be proven to an outsider; an exported
// checkpoint catches a rollback of the whole file.
import { execFile } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { readRecords } from '../gateway/audit/read-records.js';
import { makePki } from './helpers/pki.js';
import { clientFor, putFile, startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';

const run = promisify(execFile);
const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
const ferry = (...args: string[]) => run(process.execPath, [FERRY, ...args]).catch((e: { stdout: string; stderr: string; code: number }) => e);

t.test('every step recorded, verified, proven', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const db = join(fx.dir, 'data', 'audit.db');
  const vkey = (await readFile(join(fx.dir, 'data', 'keys', 'audit.vkey'), 'utf8')).trim();
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));

  const r = await putFile(sender, fx.url('police'), Buffer.from('第一份'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': String(Buffer.byteLength('第一份')) });
  t.equal(r.status, 202);
  await dest.waitFor(1);
  const id = r.json.id as string;
  const steps = await until(() => {
    const recs = [...readRecords(db, { transferId: id })];
    return recs.some((x) => x.event === 'delivered') ? recs : null;
  }, 'the delivered record');
  t.same(steps.map((x) => x.event), ['received', 'accepted', 'handed-out', 'delivered'], 'every step of the path, in order (audit schema 3: one accepted record; the push handed out before its answer)');
  t.match(steps[2]!.details, { handed_to: 'ferry://extranet/archive', via: 'push', attempts: 1 }, 'the push attempt: to whom, how, which attempt');
  for (const x of steps) {
    t.equal(x.principal, 'ferry://police/sys1');
    t.equal(x.destination, 'extranet/archive');
  }
  const finalDecision = steps.find((x) => x.event === 'accepted')!;
  t.equal(finalDecision.verdict, 'allow');
  t.equal(finalDecision.rule, 'allow-police-to-extranet');
  t.equal(finalDecision.sha256, r.json.receipt.sha256, 'the decision is bound to the content hash');
  const kept = finalDecision.details as { before: Record<string, unknown>; after: Record<string, unknown>; facts: Record<string, unknown>; findings: unknown[]; receipt_signature: string; delivery: string };
  t.match(kept.before, { verdict: 'allow', rule: 'allow-police-to-extranet', policy_hash: finalDecision.policyHash }, 'the decision before content, with its policy hash');
  t.type(kept.before.time, 'string', 'and the time it was made at');
  t.match(kept.after, { verdict: 'allow', rule: 'allow-police-to-extranet', policy_hash: finalDecision.policyHash }, 'the decision after content');
  t.match(kept.facts, { source: 'police/sys1', destination: 'extranet/archive', label: 'internal', size: Buffer.byteLength('第一份') }, 'the facts the decisions saw');
  t.same(kept.findings, [], 'the findings (none)');
  t.equal(kept.receipt_signature, r.json.receipt.signature, 'the accepted receipt it was answered with');
  t.equal(kept.delivery, 'push');

  const denied = await putFile(sender, fx.url('police'), Buffer.from('x'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'sensitive', 'content-length': '1' });
  t.equal(denied.status, 403);
  const q = await ferry('log', 'query', '--db', db, '--transfer', denied.json.transfer as string, '--json');
  const lines = (q as { stdout: string }).stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; verdict: string | null });
  t.same(lines.map((l) => l.event), ['received', 'decided', 'denied'], 'a refused transfer is found with ferry log query');

  // A copy of the log taken now, to roll back to later.
  await fx.gw.context.audit.appendMany([]);
  const early = join(fx.dir, 'early.db');
  const { default: Database } = await import('better-sqlite3');
  const live = new Database(db, { readonly: true });
  await live.backup(early);
  live.close();

  for (let i = 0; i < 5; i++) {
    const ok = await putFile(sender, fx.url('police'), Buffer.from(`more ${i}`), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': String(`more ${i}`.length) });
    t.equal(ok.status, 202);
  }
  await dest.waitFor(6);
  await fx.gw.stop(); // writes the final records and a signed checkpoint

  const verified = await ferry('log', 'verify', '--db', db, '--pubkey', vkey);
  t.equal((verified as { code?: number }).code ?? 0, 0, 'the honest log verifies with the gateway key');

  const proofFile = join(fx.dir, 'proof.txt');
  const prove = await ferry('log', 'prove', '--db', db, id, '--out', proofFile);
  t.equal((prove as { code?: number }).code ?? 0, 0, 'a proof for the transfer is written');
  const check = await ferry('log', 'check-proof', proofFile, '--pubkey', vkey);
  t.equal((check as { code?: number }).code ?? 0, 0, 'an outsider with only the public key accepts it');
  const otherKey = vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
  const wrong = await ferry('log', 'check-proof', proofFile, '--pubkey', otherKey);
  t.not((wrong as { code?: number }).code ?? 0, 0, 'and refuses it under another key');

  // The security team keeps the latest checkpoint elsewhere; the early copy is a rollback.
  const checkpoint = join(fx.dir, 'checkpoint.txt');
  const { default: Db } = await import('better-sqlite3');
  const ro = new Db(db, { readonly: true });
  const note = ro.prepare('SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1').pluck().get() as string;
  ro.close();
  const { writeFile } = await import('node:fs/promises');
  await writeFile(checkpoint, note);
  await copyFile(early, join(fx.dir, 'rolled-back.db'));
  const rolled = await ferry('log', 'verify', '--db', join(fx.dir, 'rolled-back.db'), '--pubkey', vkey, '--against', checkpoint);
  t.not((rolled as { code?: number }).code ?? 0, 0, 'a rolled-back copy fails against the later checkpoint');
});
