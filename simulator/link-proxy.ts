import net from 'node:net';
import { pipeline } from 'node:stream';
import type { LinkShaper } from './link-shaper.js';
import { resetSocket } from './reset-socket.js';

// A TCP proxy on one link: it listens where the far side connects and
// forwards to the real listener, through the link's shaper in both
// directions. TLS passes through untouched (the proxy sees only ciphertext),
// so identities stay end to end. A cut link resets every connection and
// refuses new ones until it is restored.
//
// A side that closes (FIN) closes one direction only, as TCP does: the bytes it
// sent before are still in the link's latency line and arrive first, then the
// FIN; the other direction goes on until its sender closes too. The connection
// is torn down when both directions have ended, or at once on a reset or error.
// (Destroying both sockets as soon as one direction ended threw away an answer
// still in the latency line whenever a server answered and closed: a gateway's
// replay of a relay's first answer, which drains the body and closes, never
// reached the restarted upstream, which retried it for good.)

export interface ProxyListener {
  port: number;
  close(): Promise<void>;
}

export async function startProxy(o: {
  link: LinkShaper;
  /** 'up' = from the network towards the gateway, 'down' = from the gateway towards the network */
  towards: 'up' | 'down';
  listen: { host: string; port: number };
  target: { host: string; port: number };
  onBytes: (n: number) => void;
}): Promise<ProxyListener> {
  const { link } = o;
  const fwd = o.towards === 'up' ? link.up : link.down;
  const back = o.towards === 'up' ? link.down : link.up;
  // allowHalfOpen: a FIN from one side ends that direction only (pipeline ends the other socket's
  // writable side once the shaper has let out what it holds), not the whole connection.
  const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (client) => {
    if (link.isCut) {
      resetSocket(client);
      return;
    }
    const upstream = net.connect({ host: o.target.host, port: o.target.port, allowHalfOpen: true });
    link.sockets.add(client);
    link.sockets.add(upstream);
    const done = () => {
      link.sockets.delete(client);
      link.sockets.delete(upstream);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    // A target that is not there (a killed gateway, a receiver down) resets the caller, like a refused connection.
    // `on`, not `once`: a socket reset while a cut or a kill tears its pair down can emit a second
    // error, and an error with no listener would end the whole simulation.
    upstream.on('error', () => { resetSocket(client); done(); });
    client.on('error', () => { resetSocket(upstream); done(); });
    // Torn down when both directions have ended cleanly, or when either fails (a reset, a destroy).
    let open = 2;
    const ended = (err: Error | null | undefined) => {
      // A failure crosses as a reset, whichever of the two pipelines or error listeners hears of it
      // first (a plain destroy here would send the other side a clean close: CI, once).
      if (err) {
        resetSocket(client);
        resetSocket(upstream);
        done();
      } else if (--open === 0) done();
    };
    upstream.once('connect', () => {
      client.resume();
      pipeline(client, link.stage(fwd, o.onBytes), upstream, ended);
      pipeline(upstream, link.stage(back, o.onBytes), client, ended);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.listen.port, o.listen.host, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => {
      for (const s of link.sockets) s.destroy();
      server.close(() => r());
    }),
  };
}
