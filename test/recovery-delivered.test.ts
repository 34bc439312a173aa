// A push is recorded `delivered` in the audit log before its row is changed
// (delivery/settle.ts: the other order could leave a delivery the log never
// mentions). Killed between the two, the row is still 'forwarding' at the next
// start: recovery finds the `delivered` record and its receipt, verifies the
// receipt with the gateway's key, and settles the row delivered instead of
// sending the file again (a CI run of the simulator once saw four files so
// delivered twice, with two `delivered` records each). Real gateway process,
// real TLS; the queue writer ends on the batch that holds the row's change
// (FERRY_TEST_QUEUE_WRITER_DIES_ON=markDelivered), then kill -9.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { verifyReceipt } from '../protocol/receipt.js';
import { parseVkey } from '../gateway/audit/signed-note.js';
import { makePki } from './helpers/pki.js';
import { textBody } from './helpers/text-body.js';
import { clientFor, gatewayYaml, heldDeliverySetup, putFile, startDestination, startGatewayProcess, until } from './helpers/gateway-fixture.js';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openPublisher, openSubscriber } from './helpers/channels.js';
import { startChain } from './helpers/chain.js';
import { SUB_DESTINATIONS, SUB_POLICY } from './helpers/subscription-policy.js';

const FERRY_BIN = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

t.test('killed between a push\'s delivered record and its row: delivered once, one record, the receipt as recorded', async (t) => {
  const pki = await makePki();
  const { dest, config, dir } = await heldDeliverySetup(t, pki, 'ferry-recovery-delivered-');
  dest.failWith = null;
  let child = await startGatewayProcess(config, 'warn', { env: { FERRY_TEST_QUEUE_WRITER_DIES_AT: '1', FERRY_TEST_QUEUE_WRITER_DIES_ON: 'markDelivered' } });
  t.teardown(() => child.kill9());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = textBody(700);
  const r = await putFile(sender, `https://127.0.0.1:${child.ports.police}`, body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'public' });
  t.equal(r.status, 202);
  const id = r.json.id as string;
  await until(() => dest.received.some((x) => x.headers['ferry-transfer-id'] === id), 'pushed to the destination');
  await until(async () => (await request(`http://127.0.0.1:${child.adminPort}/healthz`)).statusCode === 503, 'not ready: the writer died on the row\'s change');
  await child.kill9();
  const before = new Database(join(dir, 'data', 'queue.db'), { readonly: true });
  t.equal((before.prepare('SELECT state FROM transfers WHERE id = ?').get(id) as { state: string }).state, 'forwarding', 'on disk the row still says forwarding');
  before.close();

  child = await startGatewayProcess(config);
  const s = await request(`https://127.0.0.1:${child.ports.police}/v1/transfers/${id}`, { dispatcher: sender });
  const status = (await s.body.json()) as { state: string; receipts?: { delivered?: Parameters<typeof verifyReceipt>[0] } };
  t.equal(status.state, 'delivered', 'delivered as soon as the gateway is up again');
  const vkey = await readFile(join(dir, 'data', 'keys', 'audit.vkey'), 'utf8');
  t.ok(status.receipts?.delivered && verifyReceipt(status.receipts.delivered, parseVkey(vkey.trim()).publicKey), 'with the receipt the delivered record states, verified with the gateway\'s key');
  // A redelivery would come from the scheduler within a retry or two: a later upload delivered shows it has run.
  const next = await putFile(sender, `https://127.0.0.1:${child.ports.police}`, textBody(50), { 'ferry-to': 'extranet/archive', 'content-length': '50', 'ferry-label': 'public' });
  await until(() => dest.received.some((x) => x.headers['ferry-transfer-id'] === next.json.id), 'a later upload delivered');
  t.equal(dest.received.filter((x) => x.headers['ferry-transfer-id'] === id).length, 1, 'the file reached the destination once');
  const audit = new Database(join(dir, 'data', 'audit.db'), { readonly: true });
  t.teardown(() => audit.close());
  const events = (audit.prepare('SELECT event FROM records WHERE transfer_id = ? ORDER BY seq').all(id) as Array<{ event: string }>).map((x) => x.event);
  t.equal(events.filter((e) => e === 'delivered').length, 1, `one delivered record (${events.join(' ')})`);
});

/** Settled by one of the gateway's keys (the one in force, or one retired by a rotation since). */
async function receiptChecks(dir: string, receipt: Parameters<typeof verifyReceipt>[0] | undefined): Promise<boolean> {
  if (!receipt) return false;
  const keys = [parseVkey((await readFile(join(dir, 'data', 'keys', 'audit.vkey'), 'utf8')).trim()).publicKey];
  for (const r of await readdir(join(dir, 'data', 'keys', 'retired')).catch(() => [] as string[])) {
    keys.push(createPublicKey(await readFile(join(dir, 'data', 'keys', 'retired', r, 'signing.pub'))));
  }
  return keys.some((k) => verifyReceipt(receipt, k));
}

function deliveredRecords(dir: string, id: string): { count: number; events: string } {
  const audit = new Database(join(dir, 'data', 'audit.db'), { readonly: true });
  try {
    const events = (audit.prepare('SELECT event FROM records WHERE transfer_id = ? ORDER BY seq').all(id) as Array<{ event: string }>).map((x) => x.event);
    return { count: events.filter((e) => e === 'delivered').length, events: events.join(' ') };
  } finally {
    audit.close();
  }
}

const DIES_ON_DELIVERED = { env: { FERRY_TEST_QUEUE_WRITER_DIES_AT: '1', FERRY_TEST_QUEUE_WRITER_DIES_ON: 'markDelivered' } };

// Fifth red team, F1: the same window for a subscriber's acknowledgement (records, then the rows and
// the ack mark in one queue commit). Before, the messages were 'queued' at the next start, sent again
// and settled again: a second `delivered` record with a second receipt each.
t.test('killed between an acknowledgement\'s delivered records and its rows: settled once, not sent again', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-recovery-ack-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), SUB_POLICY);
  const config = join(dir, 'gateway.yaml');
  await writeFile(config, gatewayYaml(pki, dir, { destinationPort: dest.port, destinations: SUB_DESTINATIONS }));
  let child = await startGatewayProcess(config, 'warn', DIES_ON_DELIVERED);
  t.teardown(() => child.kill9());
  const sys1 = pki.system('ferry://police/sys1');
  const feed = await pki.issue('ferry://extranet/feed', 'extranet-feed-recovery');
  const pub = await openPublisher(child.ports.police!, pki.caCert, sys1, 'acks');
  const ids: string[] = [];
  for (let i = 1; i <= 5; i++) ids.push((await pub.send({ to: 'extranet/feed', label: 'public', body: `a${i}` })).id as string);
  await pub.close();
  const sub = await openSubscriber(child.ports.extranet!, pki.caCert, feed, 'acks');
  t.same((await sub.waitFor(5)).map((m) => m.seq), [1, 2, 3, 4, 5]);
  sub.ack(5);
  await until(async () => (await request(`http://127.0.0.1:${child.adminPort}/healthz`)).statusCode === 503, 'not ready: the writer died on the rows\' change');
  await child.kill9();
  await sub.close();
  const before = new Database(join(dir, 'data', 'queue.db'), { readonly: true });
  const states = ids.map((id) => (before.prepare('SELECT state FROM transfers WHERE id = ?').get(id) as { state: string }).state);
  before.close();
  t.ok(states.every((s) => s === 'queued' || s === 'accepted'), `on disk none is delivered yet (${states.join(' ')})`);
  t.ok(ids.every((id) => deliveredRecords(dir, id).count === 1), 'and each has its delivered record');

  child = await startGatewayProcess(config);
  const sender = clientFor(t, pki, sys1);
  for (const id of ids) {
    const s = await request(`https://127.0.0.1:${child.ports.police}/v1/transfers/${id}`, { dispatcher: sender });
    const status = (await s.body.json()) as { state: string; receipts?: { delivered?: Parameters<typeof verifyReceipt>[0] } };
    t.equal(status.state, 'delivered', `${id}: delivered as soon as the gateway is up again`);
    t.ok(await receiptChecks(dir, status.receipts?.delivered), 'with the receipt its record states');
  }
  // Nothing comes again: a later message is the first the next subscription gets.
  const again = await openSubscriber(child.ports.extranet!, pki.caCert, feed, 'acks');
  t.teardown(() => again.close());
  const pub2 = await openPublisher(child.ports.police!, pki.caCert, sys1, 'acks');
  t.teardown(() => pub2.close());
  await pub2.send({ to: 'extranet/feed', label: 'public', body: 'a6' });
  t.same((await again.waitFor(1)).map((m) => m.seq), [6], 'the next subscription gets only the later message');
  for (const id of ids) {
    const r = deliveredRecords(dir, id);
    t.equal(r.count, 1, `one delivered record (${r.events})`);
  }
});

// F2 and F4: a pull's acknowledgement in the same window, and the signing key rotated while the gateway
// was down (the receipt its record states checks with the retired key, not the one in force).
t.test('killed between a pull acknowledgement\'s record and its row, keys rotated while down: delivered once, the recorded receipt kept', async (t) => {
  const pki = await makePki();
  const { config, dir } = await heldDeliverySetup(t, pki, 'ferry-recovery-pull-');
  let child = await startGatewayProcess(config, 'warn', DIES_ON_DELIVERED);
  t.teardown(() => child.kill9());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const portal = clientFor(t, pki, pki.system('ferry://extranet/portal'));
  const body = textBody(300);
  const r = await putFile(sender, `https://127.0.0.1:${child.ports.police}`, body, { 'ferry-to': 'extranet/portal', 'content-length': String(body.length), 'ferry-label': 'public' });
  t.equal(r.status, 202);
  const id = r.json.id as string;
  const got = await request(`https://127.0.0.1:${child.ports.extranet}/v1/inbox/${id}`, { dispatcher: portal });
  t.same(Buffer.from(await got.body.arrayBuffer()), body, 'fetched');
  const ack = await request(`https://127.0.0.1:${child.ports.extranet}/v1/inbox/${id}`, { method: 'DELETE', dispatcher: portal });
  await ack.body.dump();
  t.not(ack.statusCode, 200, 'the acknowledgement is not answered: the writer died on the row\'s change');
  await child.kill9();
  t.equal(deliveredRecords(dir, id).count, 1, 'its delivered record is durable');
  const rotate = spawnSync(process.execPath, [FERRY_BIN, 'keys', 'rotate', '--data-dir', join(dir, 'data')], { encoding: 'utf8' });
  t.equal(rotate.status, 0, `keys rotated while the gateway was down: ${rotate.stderr}`);

  child = await startGatewayProcess(config);
  const s = await request(`https://127.0.0.1:${child.ports.police}/v1/transfers/${id}`, { dispatcher: sender });
  const status = (await s.body.json()) as { state: string; receipts?: { delivered?: Parameters<typeof verifyReceipt>[0] & { signature: string } } };
  t.equal(status.state, 'delivered', 'delivered as soon as the gateway is up again');
  t.ok(await receiptChecks(dir, status.receipts?.delivered), 'with the receipt its record states, checked with the retired key');
  const list = await request(`https://127.0.0.1:${child.ports.extranet}/v1/inbox`, { dispatcher: portal });
  t.notMatch(await list.body.text(), id, 'no longer in the inbox');
  const repeat = await request(`https://127.0.0.1:${child.ports.extranet}/v1/inbox/${id}`, { method: 'DELETE', dispatcher: portal });
  const repeated = (await repeat.body.json()) as { receipt?: { signature: string } };
  t.equal(repeat.statusCode, 200, 'the receiver\'s repeated acknowledgement is answered');
  t.equal(repeated.receipt?.signature, status.receipts?.delivered?.signature, 'with the same receipt');
  const rec = deliveredRecords(dir, id);
  t.equal(rec.count, 1, `one delivered record (${rec.events})`);
});

// F3: a relayed transfer's outcome (the next gateway's word) is recorded, then written into the row. Killed
// between the two, the row is still 'relayed' at the next start and the outcome is asked for again: it goes
// into the row, with no second `delivered` record at the source gateway.
t.test('killed between a relayed transfer\'s outcome record and its row: one delivered record at the source', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { fixedPorts: true, noStart: true });
  const gw2 = await startGatewayProcess(chain.gw2.configPath);
  t.teardown(() => gw2.kill9());
  let gw1 = await startGatewayProcess(chain.gw1.configPath, 'warn', { env: { FERRY_TEST_QUEUE_WRITER_DIES_AT: '1', FERRY_TEST_QUEUE_WRITER_DIES_ON: 'settleRelayed' } });
  t.teardown(() => gw1.kill9());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = textBody(600);
  const put = await putFile(sender, `https://127.0.0.1:${gw1.ports.police}`, body, { 'ferry-to': 'social/benefits', 'ferry-label': 'public', 'content-length': String(body.length) });
  t.equal(put.status, 202);
  const id = put.json.id as string;
  await until(() => chain.receiver.received.length > 0, 'delivered by gw2');
  await until(async () => (await request(`http://127.0.0.1:${gw1.adminPort}/healthz`)).statusCode === 503, 'gw1 not ready: its writer died on the row\'s change', 30_000);
  await gw1.kill9();
  const rows = new Database(join(chain.gw1.dataDir, 'queue.db'), { readonly: true });
  t.equal((rows.prepare('SELECT state FROM transfers WHERE id = ?').get(id) as { state: string }).state, 'relayed', 'on disk the row still says relayed');
  rows.close();
  t.equal(deliveredRecords(join(chain.gw1.dataDir, '..'), id).count, 1, 'its delivered record is durable');
  gw1 = await startGatewayProcess(chain.gw1.configPath);
  await until(async () => {
    const r = await request(`https://127.0.0.1:${gw1.ports.police}/v1/transfers/${id}`, { dispatcher: sender });
    return ((await r.body.json()) as { state: string }).state === 'delivered';
  }, 'delivered at gw1 once it asked again', 30_000);
  await gw1.kill9();
  const rec = deliveredRecords(join(chain.gw1.dataDir, '..'), id);
  t.equal(rec.count, 1, `one delivered record at gw1 (${rec.events})`);
  t.equal(chain.receiver.received.length, 1, 'delivered to the destination once');
});
