import { createServer } from 'node:net';

// A port for a server that must come back on the same address (a gateway
// restarted, clamd started by a test). Taken below Linux's ephemeral range
// (32768–60999): a port picked there by listening on 0 and closing again was
// taken meanwhile by another test process's server or outgoing connection
// (EADDRINUSE when the gateway came back). Port-0 listeners and client sockets
// never get a port from 20000–32767, so only another such pick can collide.

const LOW = 20_000;
const HIGH = 32_768;

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port free right now, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free port in ${LOW}–${HIGH - 1} after 200 tries`);
}
