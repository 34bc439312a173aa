import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

// After a refusal sent before the body was read, the sender is usually still
// writing. Closing at once makes the kernel answer its bytes with a reset, and
// the sender's stack may throw our answer away before reading it (RFC 9112
// §9.6 calls for a staged close). So the rest of the body is read and thrown
// away, up to a cap in bytes and time, after which the connection is cut.

export const DRAIN_MAX_BYTES = 8 * 1024 * 1024;
export const DRAIN_MAX_MS = 2000;

export function drainThenClose(req: IncomingMessage, socket: Socket, maxBytes = DRAIN_MAX_BYTES, maxMs = DRAIN_MAX_MS): void {
  let seen = 0;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, maxMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > maxBytes) cut();
  });
  req.once('end', () => {
    clearTimeout(timer);
    // The whole body is read: now the connection can close cleanly.
    socket.end();
  });
  req.once('error', cut);
  req.resume();
}
