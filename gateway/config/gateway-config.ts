import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LABELS, NAME_RE, parseAddress, type Label } from '../../protocol/transfer.js';
import { DURATION_PATTERN, SIZE_PATTERN, parseDuration, parseSize } from './units.js';
import { GATEWAY_DEFAULTS as D } from './defaults.js';
import { formatProblem, loadYaml, type SourceProblem } from '../../protocol/yaml-schema.js';
import { MIN_RETENTION_DAYS } from '../audit/retention-floor.js';
import { said, type Said } from '../../i18n/problem-text.js';
import { parseRouting, routingSchema, type RawRouting, type RoutingConfig } from '../routing/routing-config.js';

// gateway.yaml: what one gateway is, where it listens, what it delivers to.
// Validated at start; a bad file stops the gateway with file:line:column.

// `description` is what an operator reads when a value is wrong (protocol/yaml-schema.ts).
const size = { description: 'a size: a number of bytes, or one such as 512KiB, 10MB, 2GiB', anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: SIZE_PATTERN }] };
const duration = { description: 'a duration: a number of milliseconds, or one such as 500ms, 30s, 5m, 2h, 7d', anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: DURATION_PATTERN }] };
/** spool.inline_max: at most 1 MiB, since an upload under it is held in memory until stored. */
const INLINE_MAX_CEILING = 1024 * 1024;
const listen = { description: 'an address and port such as "127.0.0.1:8443" or "[::1]:8443"', type: 'string', pattern: '^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):\\d{1,5}$' };

export const gatewayConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'data_dir', 'tls', 'networks'],
  properties: {
    name: { type: 'string', pattern: NAME_RE.source },
    data_dir: { type: 'string', minLength: 1 },
    tls: {
      type: 'object', additionalProperties: false, required: ['ca', 'cert', 'key'],
      properties: {
        ca: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' },
        // One CRL file, or a list (one per CA of the bundle during a CA rollover).
        crl: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } }] },
        crl_stale: { enum: ['refuse', 'use-last'] }, expiry_warning: duration,
      },
    },
    networks: {
      type: 'object', minProperties: 1,
      propertyNames: { pattern: NAME_RE.source },
      additionalProperties: {
        type: 'object', additionalProperties: false, required: ['listen'],
        properties: { listen },
      },
    },
    admin: {
      type: 'object', additionalProperties: false,
      properties: {
        listen,
        api_listen: listen,
        hosts: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9.-]+$|^\\[[0-9a-fA-F:.]+\\]$' } },
        administrators: {
          type: 'object',
          propertyNames: { pattern: NAME_RE.source },
          additionalProperties: { enum: ['sysadmin', 'secadmin', 'auditor'] },
        },
        time_zone: { type: 'string', minLength: 1 },
        // Live overview streams (server-sent events): per administrator, and in all.
        streams_per_admin: { type: 'integer', minimum: 1, maximum: 64 },
        streams: { type: 'integer', minimum: 1, maximum: 1024 },
      },
    },
    policy: { type: 'string' },
    destinations: {
      type: 'object',
      propertyNames: { pattern: '^[a-z0-9][a-z0-9_-]{0,62}/[a-z0-9][a-z0-9_-]{0,62}$' },
      additionalProperties: {
        type: 'object', additionalProperties: false, required: ['delivery'],
        properties: {
          delivery: { enum: ['push', 'pull', 'subscribe'] },
          url: { type: 'string', pattern: '^https://' },
        },
      },
    },
    ...routingSchema,
    inspect: {
      type: 'object', additionalProperties: false,
      properties: {
        keywords: { type: 'array', items: { type: 'string', minLength: 1 } },
        clamd: {
          type: 'object', additionalProperties: false,
          properties: {
            host: { type: 'string' }, port: { type: 'integer', minimum: 1, maximum: 65535 },
            socket: { type: 'string' }, timeout: duration,
          },
        },
        archive_limits: {
          type: 'object', additionalProperties: false,
          properties: {
            max_depth: { type: 'integer', minimum: 0 }, max_members: { type: 'integer', minimum: 1 },
            max_expanded: size, max_ratio: { type: 'number', minimum: 1 },
          },
        },
        budget: {
          description: 'the CPU one transfer\'s inspection may take, such as { cpu: 30s, per_mib: 1s }: cpu, plus per_mib for each MiB',
          type: 'object', additionalProperties: false,
          properties: { cpu: duration, per_mib: duration },
        },
      },
    },
    limits: {
      type: 'object', additionalProperties: false,
      properties: {
        max_header_bytes: { type: 'integer', minimum: 1024, maximum: 1048576 },
        max_body: {
          description: 'a size for each label, such as { public: 100MiB, internal: 50MiB, sensitive: 10MiB }',
          type: 'object', additionalProperties: false,
          properties: Object.fromEntries(LABELS.map((l) => [l, size])),
        },
        max_uploads_per_principal: { type: 'integer', minimum: 1 },
        max_message_bytes: { type: 'integer', minimum: 1024, maximum: 64 * 1024 * 1024 },
        headers_timeout: duration,
        idle_timeout: duration,
        min_free_disk: size,
        handshake_timeout: duration,
        max_connections: { type: 'integer', minimum: 1 },
        max_connections_per_address: { type: 'integer', minimum: 1 },
        max_pending_handshakes: { type: 'integer', minimum: 1 },
        max_headers: { type: 'integer', minimum: 8, maximum: 1000 },
      },
    },
    delivery: {
      type: 'object', additionalProperties: false,
      properties: {
        concurrency: { type: 'integer', minimum: 1, maximum: 256 },
        retry_initial: duration,
        retry_max: duration,
        expire_after: duration,
        connect_timeout: duration,
        body_timeout: duration,
        keep_settled: duration,
        max_downloads: { type: 'integer', minimum: 1, maximum: 100000 },
      },
    },
    spool: {
      type: 'object', additionalProperties: false,
      properties: {
        inline_max: size,
        seal_thread: { type: 'boolean' },
      },
    },
    subscriptions: {
      type: 'object', additionalProperties: false,
      properties: {
        window: { type: 'integer', minimum: 1, maximum: 10000 },
        window_bytes: size,
        window_bytes_total: size,
        backlog_messages: { type: 'integer', minimum: 1 },
        backlog_bytes: size,
        heartbeat: duration,
      },
    },
    audit: {
      type: 'object', additionalProperties: false,
      properties: {
        checkpoint_every: { type: 'integer', minimum: 1 },
        checkpoint_interval: duration,
        export_checkpoints_to: { type: 'string' },
        witness_url: { type: 'string', pattern: '^https?://' },
        seal_every: duration,
        retention: duration,
      },
    },
  },
} as const;

export interface ListenAddress { host: string; port: number }

/** One role per administrator (ferry://admin/<name>): see docs/admin.md. */
export type AdminRole = 'sysadmin' | 'secadmin' | 'auditor';

export interface GatewayConfig {
  file: string;
  name: string;
  dataDir: string;
  tls: { ca: string; cert: string; key: string; /** The CRL files, in the order given (empty: no revocation checked). */ crls: string[]; crlStale: 'refuse' | 'use-last'; expiryWarningMs: number };
  networks: Array<{ name: string; listen: ListenAddress }>;
  /** hosts: the names the admin plane answers to in the Host header, beside its listen address. */
  admin: { listen: ListenAddress; apiListen: ListenAddress; administrators: Map<string, AdminRole>; hosts?: string[]; timeZone: string; streamsPerAdmin: number; streams: number } | null;
  policyFile: string | null;
  destinations: Map<string, Destination>;
  /** routes, peers and max_hops (gateway/routing/routing-config.ts) */
  routing: RoutingConfig;
  inspect: {
    keywords: string[];
    clamd: { host?: string; port?: number; socket?: string; timeoutMs: number } | null;
    archiveLimits: { maxDepth?: number; maxMembers?: number; maxExpandedBytes?: number; maxRatio?: number };
    /** The CPU one transfer's inspection may take (content-stage.ts: baseMs plus perMiBMs a MiB). */
    budget: { baseMs: number; perMiBMs: number };
  };
  limits: {
    maxHeaderBytes: number;
    maxBody: Record<Label, number>;
    maxUploadsPerPrincipal: number;
    maxMessageBytes: number;
    headersTimeoutMs: number;
    idleTimeoutMs: number;
    minFreeDisk: number;
    handshakeTimeoutMs: number;
    maxConnections: number;
    maxConnectionsPerAddress: number;
    maxPendingHandshakes: number;
    /** Request headers read; a request with more is refused (431), never half-read. */
    maxHeaders: number;
  };
  /** keepSettledMs: how long a settled transfer's queue row stays (status, idempotency replays); the audit log keeps it for good. */
  delivery: { concurrency: number; retryInitialMs: number; retryMaxMs: number; expireAfterMs: number; connectTimeoutMs: number; bodyTimeoutMs: number; keepSettledMs: number; maxDownloads: number };
  /** inlineMax: a file of a known size up to this many bytes is stored sealed in queue.db, not in a spool file (0: never). */
  spool: { inlineMax: number; sealThread: boolean };
  /** Message subscriptions (docs/channels.md). */
  subscriptions: SubscriptionLimits;
  /** sealEveryMs: a new audit segment this often; retentionDays: sealed segments older are pruned (floor: retention-floor.ts). */
  audit: { checkpointEvery: number; checkpointIntervalMs: number; exportCheckpointsTo: string | null; witnessUrl: string | null; sealEveryMs: number; retentionDays: number };
}

/** push: the gateway PUTs each transfer; pull: held in the inbox; subscribe: messages by subscription, files held in the inbox. */
export type DeliveryMode = 'push' | 'pull' | 'subscribe';
export interface Destination { delivery: DeliveryMode; url?: string }

export interface SubscriptionLimits {
  /** Messages sent and not yet acknowledged, per subscription. */
  window: number;
  /** Bytes of message bodies sent and not yet acknowledged, per subscription. */
  windowBytes: number;
  /** The same over all subscriptions of the gateway: past it a subscription with messages in flight waits (one with none may always send one). */
  windowBytesTotal: number;
  /** Messages waiting per (destination, channel) past which publishers get FERRY_BACKLOG_FULL. */
  backlogMessages: number;
  backlogBytes: number;
  /** Ping interval; a subscriber that misses a pong for this long is closed (4408). */
  heartbeatMs: number;
}

interface RawConfig extends RawRouting {
  name: string;
  data_dir: string;
  tls: { ca: string; cert: string; key: string; crl?: string | string[]; crl_stale?: 'refuse' | 'use-last'; expiry_warning?: number | string };
  networks: Record<string, { listen: string }>;
  admin?: { listen?: string; api_listen?: string; administrators?: Record<string, AdminRole>; hosts?: string[]; time_zone?: string; streams_per_admin?: number; streams?: number };
  policy?: string;
  destinations?: Record<string, { delivery: DeliveryMode; url?: string }>;
  spool?: { inline_max?: number | string; seal_thread?: boolean };
  subscriptions?: { window?: number; window_bytes?: number | string; window_bytes_total?: number | string; backlog_messages?: number; backlog_bytes?: number | string; heartbeat?: number | string };
  inspect?: {
    keywords?: string[];
    clamd?: { host?: string; port?: number; socket?: string; timeout?: number | string };
    archive_limits?: { max_depth?: number; max_members?: number; max_expanded?: number | string; max_ratio?: number };
    budget?: { cpu?: number | string; per_mib?: number | string };
  };
  limits?: {
    max_header_bytes?: number; max_body?: Partial<Record<Label, number | string>>; max_uploads_per_principal?: number; max_message_bytes?: number;
    headers_timeout?: number | string; idle_timeout?: number | string; min_free_disk?: number | string;
    handshake_timeout?: number | string; max_connections?: number; max_connections_per_address?: number; max_pending_handshakes?: number; max_headers?: number;
  };
  delivery?: { concurrency?: number; retry_initial?: number | string; retry_max?: number | string; expire_after?: number | string; connect_timeout?: number | string; body_timeout?: number | string; keep_settled?: number | string; max_downloads?: number };
  audit?: { checkpoint_every?: number; checkpoint_interval?: number | string; export_checkpoints_to?: string; witness_url?: string; seal_every?: number | string; retention?: number | string };
}

export class ConfigError extends Error {
  constructor(readonly problems: SourceProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

function parseListen(s: string): ListenAddress {
  const i = s.lastIndexOf(':');
  return { host: s.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(s.slice(i + 1)) };
}

export async function loadGatewayConfig(file: string): Promise<GatewayConfig> {
  const text = await readFile(file, 'utf8');
  return parseGatewayConfig(text, resolve(file));
}

export function parseGatewayConfig(text: string, file: string): GatewayConfig {
  const loaded = loadYaml<RawConfig>(text, file, gatewayConfigSchema);
  const problems = loaded.problems.filter((p) => p.severity === 'error');
  if (problems.length || !loaded.value) throw new ConfigError(problems.length ? problems : loaded.problems);
  const raw = loaded.value;
  const err = (path: Array<string | number>, what: Said) => problems.push({ file, ...loaded.at(path), ...what, severity: 'error' });

  const networks = Object.entries(raw.networks).map(([name, n]) => ({ name, listen: parseListen(n.listen) }));
  for (const n of networks) if (n.listen.port > 65535) err(['networks', n.name, 'listen'], said('config.portRange', { port: n.listen.port }));
  const seen = new Map<string, string>();
  for (const n of networks) {
    const key = `${n.listen.host}:${n.listen.port}`;
    if (n.listen.port !== 0 && seen.has(key)) err(['networks', n.name, 'listen'], said('config.sameListener', { network: n.name, other: seen.get(key)! }));
    seen.set(key, n.name);
  }
  if (networks.length < 2) err(['networks'], said('config.twoNetworks'));
  // ferry://admin/<name> names administrators: a network of that name would make their certificates ambiguous.
  for (const n of networks) if (n.name === 'admin') err(['networks', n.name], said('config.adminReserved'));
  const adminListen = parseListen(raw.admin?.listen ?? D.admin.listen);
  if (adminListen.port !== 0 && seen.has(`${adminListen.host}:${adminListen.port}`)) err(['admin', 'listen'], said('config.adminApart'));
  if (raw.admin?.time_zone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: raw.admin.time_zone });
    } catch {
      err(['admin', 'time_zone'], said('config.timeZone', { zone: raw.admin.time_zone }));
    }
  }

  const destinations = new Map<string, Destination>();
  for (const [id, d] of Object.entries(raw.destinations ?? {})) {
    const addr = parseAddress(id)!;
    if (!networks.some((n) => n.name === addr.network)) err(['destinations', id], said('config.destinationNetwork', { id, network: addr.network }));
    if (d.delivery === 'push' && !d.url) err(['destinations', id], said('config.pushNoUrl', { id }));
    if (d.delivery !== 'push' && d.url) err(['destinations', id, 'url'], said('config.urlNotPush', { id, delivery: d.delivery }));
    destinations.set(id, d.url ? { delivery: d.delivery, url: d.url } : { delivery: d.delivery });
  }
  const routing = parseRouting(raw, { name: raw.name, networks: networks.map((n) => n.name), configDir: dirname(file) }, err);
  // A zero here would switch a guard off (a timeout) or spin (a retry delay): each has a floor.
  const floors: Array<[Array<string>, number | string | undefined, number]> = [
    [['limits', 'headers_timeout'], raw.limits?.headers_timeout, 100],
    [['limits', 'idle_timeout'], raw.limits?.idle_timeout, 100],
    [['limits', 'handshake_timeout'], raw.limits?.handshake_timeout, 100],
    [['delivery', 'retry_initial'], raw.delivery?.retry_initial, 10],
    [['delivery', 'retry_max'], raw.delivery?.retry_max, 10],
    [['delivery', 'expire_after'], raw.delivery?.expire_after, 1000],
    [['delivery', 'connect_timeout'], raw.delivery?.connect_timeout, 100],
    [['delivery', 'body_timeout'], raw.delivery?.body_timeout, 100],
    [['delivery', 'keep_settled'], raw.delivery?.keep_settled, 60_000],
    [['inspect', 'clamd', 'timeout'], raw.inspect?.clamd?.timeout, 100],
    [['audit', 'checkpoint_interval'], raw.audit?.checkpoint_interval, 100],
    [['subscriptions', 'heartbeat'], raw.subscriptions?.heartbeat, 100],
    [['audit', 'seal_every'], raw.audit?.seal_every, 60_000],
  ];
  for (const [path, v, min] of floors) {
    if (v !== undefined && parseDuration(v) < min) err(path, said('config.atLeastMs', { field: path.join('.'), min }));
  }
  if (raw.delivery?.retry_initial !== undefined && raw.delivery?.retry_max !== undefined && parseDuration(raw.delivery.retry_max) < parseDuration(raw.delivery.retry_initial)) {
    err(['delivery', 'retry_max'], said('config.retryOrder'));
  }
  if (raw.audit?.retention !== undefined && parseDuration(raw.audit.retention) < MIN_RETENTION_DAYS * 86_400_000) {
    err(['audit', 'retention'], said('config.retention', { days: MIN_RETENTION_DAYS }));
  }
  if (raw.spool?.inline_max !== undefined && parseSize(raw.spool.inline_max) > INLINE_MAX_CEILING) {
    err(['spool', 'inline_max'], said('config.inlineMax', { max: INLINE_MAX_CEILING }));
  }
  if (problems.length) throw new ConfigError(problems);

  const base = dirname(file);
  const at = (p: string) => resolve(base, p);
  const l = raw.limits ?? {};
  const maxBody = Object.fromEntries(LABELS.map((label) => [label, parseSize(l.max_body?.[label] ?? D.limits.max_body[label])])) as Record<Label, number>;
  const i = raw.inspect ?? {};
  const al = i.archive_limits ?? {};
  const dl = raw.delivery ?? {};
  const au = raw.audit ?? {};
  const su = raw.subscriptions ?? {};
  return {
    file,
    name: raw.name,
    dataDir: at(raw.data_dir),
    tls: {
      ca: at(raw.tls.ca), cert: at(raw.tls.cert), key: at(raw.tls.key),
      crls: (raw.tls.crl === undefined ? [] : typeof raw.tls.crl === 'string' ? [raw.tls.crl] : raw.tls.crl).map(at),
      crlStale: raw.tls.crl_stale ?? D.tls.crl_stale,
      expiryWarningMs: parseDuration(raw.tls.expiry_warning ?? D.tls.expiry_warning),
    },
    networks,
    admin: {
      listen: adminListen,
      apiListen: parseListen(raw.admin?.api_listen ?? D.admin.api_listen),
      administrators: new Map(Object.entries(raw.admin?.administrators ?? {})),
      timeZone: raw.admin?.time_zone ?? D.admin.time_zone,
      streamsPerAdmin: raw.admin?.streams_per_admin ?? D.admin.streams_per_admin,
      streams: raw.admin?.streams ?? D.admin.streams,
      ...(raw.admin?.hosts ? { hosts: raw.admin.hosts } : {}),
    },
    policyFile: raw.policy ? at(raw.policy) : null,
    destinations,
    routing,
    inspect: {
      keywords: i.keywords ?? [],
      clamd: i.clamd
        ? {
            ...(i.clamd.socket ? { socket: i.clamd.socket } : { host: i.clamd.host ?? D.inspect.clamd.host, port: i.clamd.port ?? D.inspect.clamd.port }),
            timeoutMs: parseDuration(i.clamd.timeout ?? D.inspect.clamd.timeout),
          }
        : null,
      archiveLimits: {
        ...(al.max_depth !== undefined ? { maxDepth: al.max_depth } : {}),
        ...(al.max_members !== undefined ? { maxMembers: al.max_members } : {}),
        ...(al.max_expanded !== undefined ? { maxExpandedBytes: parseSize(al.max_expanded) } : {}),
        ...(al.max_ratio !== undefined ? { maxRatio: al.max_ratio } : {}),
      },
      budget: { baseMs: parseDuration(i.budget?.cpu ?? D.inspect.budget.cpu), perMiBMs: parseDuration(i.budget?.per_mib ?? D.inspect.budget.per_mib) },
    },
    limits: {
      maxHeaderBytes: l.max_header_bytes ?? D.limits.max_header_bytes,
      maxBody,
      maxUploadsPerPrincipal: l.max_uploads_per_principal ?? D.limits.max_uploads_per_principal,
      maxMessageBytes: l.max_message_bytes ?? D.limits.max_message_bytes,
      headersTimeoutMs: parseDuration(l.headers_timeout ?? D.limits.headers_timeout),
      idleTimeoutMs: parseDuration(l.idle_timeout ?? D.limits.idle_timeout),
      minFreeDisk: parseSize(l.min_free_disk ?? D.limits.min_free_disk),
      handshakeTimeoutMs: parseDuration(l.handshake_timeout ?? D.limits.handshake_timeout),
      maxConnections: l.max_connections ?? D.limits.max_connections,
      maxConnectionsPerAddress: l.max_connections_per_address ?? D.limits.max_connections_per_address,
      maxPendingHandshakes: l.max_pending_handshakes ?? D.limits.max_pending_handshakes,
      maxHeaders: l.max_headers ?? D.limits.max_headers,
    },
    delivery: {
      concurrency: dl.concurrency ?? D.delivery.concurrency,
      retryInitialMs: parseDuration(dl.retry_initial ?? D.delivery.retry_initial),
      retryMaxMs: parseDuration(dl.retry_max ?? D.delivery.retry_max),
      expireAfterMs: parseDuration(dl.expire_after ?? D.delivery.expire_after),
      connectTimeoutMs: parseDuration(dl.connect_timeout ?? D.delivery.connect_timeout),
      bodyTimeoutMs: parseDuration(dl.body_timeout ?? D.delivery.body_timeout),
      keepSettledMs: parseDuration(dl.keep_settled ?? D.delivery.keep_settled),
      maxDownloads: dl.max_downloads ?? D.delivery.max_downloads,
    },
    spool: { inlineMax: parseSize(raw.spool?.inline_max ?? D.spool.inline_max), sealThread: raw.spool?.seal_thread ?? D.spool.seal_thread },
    subscriptions: {
      window: su.window ?? D.subscriptions.window,
      windowBytes: parseSize(su.window_bytes ?? D.subscriptions.window_bytes),
      windowBytesTotal: parseSize(su.window_bytes_total ?? D.subscriptions.window_bytes_total),
      backlogMessages: su.backlog_messages ?? D.subscriptions.backlog_messages,
      backlogBytes: parseSize(su.backlog_bytes ?? D.subscriptions.backlog_bytes),
      heartbeatMs: parseDuration(su.heartbeat ?? D.subscriptions.heartbeat),
    },
    audit: {
      checkpointEvery: au.checkpoint_every ?? D.audit.checkpoint_every,
      checkpointIntervalMs: parseDuration(au.checkpoint_interval ?? D.audit.checkpoint_interval),
      exportCheckpointsTo: au.export_checkpoints_to ? at(au.export_checkpoints_to) : null,
      witnessUrl: au.witness_url ?? null,
      sealEveryMs: parseDuration(au.seal_every ?? D.audit.seal_every),
      retentionDays: Math.floor(parseDuration(au.retention ?? D.audit.retention) / 86_400_000),
    },
  };
}
