// The queue's writes and the audit log's records commit on threads of their own
// (gateway/store/sqlite/queue-writer.ts, gateway/audit/audit-log.ts, both over
// gateway/durability/writer-thread.ts). If one of them dies, the gateway must say
// it is not ready, refuse new uploads, and fail the uploads in flight with a code:
// never a 202 for what it did not store and record. After a restart, exactly the
// transfers answered 202 are delivered, each with its records in the audit log.
// A real gateway process; a thread ends through a test hook read from the
// environment (FERRY_TEST_QUEUE_WRITER_DIES_AT=N: on the batch with the Nth insert;
// FERRY_TEST_AUDIT_WRITER_DIES_AT=N: on the batch with the Nth 'received' record).
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { request } from 'undici';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { SqliteTransferStore } from '../gateway/store/sqlite/sqlite-transfer-store.js';
import { makePki, type TestPki } from './helpers/pki.js';
import { textBody } from './helpers/text-body.js';
import { clientFor, gatewayYaml, heldDeliverySetup, putFile, sha256, startDestination, startGatewayProcess, until, type Tap } from './helpers/gateway-fixture.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
const BEFORE = 3;
const DIES_AT = BEFORE + 4;

/**
 * A gateway directory for a writer thread's death: its destination refusing (nothing leaves before the
 * restart), and twelve uploads at once from one sender allowed (above the default of 8 in progress,
 * which would refuse some before the store is reached).
 */
function writerDeathSetup(t: Tap, pki: TestPki, prefix: string) {
  return heldDeliverySetup(t, pki, prefix, 'limits: { max_uploads_per_principal: 32 }');
}

async function healthOf(child: { adminPort: number }): Promise<{ status: number; json: { status: string; reasons?: string[] } }> {
  const r = await request(`http://127.0.0.1:${child.adminPort}/healthz`);
  return { status: r.statusCode, json: (await r.body.json()) as { status: string; reasons?: string[] } };
}

t.test('writes asked over several turns, while earlier batches are on the writer thread, are applied in call order; after close they are refused', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-queue-order-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = new SqliteTransferStore(join(dir, 'queue.db'));
  const seqs: Array<Promise<number>> = [];
  let n = 0;
  for (let turn = 0; turn < 20; turn++) {
    for (let i = 0; i < 10; i++) {
      n += 1;
      const id = `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
      seqs.push(store.insertMessage({
        id, kind: 'message', channel: 'c', principal: 'ferry://police/sys1', source: 'police/sys1', destination: 'extranet/archive', label: 'public',
        filename: null, contentType: null, size: 1, sha256: 'a'.repeat(64), spool: '', delivery: 'subscribe', idempotencyKey: null,
        created: 1, expiresAt: 2, receiptAccepted: null, retainDays: null,
      }, Buffer.from([n])));
    }
    // The next writes are asked in a later turn of the event loop, while these may be committing.
    await new Promise((r) => setImmediate(r));
  }
  t.same(await Promise.all(seqs), Array.from({ length: n }, (_, i) => i + 1), 'sequence numbers follow the order of the calls');
  const read = await store.messages.after('extranet/archive', 'c', 0, n);
  t.same(read.map((m) => m.sealed?.[0]), Array.from({ length: n }, (_, i) => (i + 1) & 0xff), 'each body with its row, read on the main thread once resolved');
  t.equal(store.failure, null, 'no failure while the thread runs');
  await store.close();
  await t.rejects(store.markQueued('x'), { code: 'FERRY_STORAGE_UNAVAILABLE' }, 'a write after close is refused, not left waiting');
});

t.test('the queue writer thread dies: not ready, uploads in flight fail with a code, none answered 202 unstored; after a restart exactly the 202s are delivered', async (t) => {
  const pki = await makePki();
  const { dest, config, dir } = await writerDeathSetup(t, pki, 'ferry-queue-writer-');
  let child = await startGatewayProcess(config, 'warn', { env: { FERRY_TEST_QUEUE_WRITER_DIES_AT: String(DIES_AT) } });
  t.teardown(() => child.kill9());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const base = () => `https://127.0.0.1:${child.ports.police}`;
  const health = () => healthOf(child);
  const answered = new Map<string, string>();
  const refused: Array<{ status: number; code: string; transfer?: string }> = [];
  // Small files (held in queue.db) and spool files alike.
  const send = async (i: number) => {
    const body = textBody(i % 2 ? 2000 + i : 100_000 + i);
    const r = await putFile(sender, base(), body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'public' });
    if (r.status === 202) answered.set(r.json.id as string, sha256(body));
    else refused.push({ status: r.status, code: r.json.code as string, transfer: r.json.transfer as string | undefined });
  };

  for (let i = 0; i < BEFORE; i++) await send(i);
  t.equal(answered.size, BEFORE, 'while the thread lives, uploads are answered 202');
  t.equal((await health()).json.status, 'ready', 'and the gateway is ready');

  // Twelve at once: the thread dies on the batch holding the seventh insert.
  await Promise.all(Array.from({ length: 12 }, (_, i) => send(BEFORE + i)));
  t.equal(answered.size + refused.length, BEFORE + 12, 'every upload in flight was answered');
  t.ok(refused.length >= 12 - (DIES_AT - 1 - BEFORE), `at least the uploads from the one whose insert the thread never committed on were refused (${refused.length})`);
  // Those whose writes the thread took down with it are told the gateway could not store them; any that came after, that it is not ready.
  for (const r of refused) t.ok(r.status === 503 && ['FERRY_STORAGE_UNAVAILABLE', 'FERRY_NOT_READY'].includes(r.code), `refused 503 ${r.code}`);
  t.ok(refused.some((r) => r.code === 'FERRY_STORAGE_UNAVAILABLE'), 'some uploads in flight were failed as not stored');

  const h = await until(async () => { const x = await health(); return x.status === 503 ? x : null; }, 'not ready');
  t.equal(h.json.status, 'not-ready', '/healthz says not-ready');
  t.match(h.json.reasons?.join(' ') ?? '', /queue writer thread stopped/, 'the health report says the queue writer stopped');
  const after = textBody(500);
  const late = await putFile(sender, base(), after, { 'ferry-to': 'extranet/archive', 'content-length': '500', 'ferry-label': 'public' });
  t.equal(late.status, 503, 'a new upload is refused');
  t.equal(late.json.code, 'FERRY_NOT_READY', 'as not ready');
  t.equal(child.exited, null, 'the gateway process itself still runs (it answers health and refusals)');

  await child.kill9();
  dest.failWith = null;
  child = await startGatewayProcess(config);
  await until(() => [...answered.keys()].every((id) => dest.received.some((r) => r.headers['ferry-transfer-id'] === id)), 'every transfer answered 202 delivered', 60_000);
  for (const [id, sha] of answered) {
    const got = dest.received.filter((r) => r.headers['ferry-transfer-id'] === id);
    t.equal(got.length, 1, `${id} delivered once`);
    t.equal(got[0]!.sha256, sha, `${id} byte-identical`);
  }
  // Recovery fails what was never answered; give the scheduler a moment to show anything it wrongly kept.
  await until(async () => (await health()).status === 200, 'ready after the restart');
  await new Promise((r) => setTimeout(r, 1500));
  t.same(dest.received.map((r) => r.headers['ferry-transfer-id']).filter((id) => !answered.has(id as string)), [], 'nothing that was refused is delivered');
  for (const r of refused.filter((x) => x.transfer)) {
    const s = await request(`${base()}/v1/transfers/${r.transfer}`, { dispatcher: sender });
    const state = s.statusCode === 200 ? ((await s.body.json()) as { state: string }).state : (await s.body.dump(), 'unknown');
    t.not(state, 'queued', `refused ${r.transfer} is not queued (${state})`);
    t.not(state, 'delivered', `refused ${r.transfer} is not delivered`);
  }
  await child.kill9();
  const out = execFileSync(process.execPath, [FERRY, 'log', 'verify', '--db', join(dir, 'data', 'audit.db')], { encoding: 'utf8' });
  t.match(out, /ok|verified/i, 'the audit log verifies');
});

/** The records a transfer answered 202 has in the audit log before its answer, in order. */
const BEFORE_202 = ['received', 'accepted'];

t.test('the audit writer thread dies: not ready, uploads in flight fail with a code, none answered 202 unrecorded; after a restart the 202s are delivered with their records', async (t) => {
  const pki = await makePki();
  const { dest, config, dir } = await writerDeathSetup(t, pki, 'ferry-audit-writer-');
  let child = await startGatewayProcess(config, 'warn', { env: { FERRY_TEST_AUDIT_WRITER_DIES_AT: String(DIES_AT) } });
  t.teardown(() => child.kill9());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const base = () => `https://127.0.0.1:${child.ports.police}`;
  const health = () => healthOf(child);
  const answered = new Map<string, string>();
  const refused: Array<{ status: number; code: string }> = [];
  const send = async (i: number) => {
    const body = textBody(i % 2 ? 2000 + i : 100_000 + i);
    const r = await putFile(sender, base(), body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'public' });
    if (r.status === 202) answered.set(r.json.id as string, sha256(body));
    else refused.push({ status: r.status, code: r.json.code as string });
  };
  for (let i = 0; i < BEFORE; i++) await send(i);
  t.equal(answered.size, BEFORE, 'while the thread lives, uploads are answered 202');

  // Ten at once: the thread dies on the batch holding the seventh upload's first record.
  await Promise.all(Array.from({ length: 10 }, (_, i) => send(BEFORE + i)));
  t.equal(answered.size + refused.length, BEFORE + 10, 'every upload in flight was answered');
  t.ok(refused.length > 0, `uploads whose records the thread never committed were refused (${refused.length})`);
  for (const r of refused) t.ok(r.status === 503 && ['FERRY_STORAGE_UNAVAILABLE', 'FERRY_NOT_READY'].includes(r.code), `refused 503 ${r.code}`);
  t.ok(refused.some((r) => r.code === 'FERRY_STORAGE_UNAVAILABLE'), 'some uploads in flight were failed as not recorded');
  const h = await until(async () => { const x = await health(); return x.status === 503 ? x : null; }, 'not ready');
  t.equal(h.json.status, 'not-ready', '/healthz says not-ready');
  t.match(h.json.reasons?.join(' ') ?? '', /audit writer thread stopped/, 'the health report says the audit writer stopped');
  const late = await putFile(sender, base(), textBody(500), { 'ferry-to': 'extranet/archive', 'content-length': '500', 'ferry-label': 'public' });
  t.equal(late.status, 503, 'a new upload is refused');
  t.equal(late.json.code, 'FERRY_NOT_READY', 'as not ready');
  t.equal(child.exited, null, 'the gateway process itself still runs');

  await child.kill9();
  // As kill -9 left the log: every transfer answered 202 has all its records (then those of the delivery attempts refused by the destination).
  const db = new Database(join(dir, 'data', 'audit.db'), { readonly: true });
  const events = db.prepare<[string], string>('SELECT event FROM records WHERE transfer_id = ? ORDER BY seq').pluck();
  for (const id of answered.keys()) t.same(events.all(id).slice(0, BEFORE_202.length), BEFORE_202, `${id}: its records are in the log`);
  db.close();

  dest.failWith = null;
  child = await startGatewayProcess(config);
  await until(() => [...answered.keys()].every((id) => dest.received.some((r) => r.headers['ferry-transfer-id'] === id)), 'every transfer answered 202 delivered', 60_000);
  for (const [id, sha] of answered) {
    const got = dest.received.filter((r) => r.headers['ferry-transfer-id'] === id);
    t.equal(got.length, 1, `${id} delivered once`);
    t.equal(got[0]!.sha256, sha, `${id} byte-identical`);
  }
  // Recovery fails what was never answered; give the scheduler a moment to show anything it wrongly kept.
  await until(async () => (await health()).status === 200, 'ready after the restart');
  await new Promise((r) => setTimeout(r, 1500));
  t.same(dest.received.map((r) => r.headers['ferry-transfer-id']).filter((id) => !answered.has(id as string)), [], 'nothing that was refused is delivered');
  await child.kill9();
  const out = execFileSync(process.execPath, [FERRY, 'log', 'verify', '--db', join(dir, 'data', 'audit.db')], { encoding: 'utf8' });
  t.match(out, /ok|verified/i, 'the audit log verifies');
});
