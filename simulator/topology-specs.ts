import type { FaultKind, RefuseKind } from './topology-schema.js';

// The parts of a loaded topology (topology.ts puts them together), apart so
// that what reads one part (routes.ts) need not import the loader.

export interface GatewaySpec {
  name: string;
  borders: string[];
  policy: { file: string } | { text: string } | null;
  clamd: boolean;
  maxHops: number | null;
  delivery: Record<string, unknown> | null;
}
export interface SystemSpec { id: string; network: string; receive: 'push' | 'pull' | 'subscribe' | 'none'; gateway: string | null; dropEvery: number | null }
export interface LinkSpec { id: string; gateway: string; network: string; latencyMs: number; jitterMs: number; bandwidth: number | null }
export interface FaultSpec {
  kind: FaultKind; target: string; atMs: number | null; afterBytes: number | null; forMs: number;
  latencyMs: number | null; bandwidth: number | null; line: number;
}
export interface WorkloadSpec {
  index: number;
  from: string; to: string; label: 'public' | 'internal' | 'sensitive'; expect: 'cross' | 'refused';
  /** The gateways a transfer crosses, in order. */
  path: string[];
  files: { count: number; ratePerSec: number; concurrency: number; sizes: Array<{ size: number; weight: number }> } | null;
  messages: { channel: string; count: number; ratePerSec: number; size: number } | null;
  refuse: Record<RefuseKind, number>;
}
