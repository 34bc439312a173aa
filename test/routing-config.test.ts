// routes, peers and max_hops in gateway.yaml: validated at start, each problem with file:line:col.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ConfigError, parseGatewayConfig } from '../gateway/config/gateway-config.js';
import { initGatewayKeys } from '../gateway/keys/init-keys.js';
import { RouteTable } from '../gateway/routing/route-table.js';
import { openEnvelope } from '../gateway/routing/envelope.js';
import { envelopeFrom } from './helpers/relay-envelope.js';

const base = `name: gw-police-extranet
data_dir: ./data
tls: { ca: ca.crt, cert: gw.crt, key: gw.key }
networks:
  police: { listen: "127.0.0.1:0" }
  extranet: { listen: "127.0.0.1:0" }
destinations:
  extranet/archive: { delivery: pull }
`;

function problems(text: string, file: string): string[] {
  try {
    parseGatewayConfig(text, file);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message.split('\n');
  }
}

t.test('a valid routing section', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-routes-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const peer = await initGatewayKeys(join(dir, 'peer-data'), 'gw-extranet-social');
  const file = join(dir, 'gateway.yaml');
  const c = parseGatewayConfig(`${base}routes:
  social: { via: gw-extranet-social, url: "https://127.0.0.1:9443/" }
peers:
  gw-extranet-social: { networks: [social, social], key: peer-data/keys/audit.vkey }
  gw-inline: { networks: [health], key: "${(await initGatewayKeys(join(dir, 'inline'), 'gw-inline')).vkey}" }
`, file);
  t.match(c.routing.routes.get('social'), { network: 'social', via: 'gw-extranet-social', url: 'https://127.0.0.1:9443' }, 'the trailing slash is dropped');
  t.equal(c.routing.routes.get('social')?.keys.length, 1, "the next hop's key to check its receipts: the one listed for it as a peer");
  t.equal(c.routing.routes.get('social')?.keys[0]?.export({ format: 'der', type: 'spki' }).toString('hex'),
    c.routing.peers.get('gw-extranet-social')?.key.export({ format: 'der', type: 'spki' }).toString('hex'));
  const own = parseGatewayConfig(`${base}routes:
  social: { via: gw-extranet-social, url: "https://127.0.0.1:9443", key: peer-data/keys/audit.vkey }
`, file);
  t.equal(own.routing.routes.get('social')?.keys.length, 1, 'or given with the route, the next hop not being a peer');
  const none = problems(`${base}routes:
  social: { via: gw-extranet-social, url: "https://127.0.0.1:9443" }
`, file);
  t.match(none, [new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:10:\\d+: .*names no key for 'gw-extranet-social'`)], 'a route with no key for its next hop is a config error, at its line');
  t.same(c.routing.peers.get('gw-extranet-social')?.networks, ['social']);
  t.equal(c.routing.peers.get('gw-extranet-social')?.key.asymmetricKeyType, 'ed25519', 'the key read from the vkey file');
  t.ok(c.routing.peers.get('gw-inline'), 'a key given as text');
  t.equal(c.routing.maxHops, 8, 'max_hops defaults to 8');

  const table = new RouteTable(c.networks.map((n) => n.name), c.destinations, c.routing);
  t.same(table.resolve('extranet/archive'), { kind: 'here', delivery: 'pull' });
  t.equal((table.resolve('social/benefits') as { kind: string; route: { via: string } }).route.via, 'gw-extranet-social');
  t.throws(() => table.resolve('health/clinic'), { code: 'FERRY_ROUTE_UNKNOWN' });
  t.throws(() => table.resolve('extranet/nobody'), { code: 'FERRY_DESTINATION_UNKNOWN' });

  // A transfer is asked about, and withdrawn from, the gateway that took it, even once its network is routed elsewhere.
  await initGatewayKeys(join(dir, 'new-data'), 'gw-new');
  const moved = parseGatewayConfig(`${base}routes:
  social: { via: gw-new, url: "https://127.0.0.1:9445", key: new-data/keys/audit.vkey }
  market: { via: gw-extranet-social, url: "https://127.0.0.1:9443", key: peer-data/keys/audit.vkey }
`, file);
  const after = new RouteTable(moved.networks.map((n) => n.name), moved.destinations, moved.routing);
  t.equal(after.routeFor('social/benefits')?.via, 'gw-new', 'social is routed through another gateway now');
  t.equal(after.routeThrough('gw-extranet-social', 'social/benefits')?.url, 'https://127.0.0.1:9443', 'the gateway that holds it is still reached');
  t.equal(after.routeThrough('gw-new', 'social/benefits')?.via, 'gw-new', "the destination's own route when it goes through that gateway");
  t.equal(after.routeThrough('gw-gone', 'social/benefits'), undefined, 'a gateway no route reaches any more: none (asked again, never taken as withdrawn)');
});

t.test('bad routes and peers stop the gateway with file:line:col', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-routes-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const wrongName = await initGatewayKeys(join(dir, 'other'), 'gw-somebody-else');
  await writeFile(join(dir, 'junk.vkey'), 'not a key\n');
  const file = join(dir, 'gateway.yaml');
  const p = problems(`${base}routes:
  social: { via: gw-police-extranet, url: "https://127.0.0.1:9443" }
  extranet: { via: gw-x, url: "https://127.0.0.1:9444" }
  health: { via: gw-y, url: "http://127.0.0.1:9445" }
peers:
  gw-police-extranet: { networks: [police], key: x }
  gw-a: { networks: [social], key: missing.vkey }
  gw-b: { networks: [social], key: junk.vkey }
  gw-c: { networks: [social], key: "${wrongName.vkey}" }
max_hops: 0
`, file);
  const at = (line: number, re: RegExp) => t.ok(p.some((x) => x.startsWith(`${file}:${line}:`) && re.test(x)), `line ${line}: ${re}`);
  at(12, /does not have the expected form/); // http:// url
  at(18, /must be >= 1/);
  t.equal(p.length, 2, 'schema problems first, alone');

  const q = problems(`${base}routes:
  social: { via: gw-police-extranet, url: "https://127.0.0.1:9443" }
  extranet: { via: gw-x, url: "https://127.0.0.1:9444" }
peers:
  gw-police-extranet: { networks: [police], key: x }
  gw-a: { networks: [social], key: missing.vkey }
  gw-b: { networks: [social], key: junk.vkey }
  gw-c: { networks: [social], key: "${wrongName.vkey}" }
`, file);
  const at2 = (line: number, re: RegExp) => t.ok(q.some((x) => x.startsWith(`${file}:${line}:`) && re.test(x)), `line ${line}: ${re}`);
  at2(10, /through this gateway itself/);
  at2(11, /borders this gateway/);
  at2(13, /is this gateway; a gateway is not its own peer/);
  at2(14, /neither a verifier key .* nor a readable file: ENOENT/);
  at2(15, /not a valid verifier key/);
  at2(16, /is named 'ferry.gateway\/gw-somebody-else', not 'ferry.gateway\/gw-c'/);
});

t.test('peers.<name>.key as a list, while the peer rotates its keys: envelopes signed by either key open', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-peer-keys-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const oldKeys = await initGatewayKeys(join(dir, 'old'), 'gw-extranet-social');
  const newKeys = await initGatewayKeys(join(dir, 'new'), 'gw-extranet-social');
  const c = parseGatewayConfig(`${base}peers:
  gw-extranet-social: { networks: [social], key: ["${oldKeys.vkey}", new/keys/audit.vkey] }
`, join(dir, 'gateway.yaml'));
  const peer = c.routing.peers.get('gw-extranet-social')!;
  t.equal(peer.keys.length, 2, 'both keys are listed');
  const body = Buffer.from('relayed across a key rotation\n');
  const before = await envelopeFrom(join(dir, 'old'), 'gw-extranet-social', body);
  const after = await envelopeFrom(join(dir, 'new'), 'gw-extranet-social', body);
  t.equal(openEnvelope(before.sealed, peer.keys).transfer, before.id, 'an envelope signed by the old key opens');
  t.equal(openEnvelope(after.sealed, peer.keys).transfer, after.id, 'and one signed by the new key');
  t.throws(() => openEnvelope(after.sealed, [peer.keys[0]!]), { code: 'FERRY_ENVELOPE_INVALID' }, 'the old key alone does not open the new one\'s');
  t.match(problems(`${base}peers:\n  gw-extranet-social: { networks: [social], key: ["${oldKeys.vkey}", missing.vkey] }\n`, join(dir, 'gateway.yaml')).join('\n'), /key of peer 'gw-extranet-social' is neither a verifier key .* nor a readable file/, 'a bad entry in the list is named');
});
