// Regressions from the review of the gateway core, one test per finding.
import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import Database from 'better-sqlite3';
import { parseGatewayConfig } from '../gateway/config/gateway-config.js';
import { startGateway } from '../gateway/gateway.js';
import { createLogger } from '../gateway/log/logger.js';
import { SqliteTransferStore } from '../gateway/store/sqlite/sqlite-transfer-store.js';
import { makePki } from './helpers/pki.js';
import { freePort } from './helpers/free-port.js';
import { textBody } from './helpers/text-body.js';
import { clientFor, putFile, startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';
import { spoolNameFor } from '../gateway/spool/spool-layout.js';

/**
 * A clamd stand-in that answers "stream: OK" only after `delayMs`: a scan slower
 * than the gateway's idle timeout. (Detection itself is tested against the real
 * clamd in inspect-clamd and gateway-inspect; this peer only has to be slow.)
 */
async function slowClamd(t: { teardown(fn: () => unknown): void }, delayMs: number, holdReadingMs = 0): Promise<number> {
  const server: Server = createServer((sock) => {
    sock.on('data', () => undefined);
    if (holdReadingMs) {
      // Read a little, then stop reading for a while: the gateway's writes to clamd back up, and
      // so does its reading of the upload.
      let got = 0;
      const hold = (d: Buffer) => {
        got += d.length;
        if (got < 64 * 1024) return;
        sock.off('data', hold);
        sock.pause();
        setTimeout(() => sock.resume(), holdReadingMs);
      };
      sock.on('data', hold);
    }
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      setTimeout(() => sock.end('stream: OK\0'), delayMs);
    };
    // The stream ends with a zero-length chunk; answer once it has come.
    let tail = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      tail = Buffer.concat([tail, d]).subarray(-4);
      if (tail.length === 4 && tail.readUInt32BE(0) === 0) answer();
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => new Promise((r) => server.close(() => r(undefined))));
  return (server.address() as { port: number }).port;
}

t.test('a scan longer than the idle timeout does not cut the answer', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const port = await slowClamd(t, 1200);
  const fx = await startTestGateway(t, { destinationPort: dest.port, extra: `limits: { idle_timeout: 300ms }\ninspect:\n  clamd: { host: 127.0.0.1, port: ${port}, timeout: 10s }\n` });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, fx.url('police'), Buffer.from('an ordinary note\n'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '17', 'content-type': 'text/plain' });
  t.equal(r.status, 202, 'the sender gets its 202 after the slow scan');
  await dest.waitFor(1);
});

t.test('an upload held back by the gateway itself is not cut as idle', async (t) => {
  // clamd stops reading for 3 s in the middle of an 8 MiB body: the gateway stops reading the
  // upload too, and the sender's bytes wait in the buffers. The idle guard (300 ms) counts only
  // the time the gateway waits for bytes, so the upload is answered 202, not 408.
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const port = await slowClamd(t, 0, 3000);
  const fx = await startTestGateway(t, { destinationPort: dest.port, extra: `limits: { idle_timeout: 300ms }\ninspect:\n  clamd: { host: 127.0.0.1, port: ${port}, timeout: 10s }\n` });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = textBody(8 * 1024 * 1024);
  const r = await putFile(sender, fx.url('police'), body, { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': String(body.length), 'content-type': 'text/plain' });
  t.equal(r.status, 202, `answered 202, not cut by the idle guard (${r.status} ${String(r.json.code ?? '')})`);
  await dest.waitFor(1);
});

t.test('a retry with the key of an upload that failed unanswered is a new upload, not a replay', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  await fx.gw.stop();
  // As if the gateway died after writing the row and before answering.
  const q = new SqliteTransferStore(join(fx.dir, 'data', 'queue.db'));
  await q.insertAccepted({
    id: '01900000-0000-7000-8000-000000000001', kind: 'file', channel: null, principal: 'ferry://police/sys1', source: 'police/sys1', destination: 'extranet/archive',
    label: 'public', filename: null, contentType: null, size: 5, sha256: '0'.repeat(64), spool: 'gone.spool', delivery: 'push',
    idempotencyKey: 'key-1', created: Date.now(), expiresAt: Date.now() + 60_000, receiptAccepted: null, retainDays: null,
  });
  await q.close();
  const gw = await startGateway(parseGatewayConfig(fx.configText, join(fx.dir, 'gateway.yaml')), { log: createLogger({ level: 'silent' }) });
  t.teardown(() => gw.stop());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, `https://127.0.0.1:${gw.ports.police}`, Buffer.from('hello'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '5', 'idempotency-key': 'key-1' });
  t.equal(r.status, 202);
  t.not(r.json.id, '01900000-0000-7000-8000-000000000001', 'a new transfer, not the failed one');
  t.notOk(r.json.idempotent_replay, 'not a replay of an answer never given');
  await dest.waitFor(1);
  const again = await putFile(sender, `https://127.0.0.1:${gw.ports.police}`, Buffer.from('hello'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '5', 'idempotency-key': 'key-1' });
  t.equal(again.json.id, r.json.id, 'and that one is what the key replays now');
  t.equal(again.json.idempotent_replay, true);
});

// The two tests on a retained spool file keep small files on the spool (by default they are sealed in queue.db).
const SPOOL_FILES_ONLY = 'spool: { inline_max: 0 }';

t.test('recovery keeps the spool of a queued transfer whose retention date has passed', async (t) => {
  const pki = await makePki();
  // Down at first, on a port outside the ephemeral range (an ephemeral one is taken by another test meanwhile).
  const port = await freePort();
  let dest: Awaited<ReturnType<typeof startDestination>>;
  const fx = await startTestGateway(t, { destinationPort: port, delivery: '{ retry_initial: 50ms, retry_max: 100ms }', extra: SPOOL_FILES_ONLY });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, fx.url('police'), Buffer.from('keep me'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '7' });
  t.equal(r.status, 202);
  await fx.gw.stop();
  const db = new Database(join(fx.dir, 'data', 'queue.db'));
  db.prepare('UPDATE transfers SET retain_until = 1, state = ? WHERE id = ?').run('queued', r.json.id);
  db.close();
  const gw = await startGateway(parseGatewayConfig(fx.configText, join(fx.dir, 'gateway.yaml')), { log: createLogger({ level: 'silent' }) });
  t.teardown(() => gw.stop());
  t.ok(existsSync(join(fx.dir, 'data', 'spool', spoolNameFor(r.json.id))), 'the spool of a transfer still to deliver survives recovery');
  dest = await startDestination(t, pki, port);
  const [got] = await dest.waitFor(1);
  t.equal(got!.size, 7, 'and it is delivered');
});

t.test('a bad percent-escape in a path is a 404 with a code, not a 500', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const res = await request(`${fx.url('police')}/v1/transfers/%E0%A4%A`, { dispatcher: sender });
  const j = (await res.body.json()) as { code: string };
  t.equal(res.statusCode, 404);
  t.equal(j.code, 'FERRY_ROUTE_NOT_FOUND');
  await until(() => true, 'nothing');
});

t.test('a failure of the gateway after the whole body arrived is a 500 FERRY_INTERNAL, not the sender\'s incomplete body', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const queue = fx.gw.context.queue;
  const insert = queue.insertInline.bind(queue);
  let failed = 0;
  queue.insertInline = async (...args: Parameters<typeof insert>) => {
    if (failed++ === 0) throw new Error('the queue failed for a reason of its own');
    return insert(...args);
  };
  t.teardown(() => { queue.insertInline = insert; });
  const r = await putFile(sender, fx.url('police'), Buffer.from('evidence'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': '8' });
  t.equal(r.status, 500);
  t.equal(r.json.code, 'FERRY_INTERNAL', 'the gateway says it failed, not that the body was cut short');
  t.equal(failed, 1, 'the body had arrived whole: the queue was reached');
  const again = await putFile(sender, fx.url('police'), Buffer.from('evidence'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': '8' });
  t.equal(again.status, 202, 'and the next upload goes through');
});

t.test('retention: kept after delivery for the obligation, then swept', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port, extra: SPOOL_FILES_ONLY }); // the example policy keeps internal data 30 days
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const r = await putFile(sender, fx.url('police'), Buffer.from('evidence'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-length': '8' });
  t.equal(r.status, 202);
  await dest.waitFor(1);
  const row = await until(async () => { const x = await fx.gw.context.queue.get(r.json.id); return x?.state === 'delivered' ? x : null; }, 'delivered');
  const spool = join(fx.dir, 'data', 'spool', spoolNameFor(r.json.id));
  t.ok(existsSync(spool), 'the delivered content is kept under the retention obligation');
  t.ok(row.retainUntil! >= row.deliveredAt! + 29 * 86_400_000, 'for 30 days from delivery');
  const { sweepRetained } = await import('../gateway/delivery/housekeeping.js');
  t.equal(await sweepRetained(fx.gw.context, row.retainUntil! - 1000), 0, 'not swept before its time');
  t.equal(await sweepRetained(fx.gw.context, row.retainUntil! + 1), 1, 'swept once due');
  t.notOk(existsSync(spool), 'and the file is gone');
});
