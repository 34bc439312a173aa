import type { Socket } from 'node:net';
import type { Server } from 'node:tls';
import type { TLSSocket } from 'node:tls';

// Bounds on what anyone who can reach a data port may hold open before saying
// who they are (issue 9: ten thousand half-open connections held ten thousand
// descriptors and stopped all service). Counted on the raw TCP socket, before TLS:
//  - connections per source address: past it, a new connection is closed at once
//    (a clean refusal the client sees as a reset);
//  - connections per listener: past it, the oldest connection that has not yet sent
//    a request (a handshake under way, or a TLS session that stays silent) is cut
//    to make room; only when every connection is busy with a request is the new
//    one refused. A crowd of silent connections cannot lock a legitimate sender out,
//    nor a crowd without a certificate: a connection whose peer presented none the CA
//    vouches for stays evictable whatever it sends (its requests are refused anyway,
//    and router.ts closes it after the refusal; red team, 30 Nov: 512 connections
//    sending a GET every 2 s without a certificate filled a listener for good);
//  - handshakes under way: past the bound the OLDEST pending one is cut, not the
//    new one, for the same reason;
//  - the handshake timeout itself is Node's (handshakeTimeout); what fails or times
//    out is destroyed by the listener (listener.ts), never half-closed.

export interface ConnectionLimits {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  maxPendingHandshakes: number;
}

export type RefusedConnection = (socket: Socket, why: 'listener-full' | 'address-full' | 'handshake-evicted' | 'quiet-evicted') => void;

export interface ConnectionGuard {
  /** True once the socket (the TLS socket or its raw one) finished its handshake. */
  established(socket: Socket): boolean;
  /** Destroy every connection that never finished its handshake (at stop: they are nobody's request). */
  destroyPending(): void;
  /** Destroy every connection this listener holds. */
  destroyAll(): void;
  readonly open: number;
  readonly pending: number;
}

const kSecure = Symbol('ferry.handshakeDone');
// The raw TCP socket under a TLS socket (Node keeps it as _parent).
const rawOf = (s: Socket): Socket => (s as Socket & { _parent?: Socket })._parent ?? s;

export function guardConnections(server: Server, limits: ConnectionLimits, refused: RefusedConnection): ConnectionGuard {
  const all = new Set<Socket>();
  // Insertion-ordered: the first entry is the oldest handshake still under way.
  const pending = new Set<Socket>();
  // Connections that have not sent a request yet, oldest first (pending handshakes included).
  const quiet = new Set<Socket>();
  const perAddress = new Map<string, number>();

  // Before tls.Server wraps the socket: a refused one is destroyed before any TLS work is spent on it.
  server.prependListener('connection', (raw: Socket) => {
    const addr = raw.remoteAddress ?? '?';
    const fromAddr = perAddress.get(addr) ?? 0;
    if (fromAddr >= limits.maxConnectionsPerAddress || (all.size >= limits.maxConnections && quiet.size === 0)) {
      refused(raw, fromAddr >= limits.maxConnectionsPerAddress ? 'address-full' : 'listener-full');
      raw.destroy();
      return;
    }
    if (all.size >= limits.maxConnections) evict(quiet, 'quiet-evicted');
    if (pending.size >= limits.maxPendingHandshakes) evict(pending, 'handshake-evicted');
    all.add(raw);
    pending.add(raw);
    quiet.add(raw);
    perAddress.set(addr, fromAddr + 1);
    raw.once('close', () => {
      all.delete(raw);
      pending.delete(raw);
      quiet.delete(raw);
      const n = (perAddress.get(addr) ?? 1) - 1;
      if (n <= 0) perAddress.delete(addr);
      else perAddress.set(addr, n);
    });
  });
  function evict(from: Set<Socket>, why: 'quiet-evicted' | 'handshake-evicted'): void {
    const oldest = from.values().next().value as Socket;
    pending.delete(oldest);
    quiet.delete(oldest);
    refused(oldest, why);
    oldest.destroy();
  }
  // A connection that sends a request is no longer quiet (keep-alive reuse included: it spoke once),
  // if it has a certificate the CA vouches for: nobody else has anything to wait for here.
  const spoke = (s: Socket) => {
    if ((s as TLSSocket).authorized === true) quiet.delete(rawOf(s));
  };
  server.on('request', (req: { socket: Socket }) => spoke(req.socket));
  server.on('upgrade', (req: { socket: Socket }) => spoke(req.socket));
  server.on('secureConnection', (tlsSocket: TLSSocket) => {
    const raw = (tlsSocket as TLSSocket & { _parent?: Socket })._parent;
    (tlsSocket as TLSSocket & { [kSecure]?: boolean })[kSecure] = true;
    if (raw) {
      (raw as Socket & { [kSecure]?: boolean })[kSecure] = true;
      pending.delete(raw);
    }
  });

  return {
    established: (s) => (s as Socket & { [kSecure]?: boolean })[kSecure] === true || (rawOf(s) as Socket & { [kSecure]?: boolean })[kSecure] === true,
    destroyPending: () => {
      for (const s of [...pending]) s.destroy();
    },
    destroyAll: () => {
      for (const s of [...all]) s.destroy();
    },
    get open() { return all.size; },
    get pending() { return pending.size; },
  };
}
