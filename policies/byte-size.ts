// Sizes in a policy are written for people: 1048576, "100 MiB", "2GB".
// Decimal units are powers of 1000 and binary units powers of 1024, as IEC 80000-13 says.

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

export const BYTE_SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?\\s*([KMGTkmgt]i?[Bb]|[Bb])$';

export function parseByteSize(v: number | string): number {
  if (typeof v === 'number') return v;
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)$/i.exec(v.trim());
  if (!m) return Number.NaN;
  const unit = UNITS[m[2]!.toLowerCase()];
  return unit === undefined ? Number.NaN : Math.round(Number(m[1]) * unit);
}

export function formatByteSize(n: number): string {
  const steps: Array<[string, number]> = [['TiB', 1024 ** 4], ['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]];
  for (const [u, f] of steps) if (n >= f && n % (f / 1024) === 0) return `${+(n / f).toFixed(2)} ${u}`;
  return `${n} B`;
}
