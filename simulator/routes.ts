import type { GatewaySpec, SystemSpec } from './topology-specs.js';
import { said, type Said } from '../i18n/problem-text.js';
import type { RawTopology } from './topology-schema.js';

// Routes and peers, derived from who borders what where the answer is
// unambiguous: a gateway reaches a network it does not border through the
// first gateway on the shortest chain of gateways towards it. Two chains of
// the same length through different next hops need an explicit `routes:`.
// A gateway's peers are the gateways whose routes go through it, each
// speaking for the networks it borders apart from the one they share.

export interface RouteTable {
  /** network → next-hop gateway, for networks the gateway does not border */
  routesOf(gateway: string): Map<string, string>;
  /** peer gateway → the source networks it may speak for */
  peersOf(gateway: string): Map<string, string[]>;
  /** The gateways a transfer from this system to that network crosses, in order; null if none. */
  path(from: SystemSpec, toNetwork: string): string[] | null;
  /** Why path() found none: the gateway with two equally short ways, if that is the reason. */
  ambiguity(from: SystemSpec, toNetwork: string): { gateway: string; via: string[] } | null;
  /** A network both gateways border (where the hop between them runs). */
  shared(a: string, b: string): string | null;
}

export function deriveRoutes(gateways: GatewaySpec[], raw: RawTopology, err: (path: Array<string | number>, what: Said) => void): RouteTable {
  const byName = new Map(gateways.map((g) => [g.name, g]));
  const shared = (a: string, b: string) => byName.get(a)?.borders.find((n) => byName.get(b)?.borders.includes(n)) ?? null;
  const routes = new Map<string, Map<string, string>>();
  const ambiguous = new Map<string, Map<string, string[]>>();

  for (const g of gateways) {
    const table = new Map<string, string>();
    // Breadth-first over networks, remembering the first gateway crossed after g.
    const first = new Map<string, Set<string>>();
    let frontier = new Map<string, Set<string>>();
    for (const h of gateways) {
      if (h.name === g.name || !shared(g.name, h.name)) continue;
      for (const n of h.borders) if (!g.borders.includes(n)) (frontier.get(n) ?? frontier.set(n, new Set()).get(n)!).add(h.name);
    }
    while (frontier.size) {
      const next = new Map<string, Set<string>>();
      for (const [n, via] of frontier) if (!first.has(n)) first.set(n, via);
      for (const [n, via] of frontier) {
        for (const h of gateways) {
          if (h.name === g.name || !h.borders.includes(n)) continue;
          for (const m of h.borders) if (!g.borders.includes(m) && !first.has(m)) {
            const s = next.get(m) ?? next.set(m, new Set()).get(m)!;
            for (const v of via) s.add(v);
          }
        }
      }
      frontier = next;
    }
    const explicit = raw.gateways[g.name]?.routes ?? {};
    for (const [n, r] of Object.entries(explicit)) {
      if (g.borders.includes(n)) err(['gateways', g.name, 'routes', n], said('topology.routeBorders', { gateway: g.name, network: n }));
      else if (r.via === g.name) err(['gateways', g.name, 'routes', n, 'via'], said('topology.routeSelf', { gateway: g.name }));
      else if (!byName.has(r.via)) err(['gateways', g.name, 'routes', n, 'via'], said('topology.noGateway', { gateway: r.via }));
      else if (!shared(g.name, r.via)) err(['gateways', g.name, 'routes', n, 'via'], said('topology.noShare', { via: r.via, gateway: g.name }));
      else table.set(n, r.via);
    }
    for (const [n, via] of first) {
      if (table.has(n)) continue;
      if (via.size === 1) table.set(n, [...via][0]!);
      // Ambiguous and unused is fine; it is reported only if a workload needs it (see ambiguity).
      else (ambiguous.get(g.name) ?? ambiguous.set(g.name, new Map()).get(g.name)!).set(n, [...via].sort());
    }
    routes.set(g.name, table);
  }

  const peers = new Map<string, Map<string, string[]>>();
  for (const g of gateways) peers.set(g.name, new Map());
  for (const [h, table] of routes) {
    for (const via of new Set(table.values())) {
      const s = shared(h, via);
      peers.get(via)!.set(h, byName.get(h)!.borders.filter((n) => n !== s));
    }
  }
  for (const g of gateways) {
    for (const [p, spec] of Object.entries(raw.gateways[g.name]?.peers ?? {})) {
      if (!byName.has(p)) err(['gateways', g.name, 'peers', p], said('topology.noGateway', { gateway: p }));
      else peers.get(g.name)!.set(p, spec.networks);
    }
  }

  const entryFor = (from: SystemSpec, toNetwork: string): string | null => {
    if (from.gateway) return from.gateway;
    const mine = gateways.filter((g) => g.borders.includes(from.network));
    const direct = mine.filter((g) => g.borders.includes(toNetwork));
    if (direct.length) return direct[0]!.name;
    const routed = mine.filter((g) => routes.get(g.name)!.has(toNetwork));
    return routed[0]?.name ?? null;
  };

  return {
    routesOf: (g) => routes.get(g) ?? new Map(),
    peersOf: (g) => peers.get(g) ?? new Map(),
    shared,
    ambiguity(from, toNetwork) {
      let g = entryFor(from, toNetwork);
      for (let hops = 0; g && hops < 16; hops++) {
        const a = ambiguous.get(g)?.get(toNetwork);
        if (a) return { gateway: g, via: a };
        g = routes.get(g)?.get(toNetwork) ?? null;
      }
      const first = gateways.find((x) => x.borders.includes(from.network) && ambiguous.get(x.name)?.has(toNetwork));
      return first ? { gateway: first.name, via: ambiguous.get(first.name)!.get(toNetwork)! } : null;
    },
    path(from, toNetwork) {
      const out: string[] = [];
      let g = entryFor(from, toNetwork);
      while (g && out.length < 16) {
        if (out.includes(g)) return null;
        out.push(g);
        if (byName.get(g)!.borders.includes(toNetwork)) return out;
        g = routes.get(g)!.get(toNetwork) ?? null;
      }
      return null;
    },
  };
}
