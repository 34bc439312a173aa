import type { Duplex } from 'node:stream';

// Frames sent in the same turn of the event loop leave in one write: the socket
// is corked at the first and uncorked once the turn's promise continuations
// have run (process.nextTick queued from them runs after the microtask queue
// drains). A group commit answers many envelopes at once and a subscription
// sends a window of messages at once; one TLS write for them all, not one
// record and one system call per frame (bench:messages profile).

const corked = new WeakSet<Duplex>();

export function corkForTurn(socket: Duplex): void {
  if (corked.has(socket) || socket.destroyed) return;
  corked.add(socket);
  socket.cork();
  process.nextTick(() => {
    corked.delete(socket);
    socket.uncork();
  });
}
