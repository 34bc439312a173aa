// Retry delays: exponential from `initialMs`, capped at `maxMs`, with "equal
// jitter" (half fixed, half random) so that a destination that comes back is
// not hit by every waiting transfer at the same instant.

export function retryDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, initialMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Statuses after which trying again cannot help: the destination refused this transfer. */
export function isPermanentRefusal(status: number): boolean {
  return status >= 400 && status < 500 && ![408, 425, 429].includes(status);
}
