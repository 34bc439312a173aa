// Record times are stored as ISO 8601 UTC with milliseconds, so that text order is time order.

/** Normalise a user-given time to the stored form, so that text comparison orders correctly. */
export function normaliseTime(s: string): string {
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new RangeError(`not a time: ${JSON.stringify(s)} (use ISO 8601, e.g. 2026-11-25T08:00:00Z)`);
  return new Date(t).toISOString();
}
