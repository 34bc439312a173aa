// The identity of a peer is the one URI SAN of its verified certificate
// (RFC 5280 4.2.1.6), never its CN and never a header. The ferry:// words are
// in protocol/ferry-id.ts.
import type { X509Certificate } from 'node:crypto';
import { parseFerryId } from '../protocol/ferry-id.js';
import type { Principal } from '../protocol/principal.js';
import { parseSubjectAltName } from './subject-alt-name.js';

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
