import net from 'node:net';
import { pipeline } from 'node:stream';
import type { LinkShaper } from './link-shaper.js';
import { resetSocket } from './reset-socket.js';

// A TCP proxy on one link: it listens where the far side connects and
// forwards to the real listener, through the link's shaper in both
// directions. TLS passes through untouched (the proxy sees only ciphertext),
// so identities stay end to end. A cut link resets every connection and
// refuses new ones until it is restored.

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
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    if (link.isCut) {
      resetSocket(client);
      return;
    }
    const upstream = net.connect({ host: o.target.host, port: o.target.port });
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
    upstream.once('connect', () => {
      client.resume();
      pipeline(client, link.stage(fwd, o.onBytes), upstream, () => done());
      pipeline(upstream, link.stage(back, o.onBytes), client, () => done());
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
