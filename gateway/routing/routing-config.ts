import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { parseVkey } from '../audit/signed-note.js';
import { said, type Said } from '../../i18n/problem-text.js';
import { NAME_RE } from '../../protocol/transfer.js';

// The multi-hop part of gateway.yaml (docs/routing.md):
//   routes:    destination network → the next-hop gateway and its listener
//   peers:     gateways allowed to hand us transfers, the networks each may
//              speak for, and the Ed25519 key its envelopes are signed with
//   max_hops:  how many gateways a transfer may cross (8)
// The simulator writes this format: keep it stable.

export const routingSchema = {
  routes: {
    type: 'object',
    propertyNames: { pattern: NAME_RE.source },
    additionalProperties: {
      type: 'object', additionalProperties: false, required: ['via', 'url'],
      properties: {
        via: { type: 'string', pattern: NAME_RE.source },
        url: { type: 'string', pattern: '^https://[^/?#]+/?$' },
        // The next hop's verifier key, to check what it reports (its receipts); else the key listed under peers.<via>.
        key: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }] },
      },
    },
  },
  peers: {
    type: 'object',
    propertyNames: { pattern: NAME_RE.source },
    additionalProperties: {
      type: 'object', additionalProperties: false, required: ['networks', 'key'],
      properties: {
        networks: { type: 'array', minItems: 1, items: { type: 'string', pattern: NAME_RE.source } },
        // One key, or a list during a rotation of the peer's keys (the old one still signs receipts of transfers accepted before).
        key: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }] },
        // Take the peer's new key from its signed hand-on after it rotates (routing/key-history.ts); false: only keys listed here.
        follow_rotation: { type: 'boolean' },
      },
    },
  },
  max_hops: { type: 'integer', minimum: 1, maximum: 64 },
} as const;

export interface RawRouting {
  routes?: Record<string, { via: string; url: string; key?: string | string[] }>;
  peers?: Record<string, { networks: string[]; key: string | string[]; follow_rotation?: boolean }>;
  max_hops?: number;
}

export interface Route {
  network: string;
  /** name of the next-hop gateway; its certificate carries ferry://gateway/<via> */
  via: string;
  /** its listener on the network the two gateways share, without a trailing slash */
  url: string;
  /** its verifier keys: what it reports (receipts, hops, withdrawals answered) must verify with one of them */
  keys: KeyObject[];
}

export interface Peer {
  name: string;
  /** networks whose systems this peer may name as the original source */
  networks: string[];
  /** its envelope key (Ed25519), from its audit.vkey: the first of `keys` */
  key: KeyObject;
  /** every key listed for it (peers.<name>.key may be a list while the peer rotates its keys) */
  keys: KeyObject[];
  /** peers.<name>.follow_rotation (true unless set false): its signed key hand-ons are learned (routing/peer-key-ring.ts) */
  followRotation: boolean;
}

export interface RoutingConfig {
  routes: Map<string, Route>;
  peers: Map<string, Peer>;
  maxHops: number;
}

export const DEFAULT_MAX_HOPS = 8;

/** A vkey written inline, or else a file holding one (relative to the config file). */
const VKEY_TEXT = /^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/;

export function parseRouting(
  raw: RawRouting, self: { name: string; networks: string[]; configDir: string },
  err: (path: Array<string | number>, what: Said) => void,
): RoutingConfig {
  const peers = new Map<string, Peer>();
  for (const [name, p] of Object.entries(raw.peers ?? {})) {
    if (name === self.name) {
      err(['peers', name], said('config.peerSelf', { name }));
      continue;
    }
    const keys: KeyObject[] = [];
    for (const entry of typeof p.key === 'string' ? [p.key] : p.key) {
      const k = peerKey(name, entry, self.configDir, err);
      if (k) keys.push(k);
    }
    if (keys.length) peers.set(name, { name, networks: [...new Set(p.networks)], key: keys[0]!, keys, followRotation: p.follow_rotation !== false });
  }
  const routes = new Map<string, Route>();
  for (const [network, r] of Object.entries(raw.routes ?? {})) {
    if (self.networks.includes(network)) err(['routes', network], said('config.routeBorders', { network }));
    if (r.via === self.name) err(['routes', network, 'via'], said('config.routeSelf', { network, name: self.name }));
    // What the next hop reports is checked with its key: given with the route, or the one listed for it as a peer.
    const keys: KeyObject[] = [];
    for (const entry of r.key === undefined ? [] : typeof r.key === 'string' ? [r.key] : r.key) {
      const k = peerKey(r.via, entry, self.configDir, (_p, what) => err(['routes', network, 'key'], what));
      if (k) keys.push(k);
    }
    if (r.key === undefined) keys.push(...(peers.get(r.via)?.keys ?? []));
    if (r.key === undefined && !peers.has(r.via) && r.via !== self.name) err(['routes', network], said('config.routeNoKey', { network, via: r.via }));
    routes.set(network, { network, via: r.via, url: r.url.replace(/\/$/, ''), keys });
  }
  return { routes, peers, maxHops: raw.max_hops ?? DEFAULT_MAX_HOPS };
}

/** One entry of peers.<name>.key: a verifier key, or a file holding one; null (and an error said) when it is neither. */
function peerKey(name: string, entry: string, configDir: string, err: (path: Array<string | number>, what: Said) => void): KeyObject | null {
  let text = entry.trim();
  if (!VKEY_TEXT.test(text)) {
    try {
      text = readFileSync(resolve(configDir, text), 'utf8').trim();
    } catch (e) {
      err(['peers', name, 'key'], said('config.peerKeyUnreadable', { name, why: (e as NodeJS.ErrnoException).code ?? (e as Error).message }));
      return null;
    }
  }
  try {
    const v = parseVkey(text);
    if (v.keyName !== `ferry.gateway/${name}`) {
      err(['peers', name, 'key'], said('config.peerKeyName', { name, keyName: v.keyName }));
      return null;
    }
    return v.publicKey;
  } catch (e) {
    err(['peers', name, 'key'], said('config.peerKeyInvalid', { name, why: (e as Error).message }));
    return null;
  }
}
