// A transfer answered 202 survives kill -9 of the gateway and is delivered,
// once, after restart. Destinations that are down get it when they come back;
// past the expiry the transfer ends 'expired' with the reason.
import { textBody } from './helpers/text-body.js';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import t from 'tap';
import { request } from 'undici';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { makePki } from './helpers/pki.js';
import { freePort } from './helpers/free-port.js';
import { spoolFiles } from './helpers/spool-files.js';
import { spoolNameFor } from '../gateway/spool/spool-layout.js';
import type { FileSpoolStore } from '../gateway/store/files/file-spool-store.js';
import { clientFor, gatewayYaml, heldDeliverySetup, putFile, sha256, startDestination, startGatewayProcess, startTestGateway, until } from './helpers/gateway-fixture.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

t.test('kill -9 after the 202 and before delivery: delivered once after restart', async (t) => {
  const pki = await makePki();
  // Deliveries held back (503) until the crash.
  const { dest, dir, config } = await heldDeliverySetup(t, pki, 'ferry-crash-');
  let child = await startGatewayProcess(config);
  t.teardown(() => child.kill9());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));

  // Many uploads at once, and the gateway killed while they are under way:
  // every one that was answered 202 must arrive, exactly once.
  const accepted = new Map<string, string>();
  const uploads = Array.from({ length: 24 }, async (_, i) => {
    const body = textBody(1000 + i * 5000);
    try {
      const r = await putFile(sender, `https://127.0.0.1:${child.ports.police}`, body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'public' });
      if (r.status === 202) {
        accepted.set(r.json.id, sha256(body));
        // Killed the moment the eighth 202 arrives: its records must already be on disk.
        if (accepted.size === 8) void child.kill9();
      }
    } catch {
      /* cut off by the kill: never answered, may or may not have been kept */
    }
  });
  await until(() => accepted.size >= 8, '8 uploads answered 202');
  await child.kill9();
  await Promise.allSettled(uploads);
  t.ok(accepted.size >= 8, `${accepted.size} uploads were answered 202 before the kill`);
  // The spool as kill -9 left it: committed files in their fan-out directory, cut-off uploads only in incoming/.
  const left = await spoolFiles(join(dir, 'data'));
  t.same(left.filter((f) => !/^([0-9a-f]{2}\/[^/]+\.spool|incoming\/[^/]+\.spool\.part)$/.test(f)), [], 'every spool file is in a fan-out directory or in incoming/');
  // Where each transfer answered 202 is kept, as its row says: a file (over spool.inline_max) in its
  // fan-out directory, or a small one sealed in queue.db, committed with the row.
  const stored = storedAt(join(dir, 'data'), [...accepted.keys()]);
  t.ok([...accepted.keys()].every((id) => stored.get(id)?.spool === spoolNameFor(id) ? left.includes(spoolNameFor(id)) : stored.get(id)?.spool === '' && stored.get(id)!.sealed),
    'every transfer answered 202 has its file in its fan-out directory, or its sealed body in the queue database');
  // The audit log as kill -9 left it: the records written before each 202 (committed on the audit writer thread) are there.
  const records = recordedAt(join(dir, 'data'), [...accepted.keys()]);
  // (Then those of delivery attempts the destination refused, if any were made.)
  // (Audit schema 3: 'accepted' holds what 'decided' twice, 'inspected' and 'queued' held before.)
  for (const id of accepted.keys()) t.same(records.get(id)?.slice(0, 2), ['received', 'accepted'], `${id}: its records were durable before its 202`);

  dest.failWith = null;
  child = await startGatewayProcess(config);
  await until(() => [...accepted.keys()].every((id) => dest.received.some((r) => r.headers['ferry-transfer-id'] === id)), 'every accepted transfer delivered', 60_000);
  for (const [id, sha] of accepted) {
    const got = dest.received.filter((r) => r.headers['ferry-transfer-id'] === id);
    t.equal(got.length, 1, `${id} delivered exactly once`);
    t.equal(got[0]!.sha256, sha, `${id} byte-identical`);
  }
  // Unanswered uploads leave nothing behind once the gateway has settled.
  await until(async () => {
    const states = await Promise.all([...accepted.keys()].map(async (id) => {
      const res = await request(`https://127.0.0.1:${child.ports.police}/v1/transfers/${id}`, { dispatcher: sender });
      return ((await res.body.json()) as { state: string }).state;
    }));
    return states.every((s) => s === 'delivered');
  }, 'states to read delivered');
  const ids = dest.received.map((r) => r.headers['ferry-transfer-id']);
  t.equal(new Set(ids).size, ids.length, 'no transfer was delivered twice');
  const spool = (await spoolFiles(join(dir, 'data'))).filter((f) => f.endsWith('.part'));
  t.same(spool, [], 'no half-written spool file survives the restart');
  t.same(await readdir(join(dir, 'data', 'spool', 'incoming')), [], 'incoming/ is empty after recovery');
  await child.kill9();

  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(process.execPath, [FERRY, 'log', 'verify', '--db', join(dir, 'data', 'audit.db')], { encoding: 'utf8' });
  t.match(out, /ok|verified/i, 'the audit log verifies after kill -9');
});

/** How kill -9 left each transfer's row: its spool name, and whether queue.db holds its sealed body. */
function storedAt(dataDir: string, ids: string[]): Map<string, { spool: string; sealed: Buffer | undefined }> {
  const db = new Database(join(dataDir, 'queue.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT spool FROM transfers WHERE id = ?').pluck();
    const body = db.prepare('SELECT sealed FROM message_bodies WHERE transfer_id = ?').pluck();
    return new Map(ids.map((id) => [id, { spool: row.get(id) as string, sealed: body.get(id) as Buffer | undefined }]));
  } finally {
    db.close();
  }
}

t.test('small files held in the queue database survive kill -9 after their 202: pushed and pulled byte-identical; one byte past spool.inline_max goes to the spool', async (t) => {
  const pki = await makePki();
  // The pushes held back (503) until the crash.
  const { dest, dir, config } = await heldDeliverySetup(t, pki, 'ferry-crash-inline-', 'spool: { inline_max: 8KiB }');
  let child = await startGatewayProcess(config);
  t.teardown(() => child.kill9());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const send = async (to: string, body: Buffer) => {
    const r = await putFile(sender, `https://127.0.0.1:${child.ports.police}`, body, { 'ferry-to': to, 'content-length': String(body.length), 'ferry-label': 'public' });
    t.equal(r.status, 202, `${body.length} bytes to ${to} answered 202`);
    return r.json.id as string;
  };
  const atMax = textBody(8192);
  const past = textBody(8193);
  const pulled = textBody(4096);
  const push = new Map([[await send('extranet/archive', atMax), atMax], [await send('extranet/archive', past), past]]);
  const [atId, pastId] = [...push.keys()];
  const pullId = await send('extranet/portal', pulled);
  await child.kill9();

  const left = await spoolFiles(join(dir, 'data'));
  const stored = storedAt(join(dir, 'data'), [atId!, pastId!, pullId]);
  t.same(left, [spoolNameFor(pastId!)], 'one byte past spool.inline_max: a spool file; exactly at it and below: none');
  t.equal(stored.get(pastId!)!.spool, spoolNameFor(pastId!), 'the row names the spool file');
  for (const [id, body] of [[atId!, atMax], [pullId, pulled]] as const) {
    const s = stored.get(id)!;
    t.equal(s.spool, '', `${body.length} bytes: the row names no spool file`);
    t.ok(s.sealed && s.sealed.length > body.length, `${body.length} bytes: its sealed body was committed with the row`);
    t.notOk(s.sealed!.includes(body.subarray(0, 256)), 'and it is not stored in clear');
  }

  dest.failWith = null;
  child = await startGatewayProcess(config);
  await until(() => [...push.keys()].every((id) => dest.received.some((r) => r.headers['ferry-transfer-id'] === id)), 'both pushes delivered after restart');
  for (const [id, body] of push) {
    const got = dest.received.filter((r) => r.headers['ferry-transfer-id'] === id);
    t.equal(got.length, 1, `${body.length} bytes pushed exactly once`);
    t.equal(got[0]!.sha256, sha256(body), `${body.length} bytes pushed byte-identical`);
  }
  const receiver = clientFor(t, pki, pki.system('ferry://extranet/portal'));
  const dl = await request(`https://127.0.0.1:${child.ports.extranet}/v1/inbox/${pullId}`, { dispatcher: receiver });
  t.equal(dl.statusCode, 200);
  t.equal(sha256(Buffer.from(await dl.body.arrayBuffer())), sha256(pulled), 'the pulled file is byte-identical after the restart');
  const ack = await request(`https://127.0.0.1:${child.ports.extranet}/v1/inbox/${pullId}`, { method: 'DELETE', dispatcher: receiver });
  t.equal(ack.statusCode, 200, 'and acknowledged');
  await ack.body.dump();
  await child.kill9();
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(process.execPath, [FERRY, 'log', 'verify', '--db', join(dir, 'data', 'audit.db')], { encoding: 'utf8' });
  t.match(out, /ok|verified/i, 'the audit log verifies');
});

t.test('destination down for a while: delivered when it comes back', async (t) => {
  const pki = await makePki();
  // Down at first, on a port outside the ephemeral range (an ephemeral one is taken by another test meanwhile).
  const port = await freePort();
  let dest: Awaited<ReturnType<typeof startDestination>>;
  const fx = await startTestGateway(t, { destinationPort: port });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = textBody(50_000);
  const r = await putFile(sender, fx.url('police'), body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'public' });
  t.equal(r.status, 202);
  const row = await until(async () => { const x = await fx.gw.context.queue.get(r.json.id); return x && x.attempts >= 2 ? x : null; }, 'two failed attempts');
  t.match(row.reason ?? '', /delivery failed|ECONNREFUSED/, 'the reason of the last failure is kept');
  dest = await startDestination(t, pki, port);
  const [got] = await dest.waitFor(1);
  t.equal(got!.sha256, sha256(body), 'delivered once the destination is back');
  await until(async () => (await fx.gw.context.queue.get(r.json.id))?.state === 'delivered', 'delivered state');
});

t.test('past the expiry: expired, with the reason', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  dest.failWith = 503;
  const fx2 = await startTestGateway(t, { destinationPort: dest.port, delivery: '{ retry_initial: 50ms, retry_max: 200ms, expire_after: 1500ms }' });
  const dir = fx2.dir;
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, fx2.url('police'), Buffer.from('too late'), { 'ferry-to': 'extranet/archive', 'content-length': '8', 'ferry-label': 'public' });
  t.equal(r.status, 202);
  const status = await until(async () => {
    const res = await request(`${fx2.url('police')}/v1/transfers/${r.json.id}`, { dispatcher: sender });
    const j = (await res.body.json()) as { state: string; reason?: string };
    return j.state === 'expired' ? j : null;
  }, 'expired state');
  t.match(status.reason, /not delivered within/, 'the reason says why');
  t.match(status.reason, /503/, 'and what the destination last said');
  // The state is set first, then the record is made durable, then the file goes.
  await until(async () => (await spoolFiles(join(dir, 'data'))).length === 0, 'the spool file to go');
  t.same(await spoolFiles(join(dir, 'data')), [], 'the spool file of an expired transfer is removed');
  t.equal(dest.received.length, 0);
});

t.test('the spool\'s seal thread dies under two uploads: both refused 503 FERRY_STORAGE_UNAVAILABLE, never 202, nothing kept; not ready until a new thread is up, then uploads go through', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { pki, destinationPort: dest.port, extra: 'spool: { seal_thread: true }' });
  const seal = (fx.gw.context.spool as FileSpoolStore).sealThread;
  t.ok(seal?.worker, 'large uploads are sealed on a thread of their own (spool.seal_thread)');
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const headers = { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': String(1_200_000) };
  // Two uploads that send 1 MiB and then wait, so both are on the thread when it dies.
  const bodies = [new PassThrough(), new PassThrough()];
  const answers = bodies.map((b) => putFile(sender, fx.url('police'), b, headers));
  const text = textBody(1_200_000);
  for (const b of bodies) b.write(text.subarray(0, 1024 * 1024));
  const incoming = join(fx.dir, 'data', 'spool', 'incoming');
  await until(async () => (await readdir(incoming)).length === 2 && fx.gw.context.admission.inProgress === 2, 'both uploads on the seal thread');
  let reasonsAtDeath: string[] = [];
  // Registered after the gateway's own listener, so it sees what the gateway made of the death.
  seal!.worker!.once('exit', () => (reasonsAtDeath = fx.gw.context.readiness.reasons()));
  await seal!.worker!.terminate();
  for (const b of bodies) b.end(text.subarray(1024 * 1024));
  const got = await Promise.all(answers);
  for (const r of got) {
    t.equal(r.status, 503, 'refused, not accepted');
    t.equal(r.json.code, 'FERRY_STORAGE_UNAVAILABLE');
    t.match(r.json.detail ?? r.json.message ?? JSON.stringify(r.json), /seal thread/, 'the answer says what failed');
  }
  t.match(reasonsAtDeath.join('; '), /seal thread stopped/, 'the gateway is not ready once the thread died');
  await until(async () => (await spoolFiles(join(fx.dir, 'data'))).length === 0, 'what the uploads left to be removed');
  t.same(await spoolFiles(join(fx.dir, 'data')), [], 'no spool file and no .part file is kept');
  for (const r of got) {
    t.type(r.json.transfer, 'string', 'the refusal names its transfer');
    t.notOk(await fx.gw.context.queue.get(r.json.transfer), 'no queue row for a refused upload');
  }

  await until(() => fx.gw.context.readiness.reasons().length === 0, 'a new seal thread and the gateway ready again');
  const again = textBody(300_000);
  const ok = await putFile(sender, fx.url('police'), again, { ...headers, 'content-length': String(again.length) });
  t.equal(ok.status, 202, 'a new upload is accepted on the new thread');
  const [delivered] = await dest.waitFor(1);
  t.equal(delivered!.sha256, sha256(again), 'and delivered byte-identical');
});

/** How kill -9 left each transfer's audit records: their events, in order. */
function recordedAt(dataDir: string, ids: string[]): Map<string, string[]> {
  const db = new Database(join(dataDir, 'audit.db'), { readonly: true });
  try {
    const events = db.prepare<[string], string>('SELECT event FROM records WHERE transfer_id = ? ORDER BY seq').pluck();
    return new Map(ids.map((id) => [id, events.all(id)]));
  } finally {
    db.close();
  }
}
