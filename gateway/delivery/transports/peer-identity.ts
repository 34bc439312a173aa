import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { principalFromCertificate } from '../../../certs/identity.js';

// When the gateway connects out — a push to a destination system, a relay to
// the next gateway — the server must prove it is who we meant: its certificate
// (chained to our CA) must carry that URI SAN (ferry://<network>/<system> or
// ferry://gateway/<name>), whatever host name the URL has, and must not be
// revoked (the CRL in force): the handshake fails before a byte of content is sent.

export function peerIdentityCheck(expected: string, revocation?: { isRevoked(cert: X509Certificate): { serial: string; reason: string } | null }) {
  return (_host: string, cert: PeerCertificate): Error | undefined => {
    const x509 = cert.raw ? new X509Certificate(cert.raw) : null;
    const principal = x509 ? principalFromCertificate(x509) : null;
    if (!principal || principal.uri !== expected) {
      return new Error(`the server's certificate names ${principal?.uri ?? 'no ferry identity'}, not ${expected}`);
    }
    const revoked = revocation?.isRevoked(x509!);
    if (revoked) return new Error(`the server's certificate (serial ${revoked.serial}) is revoked (${revoked.reason}); FERRY_CERT_REVOKED`);
    return undefined;
  };
}
