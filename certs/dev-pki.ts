// A development PKI from a topology: one CA, a certificate per gateway and per
// system of each network. `ferry init`, the demo, the tests and the simulator
// describe what they need instead of issuing certificates one by one.
import { join } from 'node:path';
import { formatFerryId } from '../protocol/ferry-id.js';
import { CA_CERT_FILE, CA_KEY_FILE, initCa } from './ca.js';
import { issueCertificate, type IssuedCertificate } from './issue.js';

export interface DevSystem {
  name: string;
  /** Receives push deliveries, so it also serves TLS. */
  server?: boolean;
}

export interface PkiTopology {
  /** CN of the CA. */
  caName: string;
  /** Validity of the CA and of every leaf; the certs/ defaults when absent. */
  days?: number;
  gateways: string[];
  /** network → its systems. */
  networks: Record<string, Array<string | DevSystem>>;
}

export interface DevPki {
  dir: string;
  caCertPath: string;
  caKeyPath: string;
  /** by gateway name */
  gateways: Map<string, IssuedCertificate>;
  /** by `<network>/<system>` */
  systems: Map<string, IssuedCertificate>;
}

/** The file name (and CN) of a system's certificate: extranet/archive → extranet-archive. */
export function systemFileName(network: string, system: string): string {
  return `${network}-${system}`;
}

/** Make the CA in `dir` and issue every certificate of `topology`, in parallel (key generation runs on libuv's pool). */
export async function buildDevPki(dir: string, topology: PkiTopology): Promise<DevPki> {
  const days = topology.days === undefined ? {} : { days: topology.days };
  await initCa(dir, { name: topology.caName, ...days });
  const systems = Object.entries(topology.networks).flatMap(([network, list]) =>
    list.map((s) => (typeof s === 'string' ? { network, name: s, server: false } : { network, name: s.name, server: s.server === true })));
  const [gws, sys] = await Promise.all([
    Promise.all(topology.gateways.map((g) => issueCertificate(dir, { id: formatFerryId({ gateway: g }), name: g, ...days }))),
    Promise.all(systems.map((s) => issueCertificate(dir, {
      id: formatFerryId({ network: s.network, system: s.name }),
      name: systemFileName(s.network, s.name),
      ...days,
      ...(s.server ? { server: true } : {}),
    }))),
  ]);
  return {
    dir,
    caCertPath: join(dir, CA_CERT_FILE),
    caKeyPath: join(dir, CA_KEY_FILE),
    gateways: new Map(topology.gateways.map((g, i) => [g, gws[i]!])),
    systems: new Map(systems.map((s, i) => [`${s.network}/${s.name}`, sys[i]!])),
  };
}
