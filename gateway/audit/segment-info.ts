// The sealed segments of a log as the tools see them, read through the audit
// storage port (async). The writer's own pruning reads them synchronously
// from the files (segments.ts, readSegmentInfo).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openAuditStorage } from './open-audit-storage.js';
import type { SegmentInfo } from './segments.js';

/** What a log file says of itself (meta), without verifying it. */
export async function segmentInfo(file: string): Promise<SegmentInfo> {
  const log = await openAuditStorage(file);
  try {
    return { file, ...(await log.meta()) };
  } finally {
    await log.close();
  }
}

/** The sealed segments in a directory, by segment number. */
export async function sealedSegments(segmentsDir: string): Promise<SegmentInfo[]> {
  let names: string[];
  try {
    names = readdirSync(segmentsDir).filter((n) => /^segment-\d+\.db$/.test(n));
  } catch {
    return [];
  }
  const out: SegmentInfo[] = [];
  for (const n of names) out.push(await segmentInfo(join(segmentsDir, n)));
  return out.sort((a, b) => a.segment - b.segment);
}
