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

// A parse error while a request's body is still being read (a chunk size that is
// not hex or overflows, a chunk without its CRLF) is broken framing: the request
// that owns the socket is failed at once with 400 (RFC 9112 §7.1), rather than
// left to wait for bytes that will never parse until the idle timeout.
const kFraming = Symbol('ferry.framingWatcher');

/** Called by the listener on a parse error; returns true when the request took it as broken framing. */
type FramingWatcher = (err: NodeJS.ErrnoException) => boolean;

export function watchFraming(socket: Socket, fn: FramingWatcher): void {
  (socket as Socket & { [kFraming]?: FramingWatcher })[kFraming] = fn;
}

export function unwatchFraming(socket: Socket): void {
  delete (socket as Socket & { [kFraming]?: FramingWatcher })[kFraming];
}

export function reportBrokenFraming(socket: Socket, err: NodeJS.ErrnoException): boolean {
  return (socket as Socket & { [kFraming]?: FramingWatcher })[kFraming]?.(err) ?? false;
}
