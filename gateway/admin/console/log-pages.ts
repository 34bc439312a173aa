// The console's lists over the whole log, not only its live file (issue #19):
// a list walks the live audit.db and then the sealed segments beside it,
// newest first, as `ferry log query --desc` does (query-segments.ts), a page
// at a time. A page ends at a cursor that says in which file it ended; the
// segments are listed only when a walk goes past the live file.
import type { AuditStorage } from '../../audit/audit-storage.js';
import { openAuditStorage } from '../../audit/open-audit-storage.js';
import { logParts, type LogPart } from '../../audit/query-segments.js';

/** Where a page ended: a seq in the live file (segment null), or in sealed segment N. */
export interface LogCursor { segment: number | null; seq: number }

/** `1234` in the live file, `3:1234` in sealed segment 3 (a record's seq counts within its file). */
export function cursorText(c: LogCursor): string {
  return c.segment === null ? String(c.seq) : `${c.segment}:${c.seq}`;
}

const CURSOR_RE = /^(?:([1-9][0-9]{0,9}):)?([1-9][0-9]{0,15})$/;

/** A cursor from its text, or null when the text is not one. */
export function parseCursor(text: string): LogCursor | null {
  const m = CURSOR_RE.exec(text);
  if (!m) return null;
  const seq = Number(m[2]);
  return Number.isSafeInteger(seq) ? { segment: m[1] === undefined ? null : Number(m[1]), seq } : null;
}

/** Visits one file of the walk, with the seq to read before in it (undefined: from its end); returns true to stop. */
export type Visit = (log: AuditStorage, part: LogPart, beforeSeq: number | undefined) => Promise<boolean>;

/**
 * Walks the log newest first from `from` (null: its newest record): the live
 * file (open already, handed in), then each sealed segment, opened for its
 * turn and closed after, until `visit` says stop.
 */
export async function walkNewestFirst(livePath: string, live: AuditStorage, from: LogCursor | null, visit: Visit): Promise<void> {
  if (from === null || from.segment === null) {
    if (await visit(live, { file: livePath, segment: null }, from?.seq)) return;
  }
  const sealed = (await logParts(livePath)).filter((p) => p.segment !== null && (from?.segment == null || p.segment <= from.segment)).reverse();
  for (const part of sealed) {
    const log = await openAuditStorage(part.file);
    try {
      if (await visit(log, part, from !== null && from.segment === part.segment ? from.seq : undefined)) return;
    } finally {
      await log.close();
    }
  }
}

/** Visits one file of a window walk with the first seq inside the window in it. */
export type WindowVisit = (log: AuditStorage, fromSeq: number) => Promise<void>;

/**
 * Visits every file that holds records at or after `since`, newest first: the
 * live file, then sealed segments while the window reaches back past a file's
 * first record (a window that starts inside a file ends the walk there). The
 * console's counts of the last day or month, so that a seal does not start
 * them again from zero.
 */
export async function walkSince(livePath: string, live: AuditStorage, since: string, visit: WindowVisit): Promise<void> {
  const reachesBack = async (log: AuditStorage): Promise<boolean> => {
    const from = await log.firstSeqAt(since);
    if (from === null) return false;
    await visit(log, from);
    // Records before `from` in this file are older than the window: older files are too.
    return from <= ((await log.firstSeqAt('')) ?? from);
  };
  if (!(await reachesBack(live))) return;
  const sealed = (await logParts(livePath)).filter((p) => p.segment !== null).reverse();
  for (const part of sealed) {
    const log = await openAuditStorage(part.file);
    try {
      if (!(await reachesBack(log))) return;
    } finally {
      await log.close();
    }
  }
}
