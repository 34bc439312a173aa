// ferry:// identities: a system is ferry://<network>/<system>, a gateway is
// ferry://gateway/<name>. Written and read only here.
import type { Principal } from './principal.js';
import { NAME_RE } from './transfer.js';

export const FERRY_SCHEME = 'ferry:';
/** The network name reserved for gateways; no system network may be called this. */
export const GATEWAY_NETWORK = 'gateway';

// The whole URI, anchored: lower-case scheme, no userinfo, no port, exactly
// two path-like segments of NAME_RE characters, no query, fragment, trailing
// slash or percent-encoding. NAME_RE's alphabet has no '%', '@', ':', '?', '#',
// '.', upper case or non-ASCII, so every trick of RFC 3986 normalisation
// (%2F, %61, "Police", IDN homoglyphs, "a/./b") falls outside it.
const FERRY_ID_RE = new RegExp(`^ferry://(${NAME_RE.source.slice(1, -1)})/(${NAME_RE.source.slice(1, -1)})$`);

export function parseFerryId(uri: string): Principal | null {
  if (typeof uri !== 'string' || uri.length > 8 + 63 + 1 + 63) return null;
  const m = FERRY_ID_RE.exec(uri);
  if (!m) return null;
  const [, network, name] = m as unknown as [string, string, string];
  if (network === GATEWAY_NETWORK) return { kind: 'gateway', gateway: name, uri };
  return { kind: 'system', network, system: name, uri };
}

export function formatFerryId(p: { network: string; system: string } | { gateway: string }): string {
  return 'gateway' in p ? `ferry://${GATEWAY_NETWORK}/${p.gateway}` : `ferry://${p.network}/${p.system}`;
}

/** ferry://gateway/<name>: the one way to write a gateway's identity. */
export function gatewayId(name: string): string {
  return formatFerryId({ gateway: name });
}
