import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { principalFromCertificate } from '../../../certs/identity.js';

// When the gateway connects out — a push to a destination system, a relay to
// the next gateway — the server must prove it is who we meant: its certificate
// (chained to our CA) must carry that URI SAN (ferry://<network>/<system> or
// ferry://gateway/<name>), whatever host name the URL has.

export function peerIdentityCheck(expected: string) {
  return (_host: string, cert: PeerCertificate): Error | undefined => {
    const principal = cert.raw ? principalFromCertificate(new X509Certificate(cert.raw)) : null;
    if (!principal || principal.uri !== expected) {
      return new Error(`the server's certificate names ${principal?.uri ?? 'no ferry identity'}, not ${expected}`);
    }
    return undefined;
  };
}
