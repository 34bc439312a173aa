// Three real gateways in a row: police/sys1 → gw1 → gw2 → gw3 → social/hr
// (pull) and social/benefits (push). The delivered receipt travels back hop by
// hop whichever way the destination takes delivery, so the source's gateway
// reaches `delivered` with a receipt signed by the last gateway, which the
// sender's `ferry status` verifies with that gateway's key.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { request, type Agent } from 'undici';
import { readRecords } from '../gateway/audit/read-records.js';
import { verifyReceipt } from '../protocol/receipt.js';
import { parseVkey } from '../gateway/audit/signed-note.js';
import { prepareHop, startReceiver, type Hop } from './helpers/chain.js';
import { clientFor, putFile, sha256, until } from './helpers/gateway-fixture.js';
import { makePki, type TestPki } from './helpers/pki.js';
import { textBody } from './helpers/text-body.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
const run = promisify(execFile);

const policy = (name: string, hops: number) => `policy: ${name}
networks: [police, extranet, transit, social]
rules:
  - id: allow-police-to-social
    effect: allow
    description: police systems may send to social systems, across the gateways in between
    match: { from: police/*, to: social/*, label: [public, internal]${hops ? `, via: ${hops === 1 ? 'gw1' : 'gw2'}, hops: { min: ${hops}, max: ${hops} }` : ''} }
`;

interface Three { gw1: Hop; gw2: Hop; gw3: Hop; receiver: Awaited<ReturnType<typeof startReceiver>> }

async function startThree(t: Tap, pki: TestPki): Promise<Three> {
  const receiver = await startReceiver(t, pki, 'ferry://social/benefits');
  const gw3creds = await pki.issue('ferry://gateway/gw3', 'gw3');
  const gw3 = await prepareHop(t, pki, { name: 'gw3', creds: gw3creds, networks: { transit: 0, social: 0 }, policy: policy('gw3', 2), body: '' });
  const gw2 = await prepareHop(t, pki, { name: 'gw2', networks: { extranet: 0, transit: 0 }, policy: policy('gw2', 1), body: '' });
  const gw1 = await prepareHop(t, pki, { name: 'gw1', networks: { police: 0, extranet: 0 }, policy: policy('gw1', 0), body: '' });
  const { appendFile } = await import('node:fs/promises');
  const fast = 'delivery: { retry_initial: 50ms, retry_max: 400ms }';
  await appendFile(gw3.configPath, `destinations:
  social/benefits: { delivery: push, url: "https://127.0.0.1:${receiver.port}/in" }
  social/hr: { delivery: pull }
peers:
  gw2: { networks: [police], key: ${gw2.vkeyPath} }
${fast}
`);
  await gw3.start();
  await appendFile(gw2.configPath, `routes:
  social: { via: gw3, url: "https://127.0.0.1:${gw3.gw!.ports.transit}" }
peers:
  gw1: { networks: [police], key: ${gw1.vkeyPath} }
  gw3: { networks: [social], key: ${gw3.vkeyPath} }
${fast}
`);
  await gw2.start();
  await appendFile(gw1.configPath, `routes:
  social: { via: gw2, url: "https://127.0.0.1:${gw2.gw!.ports.extranet}" }
peers:
  gw2: { networks: [social], key: ${gw2.vkeyPath} }
${fast}
`);
  await gw1.start();
  return { gw1, gw2, gw3, receiver };
}

type Tap = Parameters<typeof startReceiver>[0];

async function status(agent: Agent, hop: Hop, id: string): Promise<Record<string, any>> {
  const res = await request(`${hop.url('police')}/v1/transfers/${id}`, { dispatcher: agent });
  return (await res.body.json()) as Record<string, any>;
}

t.test('three gateways: the delivered receipt of a pull and of a push travels back to the source', async (t) => {
  const pki = await makePki();
  const three = await startThree(t, pki);
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const keys = await Promise.all([three.gw1, three.gw2, three.gw3].map(async (h) => parseVkey(await readFile(h.vkeyPath, 'utf8'))));

  const sent = new Map<string, Buffer>();
  const ids: string[] = [];
  for (const to of ['social/hr', 'social/benefits']) {
    const body = textBody(40_000 + ids.length);
    const r = await putFile(sender, three.gw1.url('police'), body, { 'ferry-to': to, 'content-length': String(body.length), 'ferry-label': 'internal', 'content-type': 'text/plain' });
    t.equal(r.status, 202, `gw1 accepts a transfer for ${to}, two gateways further on`);
    sent.set(r.json.id, body);
    ids.push(r.json.id);
  }
  const [pullId, pushId] = ids as [string, string];

  // The pull waits at gw3 until social/hr takes it: until then the source sees it under way, not delivered.
  await until(async () => (await three.gw3.gw!.context.queue.get(pullId))?.state === 'queued', 'the pull transfer held at gw3', 60_000);
  t.equal((await status(sender, three.gw1, pullId)).state, 'relayed', 'not delivered at the source before the destination has it');

  // social/hr pulls with the real client, which checks the hash and gw3's delivered receipt.
  const out = await mkdtemp(join(tmpdir(), 'ferry-hr-'));
  t.teardown(() => rm(out, { recursive: true, force: true }));
  const hr = pki.system('ferry://social/hr');
  const received = await run(process.execPath, [FERRY, 'receive', '--out', out, '--json', '--gateway', three.gw3.url('social'), '--cert', hr.certPath, '--key', hr.keyPath,
    '--ca', pki.caCertPath, '--verify-key', join(three.gw3.dataDir, 'keys', 'signing.pub')], { encoding: 'utf8' });
  const got = JSON.parse(received.stdout.trim()) as { id: string; sha256: string; signature_verified: boolean };
  t.equal(got.id, pullId);
  t.equal(got.sha256, sha256(sent.get(pullId)!), 'byte-identical at the pull destination');
  t.equal(got.signature_verified, true, "the destination checked gw3's delivered receipt");

  // One question to the source's gateway right after the pull: each gateway asks the next one
  // now rather than at its next scheduled question, so the answer comes from the end of the chain.
  t.equal((await status(sender, three.gw1, pullId)).state, 'delivered', 'the first status after the pull already says delivered');

  for (const [id, how] of [[pullId, 'pull'], [pushId, 'push']] as const) {
    const s = await until(async () => { const x = await status(sender, three.gw1, id); return x.state === 'delivered' ? x : null; }, `${how} delivered at gw1`, 60_000);
    t.same(s.hops.map((h: any) => [h.gateway, h.state]), [['ferry://gateway/gw1', 'delivered'], ['ferry://gateway/gw2', 'delivered'], ['ferry://gateway/gw3', 'delivered']], `${how}: three hops, each delivered`);
    t.equal(s.receipts.delivered.gateway, 'ferry://gateway/gw3', `${how}: the delivered receipt is the last gateway's`);
    t.ok(verifyReceipt(s.receipts.delivered, keys[2]!.publicKey), `${how}: it verifies with gw3's key`);
    t.notOk(verifyReceipt(s.receipts.delivered, keys[1]!.publicKey), `${how}: and not with gw2's`);
    t.equal(s.receipts.delivered.delivered_to, how === 'pull' ? 'ferry://social/hr' : 'ferry://social/benefits');
    const events = (hop: Hop) => [...readRecords(join(hop.dataDir, 'audit.db'), { transferId: id })].map((x) => x.event);
    t.equal(events(three.gw1).filter((e) => e === 'delivered').length, 1, `${how}: gw1 records the outcome once`);
    t.equal(events(three.gw2).filter((e) => e === 'delivered').length, 1, `${how}: so does gw2`);
    t.equal(events(three.gw3).filter((e) => e === 'delivered').length, 1, `${how}: and gw3, which delivered it`);
  }
  t.equal(three.receiver.received.length, 1, 'the push destination got one transfer');

  // The sender checks every receipt with `ferry status`: gw1's accepted one with gw1's key, gw3's delivered one with gw3's.
  const sys1 = pki.system('ferry://police/sys1');
  const { stdout } = await run(process.execPath, [FERRY, 'status', pullId, '--json', '--gateway', three.gw1.url('police'), '--cert', sys1.certPath, '--key', sys1.keyPath,
    '--ca', pki.caCertPath, '--verify-key', join(three.gw1.dataDir, 'keys', 'signing.pub'), '--hop-key', join(three.gw3.dataDir, 'keys', 'signing.pub')], { encoding: 'utf8' });
  t.same(JSON.parse(stdout).signatures_verified, { accepted: true, delivered: true }, 'ferry status verifies the delivered receipt with the last gateway\'s key');
  // With only gw2's key as the hop key, the delivered receipt is not taken as verified: the check can fail.
  const wrong = await run(process.execPath, [FERRY, 'status', pullId, '--gateway', three.gw1.url('police'), '--cert', sys1.certPath, '--key', sys1.keyPath,
    '--ca', pki.caCertPath, '--verify-key', join(three.gw1.dataDir, 'keys', 'signing.pub'), '--hop-key', join(three.gw2.dataDir, 'keys', 'signing.pub')], { encoding: 'utf8' }).then(() => 0, (e: { code: number }) => e.code);
  t.equal(wrong, 1, 'a delivered receipt that no given key verifies is an integrity failure (exit 1)');
  // Each link was checked by the gateway that holds its key: gw2's by gw1, gw3's by gw2 (inside gw2's signed report).
  t.same((await status(sender, three.gw1, pushId)).hops.map((h: any) => h.verified), [undefined, true, true], 'every hop after gw1 is marked verified');

  // A withdrawal passes down the chain: gw1 withdraws from gw2, which withdraws from gw3, which still holds it.
  three.receiver.failWith = 503;
  const body = textBody(30_000);
  const w = await putFile(sender, three.gw1.url('police'), body, { 'ferry-to': 'social/benefits', 'content-length': String(body.length), 'ferry-label': 'internal', 'content-type': 'text/plain' });
  t.equal(w.status, 202);
  const wid = w.json.id as string;
  await until(async () => (await three.gw3.gw!.context.queue.get(wid)) && (await three.gw1.gw!.context.queue.get(wid))?.state === 'relayed', 'relayed by gw1, held at gw3', 60_000);
  const { requestWithdrawal } = await import('../gateway/delivery/withdraw.js');
  // What `ferry admin cancel` does for a relayed transfer (test/multihop-withdraw.test.ts goes through the admin API).
  t.ok(await requestWithdrawal(three.gw1.gw!.context, (await three.gw1.gw!.context.queue.get(wid))!, 'failed', 'cancelled for the test'));
  const end = await until(async () => { const x = await status(sender, three.gw1, wid); return x.state !== 'relayed' ? x : null; }, 'the end at gw1', 60_000);
  t.equal(end.state, 'failed');
  // A push attempt at gw3 that the withdrawal found under way (its bytes sent, no answer yet) is one the
  // receiver may hold: the ends say so (push-handed-out.test.ts); between attempts they say "before delivery".
  const inFlight = '; it had been handed out once before \\(to ferry://social/benefits, last at [^)]+\\), unacknowledged: the destination may hold it';
  t.match(end.reason, new RegExp(`^cancelled for the test; withdrawn from ferry://gateway/gw2( before delivery|${inFlight})$`));
  t.same(end.hops.map((h: any) => [h.gateway, h.state, h.verified]), [['ferry://gateway/gw1', 'failed', undefined], ['ferry://gateway/gw2', 'failed', true], ['ferry://gateway/gw3', 'failed', true]], 'withdrawn at every gateway');
  t.match((await three.gw2.gw!.context.queue.get(wid))?.reason, new RegExp(`^withdrawn by ferry://gateway/gw1: cancelled for the test; withdrawn from ferry://gateway/gw3( before delivery|${inFlight})$`), 'gw2 passed it on to gw3');
  t.match((await three.gw3.gw!.context.queue.get(wid))?.reason, new RegExp(`^withdrawn by ferry://gateway/gw2: withdrawn by ferry://gateway/gw1: cancelled for the test(${inFlight})?$`), 'gw3 dropped it with the reason from the start of the chain');
  const finals = (hop: Hop) => [...readRecords(join(hop.dataDir, 'audit.db'), { transferId: wid })].filter((x) => x.event === 'failed').map((x) => x.details);
  t.match(finals(three.gw2), [{ withdrawn_from: 'ferry://gateway/gw3' }], 'gw2 recorded it withdrawn from gw3');
  t.match(finals(three.gw3), [{ withdrawn_by: 'ferry://gateway/gw2' }], 'gw3 recorded who withdrew it');
  three.receiver.failWith = null;
  t.equal(three.receiver.received.length, 1, 'the push destination still has only the first transfer');
});
