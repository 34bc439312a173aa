import { FerryError } from '../../protocol/errors.js';
import { parseAddress } from '../../protocol/transfer.js';
import type { Route, RoutingConfig } from './routing-config.js';

// Where a destination is reached from this gateway: delivered here (it is on a
// network we border: pushed to the system, or held for it to pull), or relayed
// to the next-hop gateway of a route. Asked before a byte of the body is read.

export type Resolution =
  | { kind: 'here'; delivery: 'push' | 'pull' | 'subscribe'; url?: string }
  | { kind: 'relay'; route: Route };

export class RouteTable {
  readonly #bordered: Set<string>;
  readonly #destinations: ReadonlyMap<string, { delivery: 'push' | 'pull' | 'subscribe'; url?: string }>;
  readonly #routes: ReadonlyMap<string, Route>;

  constructor(networks: string[], destinations: ReadonlyMap<string, { delivery: 'push' | 'pull' | 'subscribe'; url?: string }>, routing: RoutingConfig) {
    this.#bordered = new Set(networks);
    this.#destinations = destinations;
    this.#routes = routing.routes;
  }

  /** Throws FERRY_DESTINATION_UNKNOWN (a network we border, no such system) or FERRY_ROUTE_UNKNOWN. */
  resolve(destination: string): Resolution {
    const addr = parseAddress(destination);
    if (!addr) throw new FerryError('FERRY_DESTINATION_INVALID');
    if (this.#bordered.has(addr.network)) {
      const d = this.#destinations.get(destination);
      if (!d) throw new FerryError('FERRY_DESTINATION_UNKNOWN', `No delivery is configured for '${destination}'.`);
      return d.url ? { kind: 'here', delivery: d.delivery, url: d.url } : { kind: 'here', delivery: d.delivery };
    }
    const route = this.#routes.get(addr.network);
    if (!route) throw new FerryError('FERRY_ROUTE_UNKNOWN', `This gateway has no route to network '${addr.network}'.`);
    return { kind: 'relay', route };
  }

  /** A route through the gateway `via` (the one for `destination` first), to reach the gateway that holds a transfer. */
  routeThrough(via: string, destination: string): Route | undefined {
    const own = this.routeFor(destination);
    if (own?.via === via) return own;
    for (const r of this.#routes.values()) if (r.via === via) return r;
    return undefined;
  }

  /** The route a relayed transfer takes now (routes are read at start; a row outlives no config change unnoticed). */
  routeFor(destination: string): Route | undefined {
    const addr = parseAddress(destination);
    return addr ? this.#routes.get(addr.network) : undefined;
  }
}
