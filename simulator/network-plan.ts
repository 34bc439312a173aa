import { join } from 'node:path';
import { LinkShaper } from './link-shaper.js';
import { startProxy, type ProxyListener } from './link-proxy.js';
import { stablePort } from './stable-port.js';
import type { Addr, GatewayPlan } from './setup-files.js';
import type { Topology } from './topology.js';

// Who dials what, and through which link. Every connection that crosses a
// link goes through a proxy of that link:
//   system on N → gateway G         proxy of link G/N (up) → G's listener on N
//   gateway G → push system on N    proxy of link G/N (down) → the system's server
//   gateway G → next hop H over M   proxy of link G/M (down) → proxy of link H/M (up) → H's listener on M
// A link's proxies share its shaper, so the bandwidth is the link's, not a connection's.

export interface NetworkPlan {
  gateways: Map<string, GatewayPlan>;
  links: Map<string, LinkShaper>;
  /** system → where it reaches each gateway of its network (the up proxy of that link) */
  entry: Map<string, Map<string, Addr>>;
  /** push system → where its HTTPS server listens */
  receivers: Map<string, Addr>;
  proxies: ProxyListener[];
  /** every byte through every link, both directions (for faults after N bytes) */
  bytes: { total: number };
  close(): Promise<void>;
}

export interface Placement {
  /** address a gateway listens on for network N (loopback mode: 127.0.0.1) */
  gatewayHost(gateway: string, network: string): string;
  /** address a system on network N uses to reach things, and where its server listens */
  systemHost(system: string): string;
  /** where link proxies listen (reachable from both sides of the link) */
  proxyHost(link: string, side: 'network' | 'gateway'): string;
  adminHost(gateway: string): string;
  /** where a gateway's clamd listens (reachable from the gateway) */
  clamdHost(gateway: string): string;
  /** Each gateway has addresses of its own (a namespace): fixed ports, not probed from here. */
  gatewayOwnsAddresses?: boolean;
}

export const LOOPBACK: Placement = {
  gatewayHost: () => '127.0.0.1',
  systemHost: () => '127.0.0.1',
  proxyHost: () => '127.0.0.1',
  adminHost: () => '127.0.0.1',
  clamdHost: () => '127.0.0.1',
};

/** `direct`: no proxies at all, every connection straight to its listener (the baseline of bench:sim). */
export async function buildNetwork(topo: Topology, runDir: string, rand: () => number, place: Placement = LOOPBACK, direct = false): Promise<NetworkPlan> {
  const bytes = { total: 0 };
  const onBytes = (n: number) => { bytes.total += n; };
  const links = new Map(topo.links.map((l) => [l.id, new LinkShaper(l.id, l, rand)]));
  const proxies: ProxyListener[] = [];
  const gateways = new Map<string, GatewayPlan>();
  const proxy = async (linkId: string, towards: 'up' | 'down', target: Addr): Promise<Addr> => {
    if (direct) return target;
    const host = place.proxyHost(linkId, towards === 'up' ? 'network' : 'gateway');
    const p = await startProxy({ link: links.get(linkId)!, towards, listen: { host, port: 0 }, target, onBytes });
    proxies.push(p);
    return { host, port: p.port };
  };

  for (const g of topo.gateways) {
    const dir = join(runDir, 'gateways', g.name);
    const listen = new Map<string, Addr>();
    for (const [k, n] of g.borders.entries()) {
      const host = place.gatewayHost(g.name, n);
      listen.set(n, { host, port: place.gatewayOwnsAddresses ? 8443 + k : await stablePort(host) });
    }
    const adminHost = place.adminHost(g.name);
    gateways.set(g.name, {
      name: g.name, dir, config: join(dir, 'gateway.yaml'), dataDir: join(dir, 'data'), listen,
      admin: { host: adminHost, port: place.gatewayOwnsAddresses ? 9443 : await stablePort(adminHost) }, pushUrls: new Map(), pulls: [], subscribers: [], routes: new Map(),
      clamd: null, signingPubPem: '', vkeyFile: join(dir, 'data', 'keys', 'audit.vkey'), vkey: '',
    });
  }

  // Systems reach the gateways of their network through the link's up proxy.
  const upProxy = new Map<string, Addr>();
  for (const [id] of links) {
    const [gw, net] = id.split('/') as [string, string];
    upProxy.set(id, await proxy(id, 'up', gateways.get(gw)!.listen.get(net)!));
  }
  const entry = new Map<string, Map<string, Addr>>();
  const receivers = new Map<string, Addr>();
  for (const s of topo.systems) {
    const m = new Map<string, Addr>();
    for (const g of topo.gateways) if (g.borders.includes(s.network)) m.set(g.name, upProxy.get(`${g.name}/${s.network}`)!);
    entry.set(s.id, m);
    if (s.receive === 'push') {
      const host = place.systemHost(s.id);
      receivers.set(s.id, { host, port: await stablePort(host) });
    }
  }
  for (const g of topo.gateways) {
    const plan = gateways.get(g.name)!;
    for (const s of topo.systems) {
      if (!g.borders.includes(s.network)) continue;
      if (s.receive === 'push') {
        const a = await proxy(`${g.name}/${s.network}`, 'down', receivers.get(s.id)!);
        plan.pushUrls.set(s.id, `https://${a.host}:${a.port}/ferry/inbox`);
      } else if (s.receive === 'pull') plan.pulls.push(s.id);
      else if (s.receive === 'subscribe') plan.subscribers.push(s.id);
    }
    for (const [network, via] of topo.routes.routesOf(g.name)) {
      const m = topo.routes.shared(g.name, via)!;
      const a = await proxy(`${g.name}/${m}`, 'down', upProxy.get(`${via}/${m}`)!);
      plan.routes.set(network, { via, url: `https://${a.host}:${a.port}` });
    }
  }
  return {
    gateways, links, entry, receivers, proxies, bytes,
    close: async () => { await Promise.all(proxies.map((p) => p.close())); },
  };
}
