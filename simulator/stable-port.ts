import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// A port for a server that must come back on the same address: a gateway
// restarted after kill -9, a push receiver brought back up after a fault.
// Taken below Linux's ephemeral range (32768–60999): a port picked there by
// listening on 0 and closing again is taken meanwhile by another process's
// server or by an outgoing connection's source port (CI once: a receiver on
// the harness address could not come back, EADDRINUSE, after the senders'
// connections took its port while it was down). Port-0 listeners and client
// sockets never get a port from 20000–32767, so only another such pick can
// collide, and the pick checks the port is free now.

/** Ports to pick from: below this machine's ephemeral range (Linux's default 32768–60999), or above it if it starts low. */
const [LOW, HIGH] = ((): [number, number] => {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number) as [number, number];
    if (lo >= 22_000) return [Math.max(1024, lo - 12_768), lo];
    if (hi <= 63_000) return [hi + 1, 65_536];
  } catch {
    // Not Linux, or /proc not mounted: Linux's default range is assumed.
  }
  return [20_000, 32_768];
})();

function tryListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/**
 * Ports this process has handed out: a plan picks its ports before any is bound, so a second pick could
 * be the first one again (free when checked); CI once: a gateway's admin port was another's (EADDRINUSE).
 */
const handedOut = new Set<number>();

/** A port free right now on `host`, outside the ephemeral range, not handed out before by this process. */
export async function stablePort(host = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (handedOut.has(port)) continue;
    if (await tryListen(port, host)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port on ${host} in ${LOW}–${HIGH - 1} after 200 tries`);
}
