// Who is on the other end of a TLS connection. Identity comes only from the
// URI SAN of a certificate verified against our CA, never from a header.

export type Principal =
  | { kind: 'system'; network: string; system: string; uri: string }
  | { kind: 'gateway'; gateway: string; uri: string };

export function principalUri(p: Principal): string {
  return p.uri;
}
