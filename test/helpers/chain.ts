// A chain of real gateways on 127.0.0.1 for multi-hop tests:
//   police/sys1 → gw1 (police | extranet) → gw2 (extranet | social) → social/benefits (push)
// Real mTLS with the test PKI's gateway certificates, real SQLite files, the
// peers' keys made with initGatewayKeys before either gateway starts (as
// `ferry keys init` does), and a push receiver that counts what it gets.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGatewayConfig } from '../../gateway/config/gateway-config.js';
import { startGateway, type RunningGateway } from '../../gateway/gateway.js';
import { initGatewayKeys } from '../../gateway/keys/init-keys.js';
import { createLogger } from '../../gateway/log/logger.js';
import { freePort } from './free-port.js';
import type { Tap } from './gateway-fixture.js';
import type { Credentials, TestPki } from './pki.js';

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  sha256: string;
  size: number;
}

export interface Receiver {
  port: number;
  received: Received[];
  /** Answer this status instead of 200 while set. */
  failWith: number | null;
  close(): Promise<void>;
}

const issued = new Map<string, Promise<Credentials>>();

/** The certificate of a push receiver (TLS server), issued once per PKI. */
export function serverSystem(pki: TestPki, id: string): Promise<Credentials> {
  const key = `${pki.dir}\n${id}`;
  let p = issued.get(key);
  if (!p) {
    p = pki.issue(id, id.replace(/^ferry:\/\//, '').replace(/\//g, '-'), { days: 30, server: true });
    issued.set(key, p);
  }
  return p;
}

export async function startReceiver(t: Tap, pki: TestPki, id: string, port = 0): Promise<Receiver> {
  const creds = await serverSystem(pki, id);
  const received: Received[] = [];
  const server: Server = createServer({ cert: creds.cert, key: creds.key, ca: pki.caCert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (c: Buffer) => {
      hash.update(c);
      size += c.length;
    });
    req.on('end', () => {
      if (r.failWith) {
        res.writeHead(r.failWith, { 'content-type': 'application/json' }).end('{"code":"DOWN","detail":"failing on purpose"}');
        return;
      }
      received.push({ headers: req.headers, sha256: hash.digest('hex'), size });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((res) => server.listen(port, '127.0.0.1', () => res()));
  const r: Receiver = {
    port: (server.address() as { port: number }).port,
    received,
    failWith: null,
    close: () => new Promise<void>((res) => {
      server.closeAllConnections();
      server.close(() => res());
    }),
  };
  t.teardown(() => r.close());
  return r;
}

export const GW1_POLICY = `policy: gw1
networks: [police, extranet, social]
rules:
  - id: allow-police-to-social
    effect: allow
    description: police systems may send to social systems, through the extranet
    match: { from: police/*, to: social/*, label: [public, internal] }
`;

/** gw2 decides for itself: the original sender is still 'from', and a keyword only gw2 lists is refused. */
export const GW2_POLICY = `policy: gw2
networks: [police, extranet, social]
rules:
  - id: allow-police-to-social-via-peer
    effect: allow
    description: police systems, relayed by a peer gateway, may send to social systems
    match: { from: police/*, to: social/*, label: [public, internal], principal: "ferry://gateway/*", via: gw1, hops: { min: 1, max: 1 } }
  - id: deny-keyword
    effect: deny
    description: a keyword of this gateway's list never reaches the social network
    when: { finding: keyword }
`;

export { freePort };

export interface HopSpec {
  /** gw1 and gw2 are in the test PKI; any other name brings its certificate in `creds` */
  name: string;
  creds?: Credentials;
  networks: Record<string, number>;
  policy: string;
  /** YAML lines: destinations, routes, peers, max_hops, delivery… */
  body: string;
  /** admin.administrators as a YAML flow mapping, e.g. '{ al: auditor }' (the console) */
  administrators?: string;
}

export interface Hop {
  name: string;
  dir: string;
  dataDir: string;
  configPath: string;
  vkeyPath: string;
  gw: RunningGateway | null;
  url(network: string): string;
  start(): Promise<RunningGateway>;
}

/** Write a gateway's directory, make its keys (before any gateway starts), but do not start it. */
export async function prepareHop(t: Tap, pki: TestPki, spec: HopSpec): Promise<Hop> {
  const dir = await mkdtemp(join(tmpdir(), `ferry-${spec.name}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const { vkeyPath } = await initGatewayKeys(dataDir, spec.name);
  await writeFile(join(dir, 'policy.yaml'), spec.policy);
  const creds = spec.creds ?? pki.gateway(spec.name);
  const configPath = join(dir, 'gateway.yaml');
  const hop: Hop = {
    name: spec.name, dir, dataDir, configPath, vkeyPath, gw: null,
    url: (network) => `https://127.0.0.1:${hop.gw?.ports[network] ?? spec.networks[network]}`,
    async start() {
      const { readFile } = await import('node:fs/promises');
      const config = parseGatewayConfig(await readFile(configPath, 'utf8'), configPath);
      hop.gw = await startGateway(config, { log: createLogger({ level: process.env.FERRY_TEST_LOG ?? 'silent' }) });
      const gw = hop.gw;
      t.teardown(() => gw.stop());
      return gw;
    },
  };
  await writeFile(configPath, `name: ${spec.name}
data_dir: ${dataDir}
tls: { ca: ${pki.caCertPath}, cert: ${creds.certPath}, key: ${creds.keyPath} }
networks:
${Object.entries(spec.networks).map(([n, p]) => `  ${n}: { listen: "127.0.0.1:${p}" }`).join('\n')}
admin: { listen: "127.0.0.1:0"${spec.administrators ? `, administrators: ${spec.administrators}` : ''} }
policy: ${join(dir, 'policy.yaml')}
audit: { checkpoint_every: 100, checkpoint_interval: 1s }
${spec.body}
`);
  return hop;
}

export interface Chain {
  gw1: Hop;
  gw2: Hop;
  receiver: Receiver;
}

export interface ChainOptions {
  gw1Policy?: string;
  gw2Policy?: string;
  /** delivery: flow mapping of gw1 */
  delivery1?: string;
  /** extra YAML for gw1 (e.g. limits) */
  extra1?: string;
  /** extra YAML for gw2 (e.g. inspect keywords) */
  extra2?: string;
  /** more entries under gw2's peers (YAML lines, indented two spaces) */
  extraPeers2?: string;
  /** more entries under gw2's destinations (YAML lines, indented two spaces) */
  destinations2?: string;
  /** the networks gw2 lists gw1 as speaking for */
  gw1SpeaksFor?: string[];
  /** fixed ports, so that gw2 can be restarted (or run as its own process) on the same addresses */
  fixedPorts?: boolean;
  /** do not start the gateways (the caller starts them, as processes say) */
  noStart?: boolean;
  /** each gateway's console administrators, as a YAML flow mapping */
  administrators?: string;
  /** peers.<name>.follow_rotation of both gateways (left out: the default, true) */
  followRotation?: boolean;
}

/** police/sys1 → gw1 → gw2 → social/benefits */
export async function startChain(t: Tap, pki: TestPki, o: ChainOptions = {}): Promise<Chain> {
  const receiver = await startReceiver(t, pki, 'ferry://social/benefits');
  const ports = o.fixedPorts
    ? { p: await freePort(), e1: await freePort(), e2: await freePort(), s: await freePort() }
    : { p: 0, e1: 0, e2: 0, s: 0 };
  const gw2 = await prepareHop(t, pki, { name: 'gw2', networks: { extranet: ports.e2, social: ports.s }, policy: o.gw2Policy ?? GW2_POLICY, body: '', ...(o.administrators ? { administrators: o.administrators } : {}) });
  const gw1 = await prepareHop(t, pki, { name: 'gw1', networks: { police: ports.p, extranet: ports.e1 }, policy: o.gw1Policy ?? GW1_POLICY, body: '', ...(o.administrators ? { administrators: o.administrators } : {}) });
  const { appendFile } = await import('node:fs/promises');
  await appendFile(gw2.configPath, `destinations:
  social/benefits: { delivery: push, url: "https://127.0.0.1:${receiver.port}/in" }
${o.destinations2 ?? ''}
peers:
  gw1: { networks: [${(o.gw1SpeaksFor ?? ['police']).join(', ')}], key: ${gw1.vkeyPath}${o.followRotation === undefined ? '' : `, follow_rotation: ${o.followRotation}`} }
${o.extraPeers2 ?? ''}
delivery: { retry_initial: 50ms, retry_max: 400ms }
${o.extra2 ?? ''}
`);
  if (!o.noStart) await gw2.start();
  await appendFile(gw1.configPath, `routes:
  social: { via: gw2, url: "https://127.0.0.1:${gw2.gw?.ports.extranet ?? ports.e2}" }
peers:
  gw2: { networks: [social], key: ${gw2.vkeyPath}${o.followRotation === undefined ? '' : `, follow_rotation: ${o.followRotation}`} }
delivery: ${o.delivery1 ?? '{ retry_initial: 50ms, retry_max: 400ms }'}
${o.extra1 ?? ''}
`);
  if (!o.noStart) await gw1.start();
  return { gw1, gw2, receiver };
}
