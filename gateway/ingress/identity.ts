import type { TLSSocket } from 'node:tls';
import { principalFromCertificate } from '../../certs/identity.js';
import type { Principal } from '../../protocol/principal.js';
import { FerryError } from '../../protocol/errors.js';
import { checkNotRevoked, type RevocationChecker } from './revocation-check.js';

// Who sent this request: only the verified client certificate says so. The
// listener asks for a certificate but lets the handshake finish without one so
// that the sender can be told why it is refused (in a problem body) instead of
// seeing a bare TLS alert; no request is served before this check passes.

export function identify(socket: TLSSocket, listenerNetwork: string, revocation?: RevocationChecker): Principal {
  const cert = socket.getPeerX509Certificate();
  if (!cert) throw new FerryError('FERRY_NO_CLIENT_CERT');
  if (!socket.authorized) {
    throw new FerryError('FERRY_CERT_UNTRUSTED', `The client certificate was not accepted: ${String(socket.authorizationError ?? 'unknown reason')}.`);
  }
  const principal = principalFromCertificate(cert);
  if (!principal) throw new FerryError('FERRY_IDENTITY_INVALID');
  checkNotRevoked(socket, principal, revocation);
  if (principal.kind === 'system' && principal.network !== listenerNetwork) {
    throw new FerryError('FERRY_WRONG_NETWORK', `This listener serves network '${listenerNetwork}'; the certificate names '${principal.network}'.`);
  }
  return principal;
}
