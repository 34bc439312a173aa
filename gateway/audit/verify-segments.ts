// `ferry log verify` over a directory of segments (segments.ts): each
// segment verified whole (verify.ts), then the links between them: every
// segment after the first opens with a `segment-started` record committing
// to the size and root of the last checkpoint of the segment before; all are
// of one origin; a segment missing at the start is accounted for only by a
// `segments-pruned` record naming it with the same root.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openAuditStorage } from './open-audit-storage.js';
import type { StoredAuditRecord } from './audit-storage.js';
import { segmentInfo } from './segment-info.js';
import { SEGMENT_STARTED, SEGMENTS_DIR, SEGMENTS_PRUNED, type SegmentInfo } from './segments.js';
import { verifyLogFile, type VerifyOptions, type VerifyReport } from './verify.js';
import type { VerifyFailure } from './verify-checks.js';

export interface SegmentReport extends SegmentInfo { report: VerifyReport }

export interface SegmentsReport {
  ok: boolean;
  /** Records verified in all segments. */
  records: number;
  segments: SegmentReport[];
  /** Segments before the first present, recorded as pruned. */
  pruned: number[];
  failure: (VerifyFailure & { segment: number; file: string }) | null;
}

/** The log files a path names: a file; or a directory's segment files, its audit.db and its audit-segments/ (a data directory). */
export function segmentFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const out: string[] = [];
  for (const dir of [path, join(path, SEGMENTS_DIR)]) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) if (/^segment-\d+\.db$/.test(n) || (dir === path && n === 'audit.db')) out.push(join(dir, n));
  }
  return out;
}

interface Edge {
  first: { event: string; details: Record<string, unknown> | null } | null;
  last: { size: number; root: string } | null;
  pruned: Array<{ segment: number; root: string }>;
}

async function readEdges(file: string): Promise<Edge> {
  const log = await openAuditStorage(file);
  try {
    let first: StoredAuditRecord | undefined;
    for await (const r of log.records({ afterSeq: 0, beforeSeq: 2 })) first = r;
    const cp = await log.latestCheckpoint();
    const last = cp ? { size: cp.size, root: cp.root } : null;
    const pruned: Edge['pruned'] = [];
    for await (const r of log.records({ event: SEGMENTS_PRUNED })) {
      const d = JSON.parse(r.details!) as { segments?: Array<{ segment: number; root: string }> };
      for (const s of d.segments ?? []) pruned.push({ segment: s.segment, root: s.root });
    }
    return { first: first ? { event: first.event, details: first.details ? JSON.parse(first.details) as Record<string, unknown> : null } : null, last, pruned };
  } finally {
    await log.close();
  }
}

class SegmentFailure extends Error {
  constructor(readonly failure: VerifyFailure & { segment: number; file: string }) {
    super(failure.message);
  }
}

export async function verifySegments(files: string[], opts: VerifyOptions = {}): Promise<SegmentsReport> {
  const out: SegmentsReport = { ok: false, records: 0, segments: [], pruned: [], failure: null };
  const infos: SegmentInfo[] = [];
  for (const f of files) infos.push(await segmentInfo(f));
  infos.sort((a, b) => a.segment - b.segment);
  const fail = (s: SegmentInfo, check: VerifyFailure['check'], message: string, seq = 1): never => {
    throw new SegmentFailure({ seq, check, message: `segment ${s.segment} (${s.file}): ${message}`, segment: s.segment, file: s.file });
  };
  try {
    if (infos.length === 0) throw new Error('no audit log files there');
    const origin = infos[0]!.origin;
    const edges: Edge[] = [];
    for (const s of infos) edges.push(await readEdges(s.file));
    let verifiers = opts.verifiers;
    const allPruned = edges.flatMap((e) => e.pruned);
    for (let i = 0; i < infos.length; i++) {
      const s = infos[i]!;
      if (s.origin !== origin) fail(s, 'segment-origin', `written by ${JSON.stringify(s.origin)}, not ${JSON.stringify(origin)}: a segment of another gateway`);
      if (i > 0 && s.segment === infos[i - 1]!.segment) fail(s, 'segment-link', `two files claim segment ${s.segment} (${infos[i - 1]!.file} too)`);
      // A key rotated in one segment signs the checkpoints of the next: the keys in force are carried on.
      const report = await verifyLogFile(s.file, { ...opts, ...(verifiers ? { verifiers } : {}), onKeysInForce: (k) => { verifiers = k; } });
      out.segments.push({ ...s, report });
      if (!report.ok) fail(s, report.failure!.check, `record ${report.failure!.seq}: ${report.failure!.message}`, report.failure!.seq);
      out.records += report.records;
      const e = edges[i]!;
      if (i < infos.length - 1 && (!s.sealed || !e.last || e.last.size !== report.records || e.last.root !== s.sealed.root)) {
        fail(s, 'segment-unsealed', `a later segment follows, but this one was not sealed at a checkpoint over all its ${report.records} records`, report.records);
      }
      if (s.segment === 1 && e.first?.event !== SEGMENT_STARTED) continue;
      const d = e.first?.event === SEGMENT_STARTED ? e.first.details as { segment?: number; previous?: { segment: number; size: number; root: string } } : null;
      if (!d?.previous || d.segment !== s.segment) fail(s, 'segment-link', `its first record is not a segment-started record for segment ${s.segment}`);
      const prev = d!.previous!;
      if (i === 0) {
        // The first present segment: those before it must have been pruned, and recorded so.
        const recorded = allPruned.find((p) => p.segment === prev.segment);
        if (!recorded) fail(s, 'segment-missing', `it continues segment ${prev.segment}, which is neither here nor recorded as pruned`);
        if (recorded!.root !== prev.root) fail(s, 'segment-link', `it continues segment ${prev.segment} at root ${prev.root}, but the pruning record names root ${recorded!.root}`);
        for (let k = 1; k < s.segment; k++) out.pruned.push(k);
        continue;
      }
      const before = infos[i - 1]!;
      if (prev.segment !== before.segment) {
        fail(s, 'segment-missing', `it continues segment ${prev.segment}, which is not here (the segment before it here is ${before.segment})`);
      }
      const last = edges[i - 1]!.last;
      if (!last || last.size !== prev.size || last.root !== prev.root) {
        fail(s, 'segment-link', `it continues segment ${prev.segment} at size ${prev.size}, root ${prev.root}; that segment's last checkpoint is at size ${last?.size ?? 0}, root ${last?.root ?? 'none'} (rewritten, or swapped for another file)`);
      }
    }
    out.ok = true;
  } catch (err) {
    if (!(err instanceof SegmentFailure)) throw err;
    out.failure = err.failure;
  }
  return out;
}
