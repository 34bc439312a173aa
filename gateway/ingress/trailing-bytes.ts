import type { Socket } from 'node:net';

// "Body longer than content-length": HTTP/1.1 reads the surplus as the start of
// the next request, which fails to parse. The listener's clientError handler
// marks the socket; the upload checks the mark before it commits, so that such
// an upload is refused instead of being accepted shortened.

const kTrailing = Symbol('ferry.trailingBytes');

export function markTrailingBytes(socket: Socket): void {
  (socket as Socket & { [kTrailing]?: boolean })[kTrailing] = true;
}

export function hasTrailingBytes(socket: Socket): boolean {
  return (socket as Socket & { [kTrailing]?: boolean })[kTrailing] === true;
}
