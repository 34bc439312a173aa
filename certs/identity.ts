// ferry:// identities: a system is ferry://<network>/<system>, a gateway is
// ferry://gateway/<name>. The identity of a peer is the one URI SAN of its
// verified certificate (RFC 5280 4.2.1.6), never its CN and never a header.
import type { X509Certificate } from 'node:crypto';
import { NAME_RE } from '../gateway/transfer.js';
import type { Principal } from './principal.js';
import { parseSubjectAltName } from './subject-alt-name.js';

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

/**
 * The principal named by a verified peer certificate, or null. The certificate
 * must carry exactly one URI SAN and it must be a valid ferry:// identity: a
 * second URI of any scheme makes the identity ambiguous and is refused.
 * The caller must have verified the certificate against the CA (TLS did).
 */
export function principalFromCertificate(cert: X509Certificate): Principal | null {
  const names = parseSubjectAltName(cert.subjectAltName);
  if (names === null) return null;
  const uris = names.filter((n) => n.type === 'URI');
  if (uris.length !== 1) return null;
  return parseFerryId(uris[0]!.value);
}
