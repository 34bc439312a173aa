// The line a gateway process writes on stdout once every listener is bound,
// and the file it writes with --ready-file: how whoever started it (tests,
// benchmarks, the simulator, a supervisor) learns its ports without reading a
// human log line.

export interface ReadySignal {
  event: 'ready';
  pid: number;
  /** ferry://gateway/<name> */
  gateway: string;
  /** data port of each network side */
  ports: Record<string, number>;
  admin: number;
  /** the administrators' HTTPS API (mutual TLS) */
  adminApi?: number;
}

export function readySignalLine(s: Omit<ReadySignal, 'event'>): string {
  const signal: ReadySignal = { event: 'ready', pid: s.pid, gateway: s.gateway, ports: s.ports, admin: s.admin, ...(s.adminApi !== undefined ? { adminApi: s.adminApi } : {}) };
  return `${JSON.stringify(signal)}\n`;
}

const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0 && (v as number) < 65536;

/** The ready signal in one line of output, or null for any other line (a log line, a partial write). */
export function parseReadySignal(line: string): ReadySignal | null {
  let j: unknown;
  try {
    j = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof j !== 'object' || j === null) return null;
  const r = j as Partial<ReadySignal>;
  if (r.event !== 'ready' || !Number.isInteger(r.pid) || typeof r.gateway !== 'string' || !isPort(r.admin)) return null;
  if (typeof r.ports !== 'object' || r.ports === null || !Object.values(r.ports).every(isPort)) return null;
  return { event: 'ready', pid: r.pid!, gateway: r.gateway, ports: { ...r.ports }, admin: r.admin, ...(isPort(r.adminApi) ? { adminApi: r.adminApi } : {}) };
}
