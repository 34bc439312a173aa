import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { principalFromCertificate } from '../../certs/identity.js';

// When the gateway pushes to a destination, the server must prove it is that
// destination: its certificate (chained to our CA) must carry the URI SAN
// ferry://<network>/<system> of the destination, whatever host name the URL has.

export function destinationIdentityCheck(destination: string) {
  const expected = `ferry://${destination}`;
  return (_host: string, cert: PeerCertificate): Error | undefined => {
    const principal = cert.raw ? principalFromCertificate(new X509Certificate(cert.raw)) : null;
    if (!principal || principal.uri !== expected) {
      return new Error(`the server's certificate names ${principal?.uri ?? 'no ferry identity'}, not ${expected}`);
    }
    return undefined;
  };
}
