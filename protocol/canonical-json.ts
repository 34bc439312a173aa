// Canonical JSON for signing: object keys sorted recursively (by UTF-16 code
// unit, as Array.prototype.sort does; Ferry's keys are ASCII, where that is
// byte order), no whitespace, strings and numbers as JSON.stringify writes them
// (ECMA-262 §25.5.2), then UTF-8. It is the subset of RFC 8785 (JCS) that
// Ferry's receipts need: strings, safe integers, booleans, null, arrays, objects.

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('canonical JSON carries only safe integers.');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot carry a ${typeof value}.`);
}
