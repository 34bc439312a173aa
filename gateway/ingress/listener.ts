import { createServer, type Server } from 'node:https';
import { takeExpectContinue } from './expect-continue.js';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { rawProblem } from './problem.js';
import { createRouter } from './router.js';
import { identify } from './identity.js';
import { attachChannels } from './channel-handler.js';
import { createRefusalAuditor } from './refusal-audit.js';
import { closeRevokedConnections } from './revoked-connections.js';
import { hasTrailingBytes, markTrailingBytes, reportBrokenFraming } from './trailing-bytes.js';
import { guardConnections } from './connection-guard.js';

// One HTTPS listener per network side. Mutual TLS: the certificate is asked
// for and checked against our CA (the router refuses a request without a good
// one). Timeouts are named after what they guard: the TLS handshake, the
// request headers (slow-loris), an idle body (see files-handler); no total
// request timeout, so that a large upload on a slow but live link completes.

export function createDataListener(ctx: GatewayContext, network: string): Server {
  const limits = ctx.config.limits;
  const server = createServer({
    ...ctx.trust.tls.current,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    handshakeTimeout: limits.handshakeTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    // Node looks for expired header timeouts only this often (default 30 s): without it a slow-loris
    // sender holds a connection for up to 30 s past headers_timeout.
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
    requestTimeout: 0,
    keepAliveTimeout: 5_000,
  });
  // One past the limit, so that a request with too many is seen and refused (router.ts), never
  // half-read: past maxHeadersCount Node drops the rest silently (issue 9: a label lost so).
  server.maxHeadersCount = limits.maxHeaders + 1;
  takeExpectContinue(server);
  const auditRefusal = createRefusalAuditor(ctx, network);
  const guard = guardConnections(server, limits, (socket, why) => {
    const refusal = new FerryError('FERRY_TOO_MANY_CONNECTIONS', {
      'handshake-evicted': 'Too many TLS handshakes were under way; the oldest was cut.',
      'quiet-evicted': 'The listener was full; the oldest connection that had sent no request was cut.',
      'listener-full': 'The listener holds as many connections as it may, all of them busy.',
      'address-full': 'Your address holds as many connections as it may.',
    }[why]);
    ctx.metrics.refusals.inc({ code: refusal.code });
    // Throttled per address (no identity yet): a flood costs one summary record a minute.
    void auditRefusal(socket, null, refusal);
  });
  // server.close() waits for every connection, and closeAllConnections() knows only
  // those that became HTTP: a handshake under way would hold a stop forever.
  const close = server.close.bind(server);
  server.close = (cb?: (err?: Error) => void) => {
    guard.destroyPending();
    return close(cb);
  };
  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeAll();
    guard.destroyAll();
  };
  // Counts owed to a summary are written when the listener closes, not dropped.
  server.once('close', () => auditRefusal.flush());
  const router = createRouter(ctx, network, auditRefusal);
  server.on('request', (req, res) => void router(req, res));
  attachChannels(ctx, server, network, auditRefusal);
  // Certificate lifecycle (gateway/trust/): renewed files take effect without a restart; revoked peers are cut off.
  ctx.trust.tls.attach(server, { minVersion: 'TLSv1.2' });
  closeRevokedConnections(ctx, server, network, auditRefusal);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // A handshake that failed or timed out (https forwards tlsClientError here): nothing
    // can be written to a socket without a TLS session, so end() would never finish and
    // the descriptor would stay for good. Destroy it.
    if (!guard.established(socket)) {
      socket.destroy();
      return;
    }
    // A request being answered owns the socket: bytes after its body (a body
    // longer than content-length) make the upload fail rather than shorten it.
    // Once the framing is broken, nothing more on this connection is answered but
    // the response under way, after which the connection is closed (router.ts).
    if ((socket as Socket & { _httpMessage?: unknown })._httpMessage || hasTrailingBytes(socket)) {
      // Unless the body itself cannot be parsed: that request is answered 400 at once.
      // (A parser's error, HPE_*; a reset or a timeout is not broken framing,
      // nor is HPE_INVALID_EOF_STATE: the sender closed before the body was
      // complete, which the upload reports as FERRY_BODY_INCOMPLETE.)
      if (err.code?.startsWith('HPE_') && err.code !== 'HPE_INVALID_EOF_STATE' && reportBrokenFraming(socket, err)) return;
      markTrailingBytes(socket);
      return;
    }
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    // Refused already (a second parser error from the same bytes, or the silent connection's
    // answer below): one refusal, one record, and the first answer closes the connection once
    // written. Destroying it here cut that answer off (a header flood got no 431).
    if (refusedOnce(socket)) return;
    const refusal = err.code === 'HPE_HEADER_OVERFLOW'
      ? new FerryError('FERRY_HEADERS_TOO_LARGE')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new FerryError('FERRY_IDLE_TIMEOUT', 'The request headers did not arrive in time.')
        : new FerryError('FERRY_MALFORMED_REQUEST', `The request could not be parsed (${err.code ?? 'parse error'}).`);
    ctx.metrics.refusals.inc({ code: refusal.code });
    // Audited like every refusal (throttled per address without a trusted identity), answered once durable.
    void auditRefusal(socket, principalOrNull(socket as TLSSocket, network), refusal, { connection: true }).then(() => {
      socket.end(rawProblem(refusal));
      socket.destroySoon();
    });
  });
  server.on('tlsClientError', (err) => ctx.log.debug({ network, err: err.message }, 'TLS handshake failed'));
  // A connection that finishes its handshake and then says nothing: Node's headers timeout
  // starts with a request's first byte, so such a connection was held for good (found by
  // attack, issue 9). Past headers_timeout without a byte it is answered 408 and closed,
  // audited like a stalled request (throttled per principal).
  server.on('secureConnection', (tlsSocket: TLSSocket) => {
    // After the poll phase (setImmediate): bytes already in the kernel's buffer when a busy loop
    // gets to the timer are read first, rather than the connection taken for silent.
    const timer = setTimeout(() => setImmediate(() => {
      // Any byte of a request (bytesRead counts what was decrypted) hands it to Node's own timeouts.
      if (tlsSocket.bytesRead > 0 || tlsSocket.destroyed || tlsSocket.writableEnded || refusedOnce(tlsSocket)) return;
      const refusal = new FerryError('FERRY_IDLE_TIMEOUT', 'No request arrived in time after the TLS handshake.');
      ctx.metrics.refusals.inc({ code: refusal.code });
      void auditRefusal(tlsSocket, principalOrNull(tlsSocket, network), refusal, { connection: true }).then(() => {
        tlsSocket.end(rawProblem(refusal));
        tlsSocket.destroySoon();
      });
    }), limits.headersTimeoutMs);
    timer.unref();
    tlsSocket.once('close', () => clearTimeout(timer));
  });
  return server;
}

const kRefused = Symbol('ferry.connectionRefused');
/** True if the connection was refused already; marks it refused otherwise. */
function refusedOnce(socket: Socket): boolean {
  const s = socket as Socket & { [kRefused]?: boolean };
  if (s[kRefused]) return true;
  s[kRefused] = true;
  return false;
}

/** The sender's identity when its certificate is a good one; null otherwise (never throws). */
function principalOrNull(socket: TLSSocket, network: string): string | null {
  try {
    return identify(socket, network).uri;
  } catch {
    return null;
  }
}

export function listen(server: { listen(port: number, host: string, cb: () => void): unknown; once(ev: 'error', cb: (e: Error) => void): unknown; address(): unknown }, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}
