import type { Server, TLSSocket } from 'node:tls';
import type { GatewayContext } from '../context.js';
import { principalFromCertificate } from '../../certs/identity.js';
import type { RefusalAuditor } from './refusal-audit.js';

// Connections already open when a certificate is revoked: each listener keeps
// its TLS sockets, and when a new CRL comes into force the ones whose peer
// certificate it names are closed, after an audit record with the serial.
// That covers a keep-alive HTTP connection, an upload under way and an open
// channel (its WebSocket rides on the same socket).

export function closeRevokedConnections(ctx: GatewayContext, server: Server, network: string, auditRefusal: RefusalAuditor): void {
  const open = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  ctx.trust.crl?.onChange(() => {
    for (const socket of open) {
      const cert = socket.getPeerX509Certificate();
      if (!cert || !socket.authorized) continue;
      const refusal = ctx.trust.refusalFor(cert, principalFromCertificate(cert)?.uri ?? null);
      if (refusal?.code !== 'FERRY_CERT_REVOKED') continue;
      open.delete(socket);
      ctx.metrics.refusals.inc({ code: refusal.code });
      ctx.log.warn({ network, serial: refusal.extra.serial, principal: refusal.extra.principal }, 'closing a connection whose certificate was revoked');
      void auditRefusal(socket, null, refusal, { kind: 'connection' }).finally(() => socket.destroy());
    }
  });
}
