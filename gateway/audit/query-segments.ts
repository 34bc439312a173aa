// Queries over the whole log, not only its live file: `ferry log query` and
// `export` given data/audit.db (or the data directory, or a directory of
// segments) read the sealed segments too (segments.ts), oldest first, then
// the live file. Record times never go backwards across segments either (a
// seal continues the same clock), so a time range skips every segment wholly
// outside it after two primary-key reads, and a LIMIT stops the walk early.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openAuditStorage } from './open-audit-storage.js';
import { auditRecordPages, normaliseTime, type AuditRecord, type RecordFilter } from './read-records.js';
import { sealedSegments } from './segment-info.js';
import { SEGMENTS_DIR } from './segments.js';

const LIVE = 'audit.db';

/**
 * The log files `path` stands for, oldest first: a directory's sealed
 * segments (its own and its audit-segments/'s) and its audit.db; for a file
 * named audit.db, the sealed segments beside it and the file; any other file
 * alone (one segment, or a copy handed over).
 */
export async function logFiles(path: string): Promise<string[]> {
  return (await logParts(path)).map((p) => p.file);
}

/** A file of the log: a sealed segment (its number), or the live file or a file given alone (null). */
export interface LogPart { file: string; segment: number | null }

/** logFiles, each with the number of its sealed segment. */
export async function logParts(path: string): Promise<LogPart[]> {
  // A path that is not there goes to openAuditStorage as it is, which says so in words (open-audit-db.ts).
  const isDir = statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  if (!isDir && !existsSync(path)) return [{ file: path, segment: null }];
  if (!isDir && basename(path) !== LIVE) return [{ file: path, segment: null }];
  const dir = isDir ? path : dirname(path);
  const sealed = [...await sealedSegments(dir), ...await sealedSegments(join(dir, SEGMENTS_DIR))].sort((a, b) => a.segment - b.segment).map((s) => ({ file: s.file, segment: s.segment }));
  const live = isDir ? join(dir, LIVE) : path;
  return existsSync(live) ? [...sealed, { file: live, segment: null }] : sealed;
}

/** The first and last record times of a log file (null when it has none). */
async function timeSpan(file: string): Promise<{ first: string; last: string } | null> {
  const log = await openAuditStorage(file);
  try {
    return await log.timeSpan();
  } finally {
    await log.close();
  }
}

/** Of `files`, those that may hold records in the filter's time range [since, until). */
export async function filesInRange(files: string[], filter: Pick<RecordFilter, 'since' | 'until'>): Promise<string[]> {
  if (filter.since === undefined && filter.until === undefined) return files;
  const since = filter.since === undefined ? null : normaliseTime(filter.since);
  const until = filter.until === undefined ? null : normaliseTime(filter.until);
  const out: string[] = [];
  for (const f of files) {
    const span = await timeSpan(f);
    if (span !== null && (since === null || span.last >= since) && (until === null || span.first < until)) out.push(f);
  }
  return out;
}

/**
 * Records matching `filter` across every file of the log at `path`, in log
 * order (newest first with `descending`), at most `filter.limit` in all. Each
 * file is opened read-only and closed before the next. A record's seq counts
 * within its segment.
 */
export async function* queryLogPages(path: string, filter: RecordFilter = {}): AsyncGenerator<AuditRecord[]> {
  const files = await filesInRange(await logFiles(path), filter);
  if (filter.descending) files.reverse();
  let left = filter.limit ?? Infinity;
  for (const file of files) {
    if (left <= 0) return;
    const log = await openAuditStorage(file);
    try {
      for await (const page of auditRecordPages(log, { ...filter, ...(Number.isFinite(left) ? { limit: left } : {}) })) {
        left -= page.length;
        yield page;
      }
    } finally {
      await log.close();
    }
  }
}

/** The records of queryLogPages one by one. */
export async function* queryLog(path: string, filter: RecordFilter = {}): AsyncGenerator<AuditRecord> {
  for await (const page of queryLogPages(path, filter)) yield* page;
}
