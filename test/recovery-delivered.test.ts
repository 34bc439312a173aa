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
import { clientFor, heldDeliverySetup, putFile, startGatewayProcess, until } from './helpers/gateway-fixture.js';
import { readFile } from 'node:fs/promises';

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
