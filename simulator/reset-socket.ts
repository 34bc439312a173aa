import type net from 'node:net';

/**
 * Ends a connection with a reset (RST), as a broken line does. Not on a socket whose end() was
 * called: libuv refuses to reset a stream while its shutdown is under way (EINVAL), and Node 20
 * then leaves the handle "closing" forever, so the process spins at exit in CleanupHandles (a
 * `stress` run hung so after its report; test/sim-reset-during-shutdown.test.ts). That one is
 * destroyed (FIN) instead.
 */
export function resetSocket(s: net.Socket): void {
  if (s.destroyed) return;
  if (s.writableEnded) s.destroy();
  else s.resetAndDestroy();
}
