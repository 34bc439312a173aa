// Crash safety across hops: kill -9 of the middle gateway during concurrent
// two-hop transfers loses and duplicates nothing (the next hop down for a
// while, and past the expiry: multihop-expiry.test.ts).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { request, type Agent } from 'undici';
import { startChain, type Hop } from './helpers/chain.js';
import { clientFor, putFile, sha256, startGatewayProcess, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

async function state(agent: Agent, hop: Hop, id: string): Promise<Record<string, any>> {
  const res = await request(`${hop.url('police')}/v1/transfers/${id}`, { dispatcher: agent });
  return (await res.body.json()) as Record<string, any>;
}

t.test('kill -9 of the middle gateway during 20 concurrent two-hop transfers: each delivered exactly once', async (t) => {
  const pki = await makePki();
  const chain = await startChain(t, pki, { fixedPorts: true, noStart: true, extra1: 'limits: { max_uploads_per_principal: 20, idle_timeout: 5m }' });
  // Deliveries from gw2 are held back until after the crash, so that the kill
  // lands on relays (gw1 → gw2) and on gw2's queue, not on a push in flight.
  chain.receiver.failWith = 503;
  let gw2 = await startGatewayProcess(chain.gw2.configPath);
  t.teardown(() => gw2.kill9());
  await chain.gw1.start();
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));

  const accepted = new Map<string, string>();
  const refused: string[] = [];
  const uploads = Array.from({ length: 20 }, async (_, i) => {
    const body = randomBytes(20_000 + i * 15_000);
    const r = await putFile(sender, chain.gw1.url('police'), body, { 'ferry-to': 'social/benefits', 'content-length': String(body.length), 'ferry-label': 'internal' });
    if (r.status === 202) accepted.set(r.json.id, sha256(body));
    else refused.push(`${r.status} ${String(r.json.code)}: ${String(r.json.detail)}`);
  });
  await Promise.all(uploads);
  t.same(refused, [], 'gw1 refused none');
  t.equal(accepted.size, 20, 'gw1 answered every upload 202');
  const q1 = chain.gw1.gw!.context.queue;
  await until(async () => (await Promise.all([...accepted.keys()].map((id) => q1.get(id)))).filter((x) => x?.state === 'relayed').length >= 4, 'some transfers relayed to gw2', 60_000);
  await gw2.kill9();
  const relayedBefore = (await Promise.all([...accepted.keys()].map((id) => q1.get(id)))).filter((x) => x?.state === 'relayed').length;
  t.ok(relayedBefore < 20, `killed with ${relayedBefore} of 20 relayed, the rest queued or in flight`);
  // gw1 keeps trying while gw2 is down.
  await until(async () => (await Promise.all([...accepted.keys()].map((id) => q1.get(id)))).some((x) => /relay to gw2 failed/.test(x?.reason ?? '')), 'a failed relay attempt while gw2 is down');

  chain.receiver.failWith = null;
  gw2 = await startGatewayProcess(chain.gw2.configPath);
  const received = chain.receiver.received;
  await until(() => [...accepted.keys()].every((id) => received.some((r) => r.headers['ferry-transfer-id'] === id)), 'every accepted transfer delivered', 120_000);
  await until(async () => (await Promise.all([...accepted.keys()].map((id) => state(sender, chain.gw1, id)))).every((s) => s.state === 'delivered'), 'gw1 to learn every outcome', 60_000);
  for (const [id, sha] of accepted) {
    const got = received.filter((r) => r.headers['ferry-transfer-id'] === id);
    t.equal(got.length, 1, `${id} delivered exactly once`);
    t.equal(got[0]?.sha256, sha, `${id} byte-identical`);
  }
  t.equal(received.length, 20, 'nothing else arrived');
  await gw2.kill9();
  const out = execFileSync(process.execPath, [FERRY, 'log', 'verify', '--db', join(chain.gw2.dataDir, 'audit.db'), '--pubkey-file', chain.gw2.vkeyPath], { encoding: 'utf8' });
  t.match(out, /^ok: /, "gw2's audit log verifies after kill -9");
});
