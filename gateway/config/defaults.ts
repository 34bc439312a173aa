import { MIN_RETENTION_DAYS } from '../audit/retention-floor.js';
import { BUDGET_BASE_MS, BUDGET_PER_MIB_MS } from '../inspect/transfer-budget.js';
import { DEFAULT_MAX_HOPS } from '../routing/routing-config.js';

// Every default of gateway.yaml, written once and as an operator writes it.
// The loader (gateway-config.ts) fills an absent key from here; a test
// (test/config-defaults.test.ts) holds the README's table and the
// `ferry init` template to these values.

export const GATEWAY_DEFAULTS = {
  tls: { crl_stale: 'refuse', expiry_warning: '30d' },
  admin: {
    listen: '127.0.0.1:0',
    api_listen: '127.0.0.1:0',
    // The console shows times here; the deployments this is for keep China Standard Time.
    time_zone: 'Asia/Shanghai',
    streams_per_admin: 4,
    streams: 16,
  },
  max_hops: DEFAULT_MAX_HOPS,
  inspect: { clamd: { host: '127.0.0.1', port: 3310, timeout: '60s' }, budget: { cpu: BUDGET_BASE_MS, per_mib: BUDGET_PER_MIB_MS } },
  limits: {
    max_header_bytes: 16384,
    max_body: { public: '64GiB', internal: '64GiB', sensitive: '16GiB' },
    max_uploads_per_principal: 8,
    max_message_bytes: 1024 * 1024, // an integer in the schema: bytes
    headers_timeout: '10s',
    idle_timeout: '30s',
    min_free_disk: '1GiB',
    handshake_timeout: '10s',
    // Well below a default descriptor limit of 1024 with room for the spool, the
    // databases and the forwarder; raise with `ulimit -n` for many senders.
    max_connections: 512,
    max_connections_per_address: 64,
    max_pending_handshakes: 128,
    max_headers: 64,
  },
  delivery: {
    concurrency: 4,
    retry_initial: '1s',
    retry_max: '5m',
    expire_after: '7d',
    connect_timeout: '10s',
    body_timeout: '60s',
    keep_settled: '30d',
    // Downloads of one transfer from a pull inbox, each a durable handed-out record: a client that
    // loops on one download (a bug, or on purpose) would grow the audit log without end.
    max_downloads: 32,
  },
  // At most 1 MiB (gateway-config.ts), since an upload under it is held in memory until stored.
  // seal_thread: spool files hashed, encrypted and written on a thread of their own (spool/seal-thread.ts).
  // Off: it freed a quarter of the event loop's time on a large upload but not one MB/s (the
  // inspection worker is the busiest thread), and cost some 30 MiB of peak RSS (README, issue 18).
  spool: { inline_max: '64KiB', seal_thread: false },
  subscriptions: { window: 256, window_bytes: '4MiB', window_bytes_total: '256MiB', backlog_messages: 100_000, backlog_bytes: '256MiB', heartbeat: '15s' },
  audit: { checkpoint_every: 1000, checkpoint_interval: '10s', seal_every: '7d', retention: `${MIN_RETENTION_DAYS}d` },
} as const;

/** The defaults flattened to dotted keys as the README names them: `delivery.keep_settled` → '30d'. */
export function flatDefaults(o: object = GATEWAY_DEFAULTS, prefix = ''): Map<string, string | number> {
  const out = new Map<string, string | number>();
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'object' && v !== null) for (const [kk, vv] of flatDefaults(v, `${prefix}${k}.`)) out.set(kk, vv);
    else out.set(`${prefix}${k}`, v as string | number);
  }
  return out;
}
