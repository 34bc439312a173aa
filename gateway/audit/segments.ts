// Segments of the audit log over months (issue #19). The live log is
// data/audit.db; sealing moves it to data/audit-segments/segment-NNNNNN.db at
// a checkpoint over all its records, and the new data/audit.db begins with a
// `segment-started` record that commits to that checkpoint (size, root and
// the signed note). A six-month log is then verifiable segment by segment and
// as a whole (verify-segments.ts), and old segments can be moved to cheaper
// storage or handed to the security team as files. Pruning removes only whole
// sealed segments past the retention, and says so in a `segments-pruned`
// record of the live log, signed by the next checkpoint.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AuditEntry } from '../../protocol/audit-events.js';
import { SqliteAuditReader } from './sqlite/sqlite-audit-reader.js';
import { MIN_RETENTION_DAYS, RETENTION_FLOOR_REASON } from './retention-floor.js';

export const SEGMENT_STARTED = 'segment-started' as const;
export const SEGMENTS_PRUNED = 'segments-pruned' as const;
/** data/audit-segments beside data/audit.db */
export const SEGMENTS_DIR = 'audit-segments';


export interface SealedSegment {
  segment: number;
  /** Records in it, and the size of its last checkpoint. */
  size: number;
  /** base64 root of that checkpoint */
  root: string;
  /** time of its last record */
  time: string;
  /** the checkpoint's signed note */
  checkpoint: string;
  /** where it lies now */
  file: string;
}

export function segmentFileName(segment: number): string {
  return `segment-${String(segment).padStart(6, '0')}.db`;
}

function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Moves a closed, sealed log file into the segments directory (durably); returns its new path. */
export function placeSealed(livePath: string, segmentsDir: string, segment: number): string {
  mkdirSync(segmentsDir, { recursive: true, mode: 0o700 });
  const to = join(segmentsDir, segmentFileName(segment));
  renameSync(livePath, to);
  fsyncDirSync(segmentsDir);
  fsyncDirSync(dirname(livePath));
  return to;
}

/** What a sealed segment file says of itself (meta), without verifying it. */
export interface SegmentInfo { file: string; segment: number; origin: string | null; sealed: { size: number; root: string; time: string } | null }

/**
 * Read synchronously, from the file: the writer's own pruning and sealing use
 * it (segment-keeper.ts); tools list segments through the port (segment-info.ts).
 */
export function readSegmentInfo(file: string): SegmentInfo {
  const log = new SqliteAuditReader(file);
  try {
    return { file, ...log.meta() };
  } finally {
    log.close();
  }
}

/** The sealed segments in a directory, by segment number. */
export function listSegments(segmentsDir: string): SegmentInfo[] {
  let names: string[];
  try {
    names = readdirSync(segmentsDir).filter((n) => /^segment-\d+\.db$/.test(n));
  } catch {
    return [];
  }
  return names.map((n) => readSegmentInfo(join(segmentsDir, n))).sort((a, b) => a.segment - b.segment);
}

/**
 * The sealed segments whose last record is older than `retentionDays`, oldest
 * first, up to the first one that is not: only a prefix goes, so the chain from
 * what is kept to the live log stays whole.
 */
export function dueForPruning(segmentsDir: string, retentionDays: number, now = Date.now()): SealedSegment[] {
  if (retentionDays < MIN_RETENTION_DAYS) throw new RangeError(`audit retention of ${retentionDays} days is below ${MIN_RETENTION_DAYS}: ${RETENTION_FLOOR_REASON}`);
  const cutoff = now - retentionDays * 86_400_000;
  const out: SealedSegment[] = [];
  for (const s of listSegments(segmentsDir)) {
    if (!s.sealed || Date.parse(s.sealed.time) >= cutoff) break;
    out.push({ segment: s.segment, size: s.sealed.size, root: s.sealed.root, time: s.sealed.time, checkpoint: '', file: basename(s.file) });
  }
  return out;
}

/** What pruning needs of the log (the AuditLog): to append its record and sign it. */
export interface PruneRecorder {
  append(entry: AuditEntry): Promise<unknown>;
  checkpoint(): Promise<unknown>;
}

/**
 * Prunes the segments past retention: first the `segments-pruned` record
 * (which segments, their sizes and roots, the retention and why), signed by a
 * checkpoint, then the files. A crash in between leaves files that the next
 * prune removes and records again.
 */
export async function pruneSegments(audit: PruneRecorder, segmentsDir: string, retentionDays: number, now = Date.now()): Promise<SealedSegment[]> {
  const due = dueForPruning(segmentsDir, retentionDays, now);
  if (due.length === 0) return [];
  await audit.append({
    event: SEGMENTS_PRUNED, principal: null,
    details: { retention_days: retentionDays, floor: RETENTION_FLOOR_REASON, segments: due.map(({ checkpoint: _c, ...s }) => s) },
  });
  await audit.checkpoint();
  for (const s of due) for (const suffix of ['', '-wal', '-shm']) rmSync(join(segmentsDir, s.file + suffix), { force: true });
  fsyncDirSync(segmentsDir);
  return due;
}
