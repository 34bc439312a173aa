import type { IncomingMessage } from 'node:http';

// The idle guard of an upload: the sender has stalled when no byte arrives for
// `idleMs` while the gateway is waiting for one. A socket timeout counts the
// wrong silence: when the gateway itself holds the body back (a slow
// inspection or clamd fills the request's buffer and reading stops), no byte
// arrives either, and the sender would be cut for the gateway's slowness.
// So time counts only while the request's buffer is empty: bytes already
// received and not yet consumed are the gateway's delay, not the sender's.

/** Starts watching; calls `onStall` once. Returns the function that stops the guard. */
export function guardIdle(req: IncomingMessage, idleMs: number, onStall: () => void): () => void {
  const socket = req.socket;
  let seen = socket.bytesRead;
  let since = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const read = socket.bytesRead;
    if (read !== seen || req.readableLength > 0) {
      seen = read;
      since = now;
      return;
    }
    if (now - since >= idleMs) {
      clearInterval(timer);
      onStall();
    }
  }, Math.max(25, Math.min(1000, Math.floor(idleMs / 4))));
  timer.unref();
  return () => clearInterval(timer);
}
