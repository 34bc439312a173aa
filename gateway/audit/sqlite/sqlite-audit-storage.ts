// The audit storage port (audit-storage.ts) over an SQLite log file. SQLite
// answers in the thread that asks (better-sqlite3 is synchronous), so each
// answer is the synchronous reader's (sqlite-audit-reader.ts) handed back as
// a promise; long reads go a page at a time, each page one keyset query that
// starts after the last seq (or size, or tree leaf) of the page before.
import {
  RECORD_PAGE,
  type AuditLogMeta, type AuditStorage, type DecidedRecord, type RecordFilter, type RecordValues,
  type StoredAuditRecord, type StoredCheckpoint, type StoredTreeNode,
} from '../audit-storage.js';
import { SqliteAuditReader } from './sqlite-audit-reader.js';

/** Values per page of recordValues: verification's unit of await. */
const VALUES_PAGE = 1024;
/** Leaves whose completed tree nodes make one page (about 1,000 nodes of level 8 and those above them). */
const NODE_LEAVES = 2 ** 18;
const CHECKPOINT_PAGE = 256;

export class SqliteAuditStorage implements AuditStorage {
  readonly location: string;
  readonly #r: SqliteAuditReader;

  /** The log file at `path`, read-only; a path that is not one is refused in words (AuditDbError). */
  constructor(path: string) {
    this.location = path;
    this.#r = new SqliteAuditReader(path);
  }

  async meta(): Promise<AuditLogMeta> { return this.#r.meta(); }
  async maxSeq(): Promise<number> { return this.#r.maxSeq(); }
  async timeSpan(): Promise<{ first: string; last: string } | null> { return this.#r.timeSpan(); }
  async firstSeqAt(iso: string): Promise<number | null> { return this.#r.firstSeqAt(iso); }

  async *recordPages(filter: RecordFilter = {}, pageSize = RECORD_PAGE): AsyncGenerator<StoredAuditRecord[]> {
    let left = filter.limit ?? Infinity;
    let cursor: number | null = null;
    while (left > 0) {
      const n = Math.min(pageSize, left);
      const f: RecordFilter = { ...filter, limit: n };
      // The page after the last seq seen (before it, newest first): inside the filter's own bounds, since it came from them.
      if (cursor !== null) { if (filter.descending) f.beforeSeq = cursor; else f.afterSeq = cursor; }
      const page = this.#r.recordsPage(f);
      if (page.length > 0) yield page;
      if (page.length < n) return;
      left -= n;
      cursor = page[page.length - 1]!.seq;
    }
  }

  async *records(filter: RecordFilter = {}): AsyncGenerator<StoredAuditRecord> {
    for await (const page of this.recordPages(filter)) yield* page;
  }

  async *recordValues(from: number, to: number, pageSize = VALUES_PAGE): AsyncGenerator<RecordValues[]> {
    for (let a = from; a <= to; a += pageSize) {
      const page = this.#r.recordValues(a, Math.min(to, a + pageSize - 1));
      if (page.length > 0) yield page;
      // A gap is the caller's finding (verification names it), so the walk goes on past a short page.
    }
  }

  async recordHashes(after: number, to: number): Promise<string[]> { return this.#r.recordHashes(after, to); }
  async treeNode(level: number, idx: number): Promise<Buffer | null> { return this.#r.treeNode(level, idx); }

  async *treeNodes(): AsyncGenerator<StoredTreeNode[]> {
    // Up to the last leaf any stored node could cover: the highest node's end.
    const last = this.#r.maxTreeLeaf();
    for (let a = 0; a < last; a += NODE_LEAVES) {
      const page = this.#r.treeNodesCompleting(a, a + NODE_LEAVES);
      if (page.length > 0) yield page;
    }
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | null> { return this.#r.latestCheckpoint(); }
  async checkpointAt(size: number): Promise<StoredCheckpoint | null> { return this.#r.checkpointAt(size); }

  async *checkpoints(): AsyncGenerator<StoredCheckpoint[]> {
    let after = -1;
    for (;;) {
      const page = this.#r.checkpointsAfter(after, CHECKPOINT_PAGE);
      if (page.length > 0) yield page;
      if (page.length < CHECKPOINT_PAGE) return;
      after = page[page.length - 1]!.size;
    }
  }

  async checkpointSizes(n: number): Promise<number[]> { return this.#r.checkpointSizes(n); }
  async eventCounts(fromSeq: number): Promise<Record<string, number>> { return this.#r.eventCounts(fromSeq); }
  async decisionsByHour(fromSeq: number): Promise<Array<{ hour: string; decided: number; denied: number }>> { return this.#r.decisionsByHour(fromSeq); }
  async refusalsByRule(fromSeq: number, limit: number): Promise<Array<{ rule: string; n: number }>> { return this.#r.refusalsByRule(fromSeq, limit); }
  async denyingFindings(fromSeq: number, limit: number): Promise<Array<{ kind: string; n: number }>> { return this.#r.denyingFindings(fromSeq, limit); }
  async decisionsByRule(fromSeq: number): Promise<Array<{ rule: string; n: number }>> { return this.#r.decisionsByRule(fromSeq); }
  async shadowMatches(fromSeq: number): Promise<Array<{ rule: string; effect: string; n: number }>> { return this.#r.shadowMatches(fromSeq); }
  async adminActions(beforeSeq: number, limit: number): Promise<StoredAuditRecord[]> { return this.#r.adminActions(beforeSeq, limit); }

  async decisionsToReplay(opts: { since?: string; last?: number }): Promise<{ windowed: boolean; pages: AsyncIterable<DecidedRecord[]> }> {
    const start = this.#r.replayStart(opts);
    const r = this.#r;
    async function* pages(): AsyncGenerator<DecidedRecord[]> {
      let after = start.afterSeq;
      for (;;) {
        const page = r.decisionsAfter(opts.since, after, RECORD_PAGE);
        if (page.length > 0) yield page;
        if (page.length < RECORD_PAGE) return;
        after = page[page.length - 1]!.seq;
      }
    }
    return { windowed: start.windowed, pages: pages() };
  }

  async snapshot<T>(fn: () => Promise<T>): Promise<T> {
    this.#r.begin();
    try {
      return await fn();
    } finally {
      this.#r.commit();
    }
  }

  async close(): Promise<void> {
    this.#r.close();
  }
}
