// A push attempt is a `handed-out` record before its first byte leaves (docs/audit-log.md,
// "Content handed out"): a gateway killed while the receiver was reading leaves that trail
// (fourth red team, "a push attempt cut by kill -9 leaves no record"), and an attempt that
// never reached the receiver leaves none.
import { createServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { readRecords } from '../gateway/audit/read-records.js';
import { textBody } from './helpers/text-body.js';
import { makePki } from './helpers/pki.js';
import { writeFile } from 'node:fs/promises';
import { request } from 'undici';
import { clientFor, gatewayYaml, heldDeliverySetup, putFile, startDestination, startGatewayProcess, startTestGateway, until } from './helpers/gateway-fixture.js';

t.test('a push cut by kill -9 while the receiver reads it is recorded as handed out', async (t) => {
  const pki = await makePki();
  const { dir, config } = await heldDeliverySetup(t, pki, 'ferry-push-handed-');
  // A receiver that reads the first chunk it is sent and stops there, never answering: the attempt is in flight
  // (held by back-pressure) when the gateway dies.
  let read = 0;
  const receiver = createServer({ ...pki.system('ferry://extranet/archive'), ca: pki.caCert, requestCert: true, rejectUnauthorized: true }, (req) => {
    req.once('data', (c: Buffer) => {
      read += c.length;
      req.pause();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => {
    receiver.closeAllConnections();
    receiver.close();
  });
  await writeFile(config, gatewayYaml(pki, dir, { destinationPort: (receiver.address() as { port: number }).port }));
  const child = await startGatewayProcess(config);
  t.teardown(() => child.kill9());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = textBody(4_000_000);
  const r = await putFile(sender, `https://127.0.0.1:${child.ports.police}`, body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'public' });
  t.equal(r.status, 202);
  await until(() => read > 0, 'the receiver to read the push');
  await child.kill9();
  const events = [...readRecords(join(dir, 'data', 'audit.db'), { transferId: r.json.id as string })];
  t.same(events.map((e) => e.event), ['received', 'accepted', 'handed-out'], 'the attempt the kill cut is on record');
  t.match(events[2]!.details, { handed_to: 'ferry://extranet/archive', via: 'push', attempts: 1 }, 'to whom, how, which attempt');
  t.ok(read < body.length, `the receiver had read ${read} of ${body.length} bytes: the record came before the last byte`);
});

t.test('a push that never reaches its receiver is no hand-out', async (t) => {
  const pki = await makePki();
  // A port that takes connections and closes them at once: no TLS, no byte of the body read.
  const closer = createNetServer((s) => s.destroy());
  await new Promise<void>((r) => closer.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => closer.close());
  const fx = await startTestGateway(t, { destinationPort: (closer.address() as { port: number }).port, pki });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const db = join(fx.dir, 'data', 'audit.db');
  const r = await putFile(sender, fx.url('police'), Buffer.from('一份通知'), { 'ferry-to': 'extranet/archive', 'content-length': String(Buffer.byteLength('一份通知')), 'ferry-label': 'public' });
  t.equal(r.status, 202);
  const id = r.json.id as string;
  await until(() => [...readRecords(db, { transferId: id })].filter((e) => e.event === 'forwarded').length >= 2, 'two failed attempts');
  await fx.gw.context.audit.commitSoon();
  const events = [...readRecords(db, { transferId: id })].map((e) => e.event);
  t.notOk(events.includes('handed-out'), `no attempt reached the receiver: no hand-out (${events.join(' ')})`);
});

t.test('a push cut after the receiver read it counts as handed out; one the receiver answered 503 does not', async (t) => {
  const pki = await makePki();
  const admin = await pki.issue('ferry://admin/alice', 'admin-alice');
  // The first attempt is read whole and cut with no answer; every later one is read whole and answered 503.
  let attempts = 0;
  const receiver = createServer({ ...pki.system('ferry://extranet/archive'), ca: pki.caCert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const n = ++attempts;
    req.resume();
    req.on('end', () => (n === 1 ? req.socket.destroy() : res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":"DEST_DOWN"}')));
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => {
    receiver.closeAllConnections();
    receiver.close();
  });
  const fx = await startTestGateway(t, { destinationPort: (receiver.address() as { port: number }).port, pki, administrators: '{ alice: sysadmin }' });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const db = join(fx.dir, 'data', 'audit.db');
  const r = await putFile(sender, fx.url('police'), Buffer.from('一份通知'), { 'ferry-to': 'extranet/archive', 'content-length': String(Buffer.byteLength('一份通知')), 'ferry-label': 'public' });
  t.equal(r.status, 202);
  const id = r.json.id as string;
  await until(() => [...readRecords(db, { transferId: id })].filter((e) => e.event === 'forwarded').length >= 3, 'three attempts, two answered 503');
  const res = await request(`https://127.0.0.1:${fx.gw.adminApiPort}/v1/admin/transfers/${id}/cancel`, { method: 'POST', dispatcher: clientFor(t, pki, admin) });
  await res.body.text();
  t.equal(res.statusCode, 200, 'cancelled by the administrator');
  const records = await until(() => {
    const all = [...readRecords(db, { transferId: id })];
    return all.some((e) => e.event === 'failed') ? all : null;
  }, 'the failed record');
  const out = records.filter((e) => e.event === 'handed-out');
  t.ok(out.length >= 3, `every attempt the receiver read is a hand-out on record (${out.length})`);
  t.same(out.map((e) => (e.details as { attempts: number }).attempts), out.map((_, i) => i + 1), 'one an attempt, numbered');
  const end = records.find((e) => e.event === 'failed')!;
  t.match((end.details as { reason?: string }).reason, /; it had been handed out once before \(to ferry:\/\/extranet\/archive, last at .+\), unacknowledged: the destination may hold it$/,
    'the end counts the attempt cut before an answer, not those answered 503');
  t.match(end.details, { handed_out: { count: 1, to: ['ferry://extranet/archive'] } });
});
