// Multi-hop: police/sys1 → gw1 → gw2 → social/benefits, real gateways, real
// mTLS with gateway certificates, real SQLite files. Each gateway decides for
// itself; one id and one trail end to end.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import t from 'tap';
import { request, type Agent } from 'undici';
import WebSocket from 'ws';
import { parseVkey } from '../gateway/audit/signed-note.js';
import { readRecords } from '../gateway/audit/read-records.js';
import { verifyLogFile } from '../gateway/audit/verify.js';
import { verifyReceipt } from '../protocol/receipt.js';
import { startChain, type Hop } from './helpers/chain.js';
import { clientFor, putFile, sha256, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { spoolFiles } from './helpers/spool-files.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

async function status(agent: Agent, hop: Hop, id: string): Promise<Record<string, any>> {
  const res = await request(`${hop.url('police')}/v1/transfers/${id}`, { dispatcher: agent });
  return (await res.body.json()) as Record<string, any>;
}

async function settled(agent: Agent, hop: Hop, id: string): Promise<Record<string, any>> {
  return until(async () => {
    const s = await status(agent, hop, id);
    return ['delivered', 'denied', 'failed', 'expired'].includes(s.state) ? s : null;
  }, `transfer ${id} to settle at ${hop.name}`, 60_000);
}

async function vkeyOf(hop: Hop) {
  return parseVkey(await readFile(hop.vkeyPath, 'utf8'));
}

t.test('two hops: delivered byte-identical, both logs verify, the source sees every hop', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki);
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = randomBytes(3 * 1024 * 1024 + 17);
  const r = await putFile(sender, chain.gw1.url('police'), body, {
    'ferry-to': 'social/benefits', 'content-length': String(body.length), 'ferry-label': 'internal', 'ferry-filename': encodeURIComponent('名单.bin'),
  });
  t.equal(r.status, 202, 'gw1 accepts a transfer for a network it reaches through gw2');
  const id = r.json.id as string;
  const s = await settled(sender, chain.gw1, id);
  t.equal(s.state, 'delivered', 'the source sees it delivered');
  t.equal(chain.receiver.received.length, 1, 'delivered once');
  const got = chain.receiver.received[0]!;
  t.equal(got.sha256, sha256(body), 'byte-identical at the destination');
  t.equal(got.headers['ferry-transfer-id'], id, 'one id end to end');
  t.equal(got.headers['ferry-from'], 'police/sys1', 'the original sender, not the relaying gateway');
  t.equal(got.headers['ferry-gateway'], 'ferry://gateway/gw2', 'pushed by the last gateway');
  t.equal(decodeURIComponent(String(got.headers['ferry-filename'])), '名单.bin');

  const [k1, k2] = [await vkeyOf(chain.gw1), await vkeyOf(chain.gw2)];
  t.same(s.hops.map((h: any) => [h.gateway, h.state]), [['ferry://gateway/gw1', 'delivered'], ['ferry://gateway/gw2', 'delivered']], 'both hops, in order');
  t.ok(verifyReceipt(s.hops[0].receipts.accepted, k1.publicKey), "gw1's accepted receipt verifies with gw1's key");
  t.ok(verifyReceipt(s.hops[1].receipts.accepted, k2.publicKey), "gw2's accepted receipt verifies with gw2's key");
  t.equal(s.receipts.delivered.gateway, 'ferry://gateway/gw2');
  t.ok(verifyReceipt(s.receipts.delivered, k2.publicKey), "the delivered receipt travelled back and verifies with the last gateway's key");
  t.notOk(verifyReceipt(s.receipts.delivered, k1.publicKey), "and not with gw1's");
  t.equal(s.receipts.delivered.sha256, sha256(body));
  t.equal(s.next_hop, 'ferry://gateway/gw2');

  // A small file (spool.inline_max) crosses the same chain held in each gateway's queue database, never a spool file.
  const small = randomBytes(4096);
  const rs = await putFile(sender, chain.gw1.url('police'), small, { 'ferry-to': 'social/benefits', 'content-length': String(small.length), 'ferry-label': 'internal' });
  t.equal(rs.status, 202, 'gw1 accepts a small file');
  const ss = await settled(sender, chain.gw1, rs.json.id);
  t.equal(ss.state, 'delivered', 'the small file is delivered through gw2');
  const gotSmall = chain.receiver.received.find((x) => x.headers['ferry-transfer-id'] === rs.json.id);
  t.equal(gotSmall?.sha256, sha256(small), 'byte-identical at the destination');
  for (const hop of [chain.gw1, chain.gw2]) {
    const q = hop.gw!.context.queue;
    t.equal((await q.get(rs.json.id))?.spool, '', `${hop.name} held it in its queue database`);
    t.equal(await q.messages.body(rs.json.id), undefined, `${hop.name} removed the sealed body once it was settled (no retention)`);
    t.notOk((await spoolFiles(hop.dataDir)).some((f) => f.includes(rs.json.id)), `${hop.name} wrote no spool file for it`);
  }

  // gw2 decided for itself, with the original sender as 'from' and gw1 as 'via'.
  const accepted = [...readRecords(join(chain.gw2.dataDir, 'audit.db'), { transferId: id })].filter((x) => x.event === 'accepted');
  t.equal(accepted.length, 1, 'gw2 accepted it once');
  const kept = accepted[0]!.details as { facts: Record<string, unknown>; before: { rule: string | null }; after: { rule: string | null } };
  t.ok(kept.before && kept.after, 'gw2 decided before and after content (both in its accepted record)');
  const facts = kept.facts;
  t.equal(facts.source, 'police/sys1');
  t.equal(facts.principal, 'ferry://gateway/gw1');
  t.equal(facts.via, 'gw1');
  t.equal(facts.hops, 1);
  t.equal(accepted[0]!.rule, 'allow-police-to-social-via-peer');
  t.equal(kept.after.rule, 'allow-police-to-social-via-peer');
  const events1 = [...readRecords(join(chain.gw1.dataDir, 'audit.db'), { transferId: id })].map((x) => x.event);
  t.same(events1, ['received', 'accepted', 'forwarded', 'delivered'], 'gw1: the whole path, then relayed, then the outcome');

  // `ferry status` at the source's gateway: every hop, and gw1's receipt checked with gw1's key.
  const creds = pki.system('ferry://police/sys1');
  const { stdout } = await promisify(execFile)(process.execPath, [FERRY, 'status', id, '--gateway', chain.gw1.url('police'), '--cert', creds.certPath, '--key', creds.keyPath,
    '--ca', pki.caCertPath, '--verify-key', join(chain.gw1.dataDir, 'keys', 'signing.pub')], { encoding: 'utf8' });
  t.match(stdout, /accepted: .* by ferry:\/\/gateway\/gw1, signature verified/, 'ferry status verifies the first gateway\'s receipt');
  t.match(stdout, /hop: +ferry:\/\/gateway\/gw1 delivered[^\n]*\nhop: +ferry:\/\/gateway\/gw2 delivered/, 'and lists both hops');

  await chain.gw1.gw!.stop();
  await chain.gw2.gw!.stop();
  for (const [hop, k] of [[chain.gw1, k1], [chain.gw2, k2]] as const) {
    const v = await verifyLogFile(join(hop.dataDir, 'audit.db'), { verifiers: [k] });
    t.ok(v.ok && v.signaturesChecked > 0, `${hop.name}'s audit log verifies with its key`);
  }

  // One timeline from both logs, each verified with the audit.vkey beside it.
  const dbs = [chain.gw2, chain.gw1].flatMap((h) => ['--db', join(h.dataDir, 'audit.db')]);
  const text = execFileSync(process.execPath, [FERRY, 'log', 'trace', id, ...dbs], { encoding: 'utf8' });
  t.match(text, /gw2-\w+\/data\/audit\.db \(ferry:\/\/gateway\/gw2\): ok, \d+ records, [1-9]\d* signatures checked/, "gw2's log verified");
  t.match(text, /gw1-\w+\/data\/audit\.db \(ferry:\/\/gateway\/gw1\): ok/, "gw1's log verified");
  const trace = JSON.parse(execFileSync(process.execPath, [FERRY, 'log', 'trace', id, ...dbs, '--json'], { encoding: 'utf8' })) as { events: Array<{ gateway: string; record: { event: string } }> };
  const steps = trace.events.map((e) => `${e.gateway.replace('ferry://gateway/', '')}:${e.record.event}`);
  const at = (step: string) => steps.indexOf(step);
  t.ok(at('gw1:received') === 0, 'the timeline starts where the sender sent');
  t.ok(at('gw1:accepted') >= 0 && at('gw1:accepted') < at('gw2:received'), 'gw1 accepted it before gw2 received it');
  t.ok(at('gw2:received') < at('gw2:delivered'), 'gw2 took the whole path, then delivered');
  t.ok(at('gw2:delivered') < steps.lastIndexOf('gw1:delivered'), 'and gw1 learned of it last');
  // (Audit schema 3: both in gw2's one accepted record.)
  const gw2Accepted = trace.events.filter((e) => e.gateway === 'ferry://gateway/gw2' && e.record.event === 'accepted') as unknown as Array<{ record: { details: { before?: unknown; after?: unknown } } }>;
  t.ok(gw2Accepted.length === 1 && gw2Accepted[0]!.record.details.before && gw2Accepted[0]!.record.details.after, "gw2's own two decisions are in the timeline");
  // The path across the gateways, read from the same timeline: whole with both logs, as far as one log knows with one.
  t.match(text, /^path: gw1 → gw2 /m, 'trace prints the path');
  const hops = (JSON.parse(execFileSync(process.execPath, [FERRY, 'log', 'trace', id, ...dbs, '--json'], { encoding: 'utf8' })) as { hops: Array<Record<string, unknown>> }).hops;
  t.match(hops, [
    { gateway: 'gw1', seen: 'log', from: 'police/sys1', next: 'gw2', relayed: { receipt: /^[A-Za-z0-9+/=_-]{40,}$/ }, last: { event: 'delivered', by: 'gw2' } },
    { gateway: 'gw2', seen: 'log', from: 'gw1', last: { event: 'delivered' } },
  ], 'each gateway: whom it received from, its next hop and receipt, how it ended');
  t.equal(hops.length, 2);
  const only = (db: string) => execFileSync(process.execPath, [FERRY, 'log', 'trace', id, '--db', db], { encoding: 'utf8' });
  t.match(only(join(chain.gw1.dataDir, 'audit.db')), /^path: gw1 → \[gw2\] /m, "gw1's log alone: gw2 known as its next hop");
  t.match(only(join(chain.gw2.dataDir, 'audit.db')), /^path: \[gw1\] → gw2 /m, "gw2's log alone: gw1 known from the signed envelope");

  // The logs as a security team collects them: copies under other names in one folder, with the
  // gateways' .vkey files beside them, and a queue database that is not a log (passed over).
  const collected = await mkdtemp(join(tmpdir(), 'ferry-collected-'));
  t.teardown(() => rm(collected, { recursive: true, force: true }));
  await mkdir(join(collected, 'social'));
  // A live database is copied with SQLite's online backup: its last records may still be in the
  // WAL, which a plain file copy of audit.db leaves behind.
  const backup = async (from: string, to: string) => {
    const db = new Database(from, { readonly: true });
    try {
      await db.backup(to);
    } finally {
      db.close();
    }
  };
  await backup(join(chain.gw1.dataDir, 'audit.db'), join(collected, 'police-extranet.db'));
  await copyFile(chain.gw1.vkeyPath, join(collected, 'gw1.vkey'));
  await backup(join(chain.gw2.dataDir, 'audit.db'), join(collected, 'social', 'extranet-social.db'));
  await copyFile(chain.gw2.vkeyPath, join(collected, 'social', 'gw2.vkey'));
  await backup(join(chain.gw2.dataDir, 'queue.db'), join(collected, 'social', 'queue.db'));
  const fromDir = JSON.parse(execFileSync(process.execPath, [FERRY, 'log', 'trace', id, '--dir', collected, '--json'], { encoding: 'utf8' })) as { logs: Array<{ db: string; report: { ok: boolean; signaturesChecked: number } }>; events: Array<{ gateway: string; record: { event: string } }> };
  t.same(fromDir.logs.map((l) => l.db.slice(collected.length + 1)).sort(), ['police-extranet.db', 'social/extranet-social.db'], 'both logs found in the folder, the queue database passed over');
  t.ok(fromDir.logs.every((l) => l.report.ok && l.report.signaturesChecked > 0), "each verified with the .vkey found beside it");
  t.same(fromDir.events.map((e) => `${e.gateway}:${e.record.event}`), trace.events.map((e) => `${e.gateway}:${e.record.event}`), 'the same timeline as from the gateways\' own files');
  const empty = await mkdtemp(join(tmpdir(), 'ferry-empty-'));
  t.teardown(() => rm(empty, { recursive: true, force: true }));
  const none = await promisify(execFile)(process.execPath, [FERRY, 'log', 'trace', id, '--dir', empty]).then(() => 0, (e: { code: number }) => e.code);
  t.not(none, 0, 'a folder without a log is an error, not an empty timeline');
});

t.test("the second gateway's policy refuses what the first allowed: the source sees gw2's rule and finding", async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { extra2: 'inspect: { keywords: [绝不外传] }' });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = Buffer.from('季度报告：本文件绝不外传，仅供内部参考。\n'.repeat(20));
  const r = await putFile(sender, chain.gw1.url('police'), body, { 'ferry-to': 'social/benefits', 'content-length': String(body.length), 'ferry-label': 'internal', 'content-type': 'text/plain; charset=utf-8' });
  t.equal(r.status, 202, 'gw1 has no such keyword and accepts');
  const s = await settled(sender, chain.gw1, r.json.id);
  t.equal(s.state, 'denied');
  t.match(s.reason, /ferry:\/\/gateway\/gw2 refused the transfer: FERRY_CONTENT_DENIED \(rule deny-keyword\)/, "gw2's reason, visible to the source");
  t.equal(s.refused_by.gateway, 'ferry://gateway/gw2');
  t.equal(s.refused_by.rule, 'deny-keyword');
  t.ok(s.refused_by.findings.some((f: { kind: string }) => f.kind === 'keyword'), 'with the finding');
  t.equal(chain.receiver.received.length, 0, 'nothing reaches the destination');
  // The row is settled first and its record follows (settle.ts: the change is conditional, the record says what it did):
  // the status can say denied a moment before the record is in.
  const denied = await until(async () => [...readRecords(join(chain.gw1.dataDir, 'audit.db'), { transferId: r.json.id })].find((x) => x.event === 'denied'), 'gw1\'s denied record', 10_000).catch(() => undefined);
  t.ok(denied, 'gw1 records the refusal');
  t.equal((denied!.details as { code?: string }).code, 'FERRY_CONTENT_DENIED');
  const at2 = [...readRecords(join(chain.gw2.dataDir, 'audit.db'), { transferId: r.json.id })].map((x) => x.event);
  t.ok(at2.includes('denied'), 'and so does gw2');
  t.equal(await chain.gw2.gw!.context.queue.get(r.json.id), undefined, 'gw2 kept no row to deliver');
});

t.test('messages cross hops like files, in order per channel', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki);
  const creds = pki.system('ferry://police/sys1');
  const ws = new WebSocket(`wss://127.0.0.1:${chain.gw1.gw!.ports.police}/v1/channels/cases`, { ca: pki.caCert, ...creds });
  t.teardown(() => ws.close());
  const answers: Array<Record<string, any>> = [];
  ws.on('message', (d) => answers.push(JSON.parse(d.toString()) as Record<string, any>));
  await new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); });
  const N = 12;
  // Sent back to back: the gateways may work on several transfers at once, but not on two of one channel.
  for (let i = 0; i < N; i++) ws.send(JSON.stringify({ ref: `m${i}`, to: 'social/benefits', label: 'internal', body: `第${i}号通知：明天上午九点开会。` }));
  await until(() => answers.length === N, 'every message answered');
  t.ok(answers.every((a) => a.status === 202), 'gw1 accepts each message');
  await until(() => chain.receiver.received.length === N, 'every message delivered through gw2', 60_000);
  const got = chain.receiver.received;
  t.same(got.map((r) => r.headers['ferry-transfer-id']), answers.map((a) => a.id), 'in the order they were sent, with the ids gw1 gave them');
  t.ok(got.every((r) => r.headers['ferry-kind'] === 'message' && r.headers['ferry-channel'] === 'cases'), 'as messages of their channel');
});
