// A gateway that cannot start says why in a sentence and exits non-zero:
// 2 when the configuration (or what it points at) is wrong, 1 otherwise
// (a port in use, a data directory held by another gateway, a disk error).

export class StartupError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}
