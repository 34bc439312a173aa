import { createReadStream } from 'node:fs';
import type { Stage, StageContext } from '../pipeline/stage.js';
import type { Finding } from './findings.js';

// Public face of content inspection (issue 6). The signatures here are the
// contract other parts code against; the implementation lands behind them.

export interface ClamdOptions {
  host?: string;
  port?: number;
  socket?: string;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface ArchiveLimits {
  maxDepth?: number;
  maxMembers?: number;
  maxExpandedBytes?: number;
  maxRatio?: number;
}

export interface InspectOptions {
  keywords?: string[];
  /** null: antivirus not configured → no av stage, no finding. */
  clamd?: ClamdOptions | null;
  limits?: ArchiveLimits;
}

export interface InspectResult {
  sniffedType?: string;
  size: number;
  findings: Finding[];
}

export function inspectorStages(_ctx: StageContext, _opts: InspectOptions): Stage[] {
  return [];
}

export async function inspectStream(input: NodeJS.ReadableStream, _ctx: StageContext, _opts: InspectOptions): Promise<InspectResult> {
  let size = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) size += chunk.length;
  return { size, findings: [] };
}

export async function inspectFile(path: string, opts: InspectOptions & { declaredType?: string; filename?: string } = {}): Promise<InspectResult> {
  return inspectStream(createReadStream(path), { transferId: 'local', label: 'internal', filename: opts.filename ?? path, declaredType: opts.declaredType }, opts);
}
