// A message to a subscription is answered 202 once its row and its `accepted`
// record are durable; its row's move to 'queued' is committed after the answer.
// The queue writer killed on that very write, then the gateway killed (-9) and
// started again: the message answered 202 is delivered, in order, exactly the
// messages answered are, and the log verifies. Real gateway process, real TLS;
// the writer ends through a test hook (FERRY_TEST_QUEUE_WRITER_DIES_ON=markQueued
// with FERRY_TEST_QUEUE_WRITER_DIES_AT=N: on receiving the batch with the Nth).
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { request } from 'undici';
import { openPublisher, openSubscriber } from './helpers/channels.js';
import { gatewayYaml, startDestination, startGatewayProcess, until, type GatewayProcess, type Tap } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { SUB_DESTINATIONS, SUB_POLICY } from './helpers/subscription-policy.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
const DIES_AT = 4;

/** A gateway directory whose extranet/feed takes messages by subscription, and the feed's certificate. */
async function subscriptionGateway(t: Tap, name: string) {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const feed = await pki.issue('ferry://extranet/feed', `extranet-feed-${name}`);
  const dir = await mkdtemp(join(tmpdir(), `ferry-sub-${name}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), SUB_POLICY);
  const config = join(dir, 'gateway.yaml');
  await writeFile(config, gatewayYaml(pki, dir, { destinationPort: dest.port, destinations: SUB_DESTINATIONS }));
  return { pki, feed, dir, config };
}

t.test('the queue writer dies on the move to queued of a message already answered 202; after kill -9 and a restart it is delivered, in order', async (t) => {
  const { pki, feed, dir, config } = await subscriptionGateway(t, 'answered');
  let gw: GatewayProcess = await startGatewayProcess(config, 'warn', { env: { FERRY_TEST_QUEUE_WRITER_DIES_AT: String(DIES_AT), FERRY_TEST_QUEUE_WRITER_DIES_ON: 'markQueued' } });
  t.teardown(() => gw.kill9());
  const sys1 = pki.system('ferry://police/sys1');

  // One at a time: the Nth move to 'queued' is the Nth message's, and comes after its answer.
  const pub = await openPublisher(gw.ports.police!, pki.caCert, sys1, 'alerts');
  const answered: string[] = [];
  const refused: string[] = [];
  for (let i = 1; i <= DIES_AT + 2; i++) {
    const a: Record<string, any> = await pub.send({ to: 'extranet/feed', label: 'internal', body: `警报 ${i}` }).catch(() => ({ status: 0 }));
    if (a.status === 202) answered.push(a.id as string);
    else refused.push(`${i}: ${a.status} ${a.problem?.code ?? ''}`);
  }
  pub.close();
  t.equal(answered.length, DIES_AT, `the first ${DIES_AT} answered 202, the last of them the one whose move to queued killed the writer`);
  t.equal(refused.length, 2, `the ones after it refused with a code (${refused.join('; ')})`);
  t.ok(refused.every((r) => /FERRY_(STORAGE_UNAVAILABLE|NOT_READY)/.test(r)), 'refused as the store being unavailable or the gateway not ready');
  const health = await request(`http://127.0.0.1:${gw.adminPort}/healthz`);
  t.equal(health.statusCode, 503, 'not ready once the writer is gone');
  await health.body.dump();

  await gw.kill9();
  const db = new Database(join(dir, 'data', 'queue.db'), { readonly: true });
  const stateOf = (id: string) => (db.prepare('SELECT state FROM transfers WHERE id = ?').get(id) as { state: string } | undefined)?.state;
  t.equal(stateOf(answered[DIES_AT - 1]!), 'accepted', 'the last answered is still accepted on disk: its move to queued was never committed');
  db.close();

  gw = await startGatewayProcess(config);
  const sub = await openSubscriber(gw.ports.extranet!, pki.caCert, feed, 'alerts');
  t.teardown(() => sub.close());
  const got = await sub.waitFor(DIES_AT);
  t.same(got.map((m) => m.id), answered, 'every message answered 202 is delivered, in order, and nothing else');
  t.same(got.map((m) => m.body), answered.map((_, i) => `警报 ${i + 1}`), 'bodies intact');
  t.same(got.map((m) => m.seq), answered.map((_, i) => i + 1), 'sequence 1..N, no gap');
  sub.ack(got[got.length - 1]!.seq);
  const reader = new Database(join(dir, 'data', 'queue.db'), { readonly: true });
  t.teardown(() => reader.close());
  await until(async () => answered.every((id) => (reader.prepare('SELECT state FROM transfers WHERE id = ?').get(id) as { state: string }).state === 'delivered'), 'all settled as delivered');
  const out = execFileSync(process.execPath, [FERRY, 'log', 'verify', '--db', join(dir, 'data', 'audit.db')], { encoding: 'utf8' });
  t.match(out, /OK|verified/i, 'the audit log verifies');
  const audit = new Database(join(dir, 'data', 'audit.db'), { readonly: true });
  t.teardown(() => audit.close());
  const events = (id: string) => (audit.prepare('SELECT event FROM records WHERE transfer_id = ? ORDER BY seq').all(id) as Array<{ event: string }>).map((r) => r.event);
  t.same(events(answered[DIES_AT - 1]!), ['received', 'accepted', 'handed-out', 'delivered'], 'its records: received and accepted before the answer, handed out (sent once) and delivered after the restart; no failed');
});

t.test('the audit writer dies on a message\'s accepted record: not answered 202, and after kill -9 and a restart failed, never sent', async (t) => {
  const { pki, feed, dir, config } = await subscriptionGateway(t, 'unanswered');
  // A message's `received` goes in the same append as its `accepted`: the Nth is the Nth message's.
  let gw: GatewayProcess = await startGatewayProcess(config, 'warn', { env: { FERRY_TEST_AUDIT_WRITER_DIES_AT: String(DIES_AT) } });
  t.teardown(() => gw.kill9());
  const pub = await openPublisher(gw.ports.police!, pki.caCert, pki.system('ferry://police/sys1'), 'alerts');
  const answers: Array<Record<string, any>> = [];
  for (let i = 1; i <= DIES_AT; i++) answers.push(await pub.send({ to: 'extranet/feed', label: 'internal', body: `通报 ${i}` }).catch(() => ({ status: 0 })));
  pub.close();
  t.same(answers.map((a) => a.status), [202, 202, 202, 503], 'the one whose accepted record was never written is not answered 202');
  const lost = answers[DIES_AT - 1]!.problem?.transfer as string | undefined;
  await gw.kill9();
  gw = await startGatewayProcess(config);
  const sub = await openSubscriber(gw.ports.extranet!, pki.caCert, feed, 'alerts');
  t.teardown(() => sub.close());
  // One more after the restart: whatever the stream holds comes before it.
  const after = await openPublisher(gw.ports.police!, pki.caCert, pki.system('ferry://police/sys1'), 'alerts');
  t.teardown(() => after.close());
  const marker = await after.send({ to: 'extranet/feed', label: 'internal', body: '通报 之后' });
  t.equal(marker.status, 202);
  const got = await sub.waitFor(DIES_AT);
  t.same(got.map((m) => m.id), [...answers.slice(0, DIES_AT - 1).map((a) => a.id), marker.id], 'exactly the messages answered 202 are sent, then the next');
  t.same(got.map((m) => m.body), ['通报 1', '通报 2', '通报 3', '通报 之后']);
  if (lost) {
    const db = new Database(join(dir, 'data', 'queue.db'), { readonly: true });
    t.teardown(() => db.close());
    t.match(db.prepare('SELECT state FROM transfers WHERE id = ?').get(lost) ?? { state: 'failed' }, { state: 'failed' }, 'its row, if stored, failed at the restart');
  }
});
