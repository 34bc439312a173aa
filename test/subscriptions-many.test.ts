// Many publishers at once on several channels: every message reaches its
// channel's subscriber once, each publisher's order kept.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openPublisher, within } from './helpers/channels.js';
import { gatewayYaml, startDestination, startGatewayProcess } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';
import { runApp } from './helpers/subscriber-app.js';
import { SUB_DESTINATIONS, SUB_POLICY } from './helpers/subscription-policy.js';

const PUBLISHERS = Number(process.env.FERRY_TEST_PUBLISHERS ?? 200);
const PER_PUBLISHER = 5;
const CHANNELS = 10;

t.test(`${PUBLISHERS} concurrent publishers on ${CHANNELS} channels`, async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const feed = await pki.issue('ferry://extranet/feed', 'extranet-feed-many');
  const dir = await mkdtemp(join(tmpdir(), 'ferry-sub-many-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), SUB_POLICY);
  const config = join(dir, 'gateway.yaml');
  // One system with many worker processes on one address: neither its concurrent messages (default 8)
  // nor its connections (default 64 per address) nor its handshakes under way (default 128)
  // are capped at the defaults.
  await writeFile(config, gatewayYaml(pki, dir, { destinationPort: dest.port, destinations: SUB_DESTINATIONS, extra: `limits: { max_uploads_per_principal: ${PUBLISHERS * 2}, max_connections: ${PUBLISHERS * 4}, max_connections_per_address: ${PUBLISHERS * 2}, max_pending_handshakes: ${PUBLISHERS * 2} }` }));
  const gw = await startGatewayProcess(config);
  t.teardown(() => gw.kill9());
  const sys1 = pki.system('ferry://police/sys1');
  const perChannel = (PUBLISHERS / CHANNELS) * PER_PUBLISHER;
  const apps = Array.from({ length: CHANNELS }, (_, c) => runApp(pki, feed, () => gw.ports.extranet!, `ch${c}`, perChannel, 10));
  t.teardown(() => apps.forEach((a) => a.stop()));
  const pubs = await Promise.all(Array.from({ length: PUBLISHERS }, (_, p) => openPublisher(gw.ports.police!, pki.caCert, sys1, `ch${p % CHANNELS}`)));
  t.teardown(() => pubs.forEach((p) => p.close()));
  const answers = await Promise.all(pubs.map(async (pub, p) => {
    const out: number[] = [];
    for (let i = 0; i < PER_PUBLISHER; i++) out.push((await pub.send({ to: 'extranet/feed', label: 'public', body: `p${p}-${i}` })).status as number);
    return out;
  }));
  t.equal(answers.flat().filter((s) => s === 202).length, PUBLISHERS * PER_PUBLISHER, `all ${PUBLISHERS * PER_PUBLISHER} accepted`);
  await within(Promise.all(apps.map((a) => a.done)), 120_000, 'every channel delivered');
  for (const a of apps) a.stop();
  for (let c = 0; c < CHANNELS; c++) {
    const kept = apps[c]!.kept;
    t.equal(kept.length, perChannel, `ch${c}: ${perChannel} messages`);
    t.equal(new Set(kept).size, kept.length, `ch${c}: none twice`);
    const wrongChannel = kept.filter((b) => Number(/^p(\d+)-/.exec(b)![1]) % CHANNELS !== c);
    t.same(wrongChannel, [], `ch${c}: only its own channel's messages`);
    // Each publisher's messages keep their order within the channel.
    const byPub = new Map<string, number[]>();
    for (const b of kept) {
      const [, p, i] = /^p(\d+)-(\d+)$/.exec(b)!;
      byPub.set(p!, [...(byPub.get(p!) ?? []), Number(i)]);
    }
    t.ok([...byPub.values()].every((is) => is.every((v, k) => v === k)), `ch${c}: each publisher's order kept`);
  }
});
