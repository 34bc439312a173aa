import { DURATION_PATTERN, SIZE_PATTERN } from '../gateway/config/units.js';

// The JSON Schema of a topology file (docs/topology.md). Checked with the
// project's YAML-with-positions loader, so every problem has file:line:col.

const NAME = '^[a-z0-9][a-z0-9_-]{0,62}$';
const ADDRESS = '^[a-z0-9][a-z0-9_-]{0,62}/[a-z0-9][a-z0-9_-]{0,62}$';
const size = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: SIZE_PATTERN }] };
const duration = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: DURATION_PATTERN }] };
/** "10MiB/s", "512KiB/s" or bytes per second as a number. */
const bandwidth = { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*([kKmMgG]i?[bB])?\\s*/\\s*s\\s*$' }] };
/** "5/s", "300/m" or items per second as a number. */
const rate = { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*/\\s*(s|m)\\s*$' }] };
const share = { type: 'number', minimum: 0, maximum: 1 };

export const REFUSE_KINDS = ['classified', 'personal_data', 'executable', 'malware', 'zip_bomb'] as const;
export type RefuseKind = (typeof REFUSE_KINDS)[number];
export const FAULT_KINDS = ['kill', 'stop', 'cut', 'degrade', 'down', 'clamd'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const cut = { type: 'object', additionalProperties: false, required: ['at', 'for'], properties: { at: duration, for: duration } };

export const topologySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'networks', 'gateways', 'systems', 'workloads'],
  // x-… keys hold whatever the author wants to reuse through YAML anchors (shared policy rules).
  patternProperties: { '^x-': {} },
  properties: {
    name: { type: 'string', pattern: NAME },
    description: { type: 'string' },
    seed: { type: 'integer' },
    drain_timeout: duration,
    networks: {
      anyOf: [
        { type: 'array', minItems: 2, items: { type: 'string', pattern: NAME } },
        { type: 'object', minProperties: 2, propertyNames: { pattern: NAME }, additionalProperties: { type: ['string', 'null'] } },
      ],
    },
    gateways: {
      type: 'object', minProperties: 1, propertyNames: { pattern: NAME },
      additionalProperties: {
        type: 'object', additionalProperties: false, required: ['borders'],
        properties: {
          borders: { type: 'array', minItems: 2, items: { type: 'string', pattern: NAME } },
          policy: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }] },
          clamd: { type: 'boolean' },
          routes: {
            type: 'object', propertyNames: { pattern: NAME },
            additionalProperties: { type: 'object', additionalProperties: false, required: ['via'], properties: { via: { type: 'string', pattern: NAME } } },
          },
          peers: {
            type: 'object', propertyNames: { pattern: NAME },
            additionalProperties: { type: 'object', additionalProperties: false, required: ['networks'], properties: { networks: { type: 'array', items: { type: 'string', pattern: NAME } } } },
          },
          max_hops: { type: 'integer', minimum: 1, maximum: 32 },
          delivery: { type: 'object' },
        },
      },
    },
    systems: {
      type: 'object', minProperties: 1, propertyNames: { pattern: ADDRESS },
      additionalProperties: {
        type: 'object', additionalProperties: false,
        properties: {
          receive: { enum: ['push', 'pull', 'subscribe', 'none'] },
          gateway: { type: 'string', pattern: NAME },
          drop_every: { type: 'integer', minimum: 2 },
        },
      },
    },
    links: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['gateway', 'network'],
        properties: {
          gateway: { type: 'string', pattern: NAME },
          network: { type: 'string', pattern: NAME },
          latency: duration,
          jitter: duration,
          bandwidth,
          cuts: { type: 'array', items: cut },
        },
      },
    },
    faults: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['kind', 'target', 'for'],
        properties: {
          kind: { enum: FAULT_KINDS },
          target: { type: 'string', minLength: 1 },
          at: duration,
          after_bytes: size,
          for: duration,
          latency: duration,
          bandwidth,
        },
      },
    },
    workloads: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['from', 'to'],
        properties: {
          from: { type: 'string', pattern: ADDRESS },
          to: { type: 'string', pattern: ADDRESS },
          label: { enum: ['public', 'internal', 'sensitive'] },
          expect: { enum: ['cross', 'refused'] },
          files: {
            type: 'object', additionalProperties: false, required: ['count'],
            properties: {
              count: { type: 'integer', minimum: 0, maximum: 1_000_000 },
              rate,
              concurrency: { type: 'integer', minimum: 1, maximum: 64 },
              sizes: {
                type: 'array', minItems: 1,
                items: { type: 'object', additionalProperties: false, required: ['size'], properties: { size, weight: { type: 'number', exclusiveMinimum: 0 } } },
              },
            },
          },
          messages: {
            type: 'object', additionalProperties: false, required: ['count', 'channel'],
            properties: {
              channel: { type: 'string', pattern: NAME },
              count: { type: 'integer', minimum: 0, maximum: 1_000_000 },
              rate,
              size: size,
            },
          },
          refuse: {
            type: 'object', additionalProperties: false,
            properties: Object.fromEntries(REFUSE_KINDS.map((k) => [k, share])),
          },
        },
      },
    },
    expect: {
      type: 'object', additionalProperties: false,
      properties: {
        lost: { type: 'integer', minimum: 0 },
        duplicated: { type: 'integer', minimum: 0 },
        false_accept: { type: 'integer', minimum: 0 },
        false_refuse: { type: 'integer', minimum: 0 },
        min_delivered_rate: share,
      },
    },
  },
} as const;

export interface RawTopology {
  name: string;
  description?: string;
  seed?: number;
  drain_timeout?: number | string;
  networks: string[] | Record<string, string | null>;
  gateways: Record<string, {
    borders: string[];
    policy?: string | Record<string, unknown>;
    clamd?: boolean;
    routes?: Record<string, { via: string }>;
    peers?: Record<string, { networks: string[] }>;
    max_hops?: number;
    delivery?: Record<string, unknown>;
  }>;
  systems: Record<string, { receive?: 'push' | 'pull' | 'subscribe' | 'none'; gateway?: string; drop_every?: number }>;
  links?: Array<{ gateway: string; network: string; latency?: number | string; jitter?: number | string; bandwidth?: number | string; cuts?: Array<{ at: number | string; for: number | string }> }>;
  faults?: Array<{ kind: FaultKind; target: string; at?: number | string; after_bytes?: number | string; for: number | string; latency?: number | string; bandwidth?: number | string }>;
  workloads: Array<{
    from: string; to: string; label?: 'public' | 'internal' | 'sensitive'; expect?: 'cross' | 'refused';
    files?: { count: number; rate?: number | string; concurrency?: number; sizes?: Array<{ size: number | string; weight?: number }> };
    messages?: { channel: string; count: number; rate?: number | string; size?: number | string };
    refuse?: Partial<Record<RefuseKind, number>>;
  }>;
  expect?: { lost?: number; duplicated?: number; false_accept?: number; false_refuse?: number; min_delivered_rate?: number };
}
