import { createReadStream } from 'node:fs';
import type { Stage, StageContext } from './context/stage.js';
import { ClamdStage } from './antivirus/clamd-stage.js';
import { ContentStage } from './content-stage.js';
import type { InspectBudget } from './transfer-budget.js';
import type { Finding } from '../../protocol/findings.js';
import { batchPool, heavyPool, inspectionPool } from './inspect-pool.js';

// Public face of content inspection (issue 6): the stages the gateway plugs
// into its one pass, and the same inspection over a stream or a file for
// `ferry inspect` and `ferry policy test --file`.

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
  maxDecode?: number;
}

export interface InspectOptions {
  keywords?: string[];
  /** null: antivirus not configured → no av stage, no finding. */
  clamd?: ClamdOptions | null;
  limits?: ArchiveLimits;
  /** Worker time one transfer may take: baseMs plus perMiBMs per MiB (defaults 30 s and 1 s, a floor of 1 MiB/s). */
  budget?: InspectBudget;
}

export interface InspectResult {
  sniffedType?: string;
  size: number;
  findings: Finding[];
}

export function inspectorStages(ctx: StageContext, opts: InspectOptions): Stage[] {
  const stages: Stage[] = [new ContentStage(ctx, opts.keywords, opts.limits, opts.clamd ?? null, opts.budget)];
  if (opts.clamd) stages.push(new ClamdStage(opts.clamd, ctx.signal));
  return stages;
}

/**
 * Starts the first small bodies' worker now, so that a gateway's first transfers do not pay for its start. Not
 * the streaming pool's: a body over WHOLE_MAX (content-stage.ts) waits for its worker once, some 0.5 s, while
 * every gateway that never took one paid that in CPU as it started (a gateway per test, 2 Dec: the suite).
 */
export function warmInspection(): void {
  batchPool.warm();
}

export async function inspectStream(input: NodeJS.ReadableStream, ctx: StageContext, opts: InspectOptions): Promise<InspectResult> {
  const stages = inspectorStages(ctx, opts);
  let size = 0;
  try {
    for await (const c of input as AsyncIterable<Buffer | string>) {
      const chunk = typeof c === 'string' ? Buffer.from(c) : c;
      size += chunk.length;
      const pending: Promise<void>[] = [];
      for (const s of stages) {
        const p = s.update(chunk);
        if (p) pending.push(p);
      }
      if (pending.length) await Promise.all(pending);
    }
  } catch (e) {
    for (const s of stages) s.abort(e instanceof Error ? e : undefined);
    throw e;
  }
  const findings: Finding[] = [];
  const facts: Record<string, unknown> = {};
  for (const r of await Promise.all(stages.map((s) => s.finish()))) {
    findings.push(...r.findings);
    Object.assign(facts, r.facts);
  }
  return { sniffedType: typeof facts.sniffedType === 'string' ? facts.sniffedType : undefined, size, findings };
}

export async function inspectFile(path: string, opts: InspectOptions & { declaredType?: string; filename?: string } = {}): Promise<InspectResult> {
  const input = createReadStream(path, { highWaterMark: 256 * 1024 });
  // Surface open errors (ENOENT, EACCES) as a rejection before the first chunk.
  await new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  return inspectStream(input, { transferId: 'local', label: 'internal', filename: opts.filename ?? path, declaredType: opts.declaredType }, opts);
}

export type { InspectBudget } from './transfer-budget.js';

/** Why the inspection workers cannot start, or null (for /healthz). */
export function inspectionStartFailure(): string | null {
  return inspectionPool.startFailure ?? batchPool.startFailure ?? heavyPool.startFailure;
}
export { FINDING_KINDS, PERSONAL_DATA_SUBKINDS, type Finding, type FindingKind } from '../../protocol/findings.js';
