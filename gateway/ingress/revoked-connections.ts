import type { Server, TLSSocket } from 'node:tls';
import type { GatewayContext } from '../context.js';
import { principalFromCertificate } from '../../certs/identity.js';
import type { RefusalAuditor } from './refusal-audit.js';

// Connections already open when a certificate is revoked: each listener keeps
// its TLS sockets, and when a new CRL comes into force the ones whose peer
// certificate it names are closed, after an audit record with the serial.
// That covers a keep-alive HTTP connection, an upload under way, an open
// channel and an open subscription (their WebSockets ride on the same socket).
// When the CRL itself passes its next update and the gateway fails closed, the
// open connections are closed the same way.

export function closeRevokedConnections(ctx: GatewayContext, server: Server, network: string, auditRefusal: RefusalAuditor): void {
  const open = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  /** Close the open connections whose certificate now gets a refusal with one of `codes`. */
  const sweep = (codes: ReadonlySet<string>, why: string): void => {
    for (const socket of open) {
      const cert = socket.getPeerX509Certificate();
      if (!cert || !socket.authorized) continue;
      const refusal = ctx.trust.refusalFor(cert, principalFromCertificate(cert)?.uri ?? null);
      if (!refusal || !codes.has(refusal.code)) continue;
      open.delete(socket);
      ctx.metrics.refusals.inc({ code: refusal.code });
      ctx.log.warn({ network, serial: refusal.extra.serial, principal: refusal.extra.principal }, why);
      void auditRefusal(socket, null, refusal, { kind: 'connection' }).finally(() => socket.destroy());
    }
  };
  // A CRL that passes its next update while in force changes no file: a timer at that
  // moment closes what depends on it, when the gateway fails closed (tls.crl_stale: refuse;
  // with use-last, refusalFor says nothing and nothing is closed).
  let staleTimer: NodeJS.Timeout | null = null;
  const armStale = (): void => {
    if (staleTimer) clearTimeout(staleTimer);
    staleTimer = null;
    // The earliest next update still ahead, of all the CRLs (a list per CA during a rollover).
    const next = ctx.trust.nextCrlUpdate;
    if (!next) return;
    // Capped, so that a far next update (past setTimeout's range) is looked at again later.
    const wait = Math.min(Math.max(next.getTime() - Date.now() + 50, 0), STALE_CHECK_MAX_MS);
    staleTimer = setTimeout(() => {
      staleTimer = null;
      if (next.getTime() <= Date.now()) sweep(STALE, 'closing a connection: a revocation list passed its next update (fail closed)');
      armStale();
    }, wait);
    staleTimer.unref();
  };
  ctx.trust.onCrlChange(() => {
    sweep(REVOKED, 'closing a connection whose certificate was revoked');
    armStale();
  });
  armStale();
  server.once('close', () => {
    if (staleTimer) clearTimeout(staleTimer);
  });
}

const REVOKED: ReadonlySet<string> = new Set(['FERRY_CERT_REVOKED']);
const STALE: ReadonlySet<string> = new Set(['FERRY_CRL_STALE']);
/** How long a far next update is waited for before it is looked at again (an hour). */
const STALE_CHECK_MAX_MS = 3_600_000;
