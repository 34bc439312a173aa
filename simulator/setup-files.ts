import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { initCa } from '../certs/ca.js';
import { issueCertificate } from '../certs/issue.js';
import { KEY_FILES } from '../gateway/keys/gateway-keys.js';
import { initGatewayKeys } from '../gateway/keys/init-keys.js';
import type { Topology } from './topology.js';

// Everything a run needs on disk, made fresh in the run directory: a
// throw-away PKI (certs/), each gateway's keys made before its first start
// (so its peers can be given its public key), its policy and its real
// gateway.yaml — the same file an operator would write.

export interface Addr { host: string; port: number }

export interface GatewayPlan {
  name: string;
  dir: string;
  config: string;
  dataDir: string;
  /** where the gateway itself listens, per bordered network */
  listen: Map<string, Addr>;
  admin: Addr;
  /** push destinations on bordered networks → the address the gateway dials (a link proxy) */
  pushUrls: Map<string, string>;
  pulls: string[];
  /** destinations that take messages by subscription (and files from their inbox) */
  subscribers: string[];
  /** network → { via, url } for networks reached through a next hop */
  routes: Map<string, { via: string; url: string }>;
  clamd: Addr | null;
  signingPubPem: string;
  vkeyFile: string;
  vkey: string;
}

export interface Creds { certPem: string; keyPem: string; caPem: string; certPath: string; keyPath: string }

export async function makePki(runDir: string, topo: Topology, extraIps: string[] = []): Promise<{ dir: string; ca: string; creds: Map<string, Creds> }> {
  const dir = join(runDir, 'certs');
  await initCa(dir, { name: `Ferry simulator CA (${topo.name})` });
  const caPem = await readFile(join(dir, 'ca.crt'), 'utf8');
  const creds = new Map<string, Creds>();
  const load = async (key: string, c: { certPath: string; keyPath: string }) => {
    creds.set(key, { certPath: c.certPath, keyPath: c.keyPath, certPem: await readFile(c.certPath, 'utf8'), keyPem: await readFile(c.keyPath, 'utf8'), caPem });
  };
  for (const g of topo.gateways) await load(g.name, await issueCertificate(dir, { id: `ferry://gateway/${g.name}`, name: g.name, ips: extraIps }));
  for (const s of topo.systems) {
    const server = s.receive === 'push';
    await load(s.id, await issueCertificate(dir, { id: `ferry://${s.id}`, name: s.id.replace('/', '-'), server, ...(server && extraIps.length ? { ips: extraIps } : {}) }));
  }
  return { dir, ca: join(dir, 'ca.crt'), creds };
}

/** The gateway's keys before its first start (as `ferry keys init` makes them), so its peers can name its key. */
export async function prepareGatewayKeys(plan: GatewayPlan): Promise<void> {
  await mkdir(plan.dataDir, { recursive: true, mode: 0o700 });
  const k = await initGatewayKeys(plan.dataDir, plan.name);
  plan.vkey = k.vkey;
  plan.vkeyFile = k.vkeyPath;
  plan.signingPubPem = await readFile(join(plan.dataDir, 'keys', KEY_FILES.signingPub), 'utf8');
}

export async function writeGatewayFiles(topo: Topology, plan: GatewayPlan, plans: Map<string, GatewayPlan>, pki: { ca: string; creds: Map<string, Creds> }): Promise<void> {
  const g = topo.gateways.find((x) => x.name === plan.name)!;
  await mkdir(plan.dir, { recursive: true });
  const policyPath = join(plan.dir, 'policy.yaml');
  if (g.policy && 'file' in g.policy) await copyFile(g.policy.file, policyPath);
  else if (g.policy) await writeFile(policyPath, `# The inline policy of ${plan.name} in ${topo.file}.\n${g.policy.text}`);
  const c = pki.creds.get(plan.name)!;
  const peers = topo.routes.peersOf(plan.name);
  const doc: Record<string, unknown> = {
    name: plan.name,
    data_dir: plan.dataDir,
    tls: { ca: pki.ca, cert: c.certPath, key: c.keyPath },
    networks: Object.fromEntries([...plan.listen].map(([n, a]) => [n, { listen: `${a.host}:${a.port}` }])),
    // In isolation mode the admin plane listens on the gateway's own address in
    // its namespace (the sampler reads /metrics from the harness), and a
    // non-loopback admin plane must name its administrators (issue 9, item 6).
    admin: {
      listen: `${plan.admin.host}:${plan.admin.port}`,
      ...(isLoopback(plan.admin.host) ? {} : { administrators: { 'sim-operator': 'auditor' } }),
    },
    ...(g.policy ? { policy: policyPath } : {}),
    destinations: {
      ...Object.fromEntries([...plan.pushUrls].map(([id, url]) => [id, { delivery: 'push', url }])),
      ...Object.fromEntries(plan.pulls.map((id) => [id, { delivery: 'pull' }])),
      ...Object.fromEntries(plan.subscribers.map((id) => [id, { delivery: 'subscribe' }])),
    },
    // The next hop's key with its route: what it reports about a relayed transfer is checked with it.
    ...(plan.routes.size ? { routes: Object.fromEntries([...plan.routes].map(([n, r]) => [n, { via: r.via, url: r.url, key: plans.get(r.via)!.vkeyFile }])) } : {}),
    ...(peers.size ? { peers: Object.fromEntries([...peers].map(([p, networks]) => [p, { networks, key: plans.get(p)!.vkeyFile }])) } : {}),
    ...(plan.routes.size || peers.size ? { max_hops: g.maxHops ?? 8 } : {}),
    ...(plan.clamd ? { inspect: { clamd: { host: plan.clamd.host, port: plan.clamd.port, timeout: '10s' } } } : {}),
    // Quick retries so a healed fault drains within the run; a real deployment keeps the defaults.
    delivery: { retry_initial: '100ms', retry_max: '1s', concurrency: 8, connect_timeout: '2s', body_timeout: '20s', ...(g.delivery ?? {}) },
    audit: { checkpoint_every: 200, checkpoint_interval: '1s' },
  };
  const header = `# Written by \`ferry sim run\` from ${topo.file} (topology '${topo.name}').\n# A real gateway.yaml: start it alone with \`ferry gateway --config ${plan.config}\`.\n`;
  await writeFile(plan.config, header + stringify(doc), { mode: 0o600 });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
