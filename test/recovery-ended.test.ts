// A transfer this gateway ends itself (refused for good by its destination,
// cancelled, expired) is recorded in the audit log before its row is changed
// (delivery/settle.ts), as a delivery is: the other order left a window in
// which the status said 'denied' and the log had no record of it (CI 2 Dec,
// multihop-hostile-hop), and a kill -9 in that window an end the log never
// mentions. Killed between the record and the row, the row is still open at
// the next start: recovery settles it as recorded, neither sent again nor
// recorded twice. Real gateway process, real TLS; the queue writer ends on the
// batch that holds the row's change (FERRY_TEST_QUEUE_WRITER_DIES_ON=settle),
// then kill -9.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { makePki } from './helpers/pki.js';
import { textBody } from './helpers/text-body.js';
import { clientFor, heldDeliverySetup, putFile, startGatewayProcess, until } from './helpers/gateway-fixture.js';

function events(dir: string, id: string): string[] {
  const audit = new Database(join(dir, 'data', 'audit.db'), { readonly: true });
  try {
    return (audit.prepare('SELECT event FROM records WHERE transfer_id = ? ORDER BY seq').all(id) as Array<{ event: string }>).map((x) => x.event);
  } finally {
    audit.close();
  }
}

function rowState(dir: string, id: string): string {
  const q = new Database(join(dir, 'data', 'queue.db'), { readonly: true });
  try {
    return (q.prepare('SELECT state FROM transfers WHERE id = ?').get(id) as { state: string }).state;
  } finally {
    q.close();
  }
}

t.test('killed between a refusal\'s failed record and its row: failed once, one record, not pushed again', async (t) => {
  const pki = await makePki();
  const { dest, config, dir } = await heldDeliverySetup(t, pki, 'ferry-recovery-ended-');
  // Refused for good (a 4xx that is not 408/425/429): the transfer ends failed at its first attempt.
  dest.failWith = 400;
  let child = await startGatewayProcess(config, 'warn', { env: { FERRY_TEST_QUEUE_WRITER_DIES_AT: '1', FERRY_TEST_QUEUE_WRITER_DIES_ON: 'settle' } });
  t.teardown(() => child.kill9());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const body = textBody(700);
  const r = await putFile(sender, `https://127.0.0.1:${child.ports.police}`, body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'public' });
  t.equal(r.status, 202);
  const id = r.json.id as string;
  await until(() => events(dir, id).includes('failed'), 'the failed record is durable');
  await until(async () => (await request(`http://127.0.0.1:${child.adminPort}/healthz`)).statusCode === 503, 'not ready: the writer died on the row\'s change');
  await child.kill9();
  t.not(rowState(dir, id), 'failed', 'on disk the row is still open');
  const pushes = dest.received.filter((x) => x.headers['ferry-transfer-id'] === id).length;

  dest.failWith = null;
  child = await startGatewayProcess(config);
  const s = await request(`https://127.0.0.1:${child.ports.police}/v1/transfers/${id}`, { dispatcher: sender });
  const status = (await s.body.json()) as { state: string; reason: string };
  t.equal(status.state, 'failed', 'failed as soon as the gateway is up again');
  t.match(status.reason, /DEST_DOWN|400/, 'with the reason its record states');
  // A second attempt would come from the scheduler within a retry or two: a later upload delivered shows it has run.
  const next = await putFile(sender, `https://127.0.0.1:${child.ports.police}`, textBody(50), { 'ferry-to': 'extranet/archive', 'content-length': '50', 'ferry-label': 'public' });
  await until(() => dest.received.some((x) => x.headers['ferry-transfer-id'] === next.json.id), 'a later upload delivered');
  t.equal(dest.received.filter((x) => x.headers['ferry-transfer-id'] === id).length, pushes, 'not pushed again');
  const ev = events(dir, id);
  t.equal(ev.filter((e) => e === 'failed').length, 1, `one failed record (${ev.join(' ')})`);
  t.notOk(ev.includes('delivered'), 'and no delivery');
});

