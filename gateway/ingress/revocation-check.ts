import type { TLSSocket } from 'node:tls';
import type { Principal } from '../../protocol/principal.js';

// The revocation step of identity resolution, kept apart from identity.ts so
// each carrier (data ports, channels, hops, admin plane) passes the same
// checker. A certificate that TLS verified against our CA is looked up in the
// CRL in force at the moment of each request, not only at the handshake: a
// keep-alive connection made before a revocation gets no further request.

export interface RevocationChecker {
  /** The refusal for this certificate (revoked, or the CRL is stale and the gateway fails closed), or null. */
  refusalFor(cert: import('node:crypto').X509Certificate, principal: string | null): Error | null;
}

export function checkNotRevoked(socket: TLSSocket, principal: Principal, checker: RevocationChecker | undefined): void {
  if (!checker) return;
  const cert = socket.getPeerX509Certificate();
  if (!cert) return;
  const refusal = checker.refusalFor(cert, principal.uri);
  if (refusal) throw refusal;
}
