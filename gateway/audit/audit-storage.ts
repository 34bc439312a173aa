// The audit log's storage port (today SQLite files: audit/sqlite/). The write
// side is AuditSink (audit-sink.ts), which the gateway's AuditLog implements;
// this is the read side, over one log file (the live audit.db or a sealed
// segment): what `ferry log verify|prove|query|trace`, the console and the
// policy replay read, none of them opening a database itself.
//
// Every read is asynchronous, so that a backend over the network (PostgreSQL
// for several nodes) can answer it. Long reads come in pages: verification of
// millions of records must not pay a promise per record, so recordValues()
// and recordPages() hand over arrays (a page costs one await), and the caller
// walks each page synchronously. A page is read by a fresh query that starts
// where the previous one ended (keyset, by seq), so nothing is held open
// between pages: a reader that stops early leaves no statement behind.
//
// What a backend must answer, and test/conformance/audit-storage.ts checks:
// - records in seq order (newest first when asked), exactly those a filter picks;
// - the stored values as written: a record's details as its text, its hashes as
//   hex, so that verification sees what is on disk, not a tidied copy;
// - checkpoints in size order, tree nodes in the order the tree completes them;
// - a location that is not an audit log refused with an AuditDbError in words.

/** Which records to read; every field narrows (all of them: AND). */
export interface RecordFilter {
  transferId?: string;
  /** ISO 8601 UTC; records at or after this time. */
  since?: string;
  /** ISO 8601 UTC; records before this time. */
  until?: string;
  source?: string;
  destination?: string;
  principal?: string;
  event?: string;
  verdict?: string;
  rule?: string;
  /** The refusal code a record's details carry (FERRY_…). */
  code?: string;
  /** Only records with seq greater than this (for following the log). */
  afterSeq?: number;
  /** Only records with seq less than this (paging newest first). */
  beforeSeq?: number;
  /** Only records whose details carry a finding of this kind (decided and inspected records). */
  findingKind?: string;
  /** Leaves out the administrators' own records (admin-action, policy-loaded, any ferry://admin/ principal): only the auditor reads those. */
  withoutAdmin?: boolean;
  limit?: number;
  /** Newest first. */
  descending?: boolean;
}

/** What a log file says of itself. */
export interface AuditLogMeta {
  /** the checkpoint origin (null in a log that never wrote one) */
  origin: string | null;
  /** which segment of the gateway's log this file is (1 for a log never sealed) */
  segment: number;
  /** set when the file was sealed: the checkpoint over all its records */
  sealed: { size: number; root: string; time: string } | null;
}

/** A record as stored: the hashed fields, details as their canonical text, and its chain hashes (hex). */
export interface StoredAuditRecord {
  seq: number; time: string; transferId: string | null; event: string; principal: string | null;
  source: string | null; destination: string | null; size: number | null; sha256: string | null;
  verdict: string | null; rule: string | null; policyHash: string | null; details: string | null;
  prevHash: string; hash: string;
}

/**
 * The fields of a record as stored, unchecked, in this order: verification
 * checks their types itself (a text field holding a number is a finding).
 */
export const RECORD_FIELDS = [
  'seq', 'time', 'transferId', 'event', 'principal', 'source', 'destination', 'size', 'sha256',
  'verdict', 'rule', 'policyHash', 'details', 'prevHash', 'hash',
] as const;
export type RecordValues = readonly unknown[];

export interface StoredCheckpoint {
  size: number;
  time: string;
  /** base64 root */
  root: string;
  /** the signed note, verbatim */
  note: string;
  /** the right frontier of the tree at this size */
  frontier: Buffer;
}

/** A complete, aligned Merkle subtree of 2^level leaves (level >= 8), idx-th of its level. */
export interface StoredTreeNode {
  level: number;
  idx: number;
  hash: Buffer;
}

/** A decided record, or an accepted one (schema 3: two decisions in one record), as the policy replay reads it. */
export interface DecidedRecord {
  seq: number; time: string; transferId: string | null; event: 'decided' | 'accepted';
  verdict: string | null; rule: string | null; details: string | null;
}

/** Records per page unless asked otherwise: large enough that the await per page is noise, small enough to stay a few hundred KiB. */
export const RECORD_PAGE = 1024;

export interface AuditStorage {
  /** Where the log lies (a path for files), as the user named it. */
  readonly location: string;
  meta(): Promise<AuditLogMeta>;
  /** The highest seq (0 when empty). */
  maxSeq(): Promise<number>;
  /** The first and last record times (null when empty). */
  timeSpan(): Promise<{ first: string; last: string } | null>;
  /** The first seq whose time is at or after `iso` (a stored-form time), or null when none. */
  firstSeqAt(iso: string): Promise<number | null>;

  /** Records a filter picks, in seq order (newest first with `descending`), a page at a time; `filter.limit` bounds the whole walk. */
  recordPages(filter?: RecordFilter, pageSize?: number): AsyncIterable<StoredAuditRecord[]>;
  /** The same records one by one (one await each: for short reads; long ones take pages). */
  records(filter?: RecordFilter): AsyncIterable<StoredAuditRecord>;
  /** Every stored field of records from..to (inclusive), in seq order, as stored (RECORD_FIELDS order), a page at a time. */
  recordValues(from: number, to: number, pageSize?: number): AsyncIterable<RecordValues[]>;
  /** The stored hashes (hex) of the records after `after` up to `to` inclusive, in seq order. */
  recordHashes(after: number, to: number): Promise<string[]>;

  treeNode(level: number, idx: number): Promise<Buffer | null>;
  /** Every stored tree node, in the order the tree completes them (by the last leaf covered, then level), a page at a time. */
  treeNodes(): AsyncIterable<StoredTreeNode[]>;

  latestCheckpoint(): Promise<StoredCheckpoint | null>;
  checkpointAt(size: number): Promise<StoredCheckpoint | null>;
  /** Every checkpoint, by size, a page at a time. */
  checkpoints(): AsyncIterable<StoredCheckpoint[]>;
  /** The sizes of the latest `n` checkpoints, largest first. */
  checkpointSizes(n: number): Promise<number[]>;

  // What the console's pages and the policy replay ask, each one question.
  /** Records per event from `fromSeq` on. */
  eventCounts(fromSeq: number): Promise<Record<string, number>>;
  /** Decisions and refusals per hour ('YYYY-MM-DDTHH') from `fromSeq` on, by hour. */
  decisionsByHour(fromSeq: number): Promise<Array<{ hour: string; decided: number; denied: number }>>;
  /** Refusals ('denied' records) per rule from `fromSeq` on, most first, at most `limit`. */
  refusalsByRule(fromSeq: number, limit: number): Promise<Array<{ rule: string; n: number }>>;
  /** Findings of the decisions that denied, per kind, from `fromSeq` on, most first, at most `limit`. */
  denyingFindings(fromSeq: number, limit: number): Promise<Array<{ kind: string; n: number }>>;
  /** Decisions per rule from `fromSeq` on. */
  decisionsByRule(fromSeq: number): Promise<Array<{ rule: string; n: number }>>;
  /** Shadow rules that matched in decisions from `fromSeq` on, per rule and effect. */
  shadowMatches(fromSeq: number): Promise<Array<{ rule: string; effect: string; n: number }>>;
  /** The administrators' actions and the policy loads, seq below `beforeSeq`, newest first, at most `limit`. */
  adminActions(beforeSeq: number, limit: number): Promise<StoredAuditRecord[]>;
  /**
   * The decided and accepted records to replay, in seq order, a page at a
   * time: those at or after `since` (stored-form time, compared as stored),
   * and with `last` only the most recent `last` of them (records, an accepted
   * one holding two decisions); `windowed` says there were more.
   */
  decisionsToReplay(opts: { since?: string; last?: number }): Promise<{ windowed: boolean; pages: AsyncIterable<DecidedRecord[]> }>;

  /** Runs `fn` on one read snapshot: what a live writer adds meanwhile is not seen. */
  snapshot<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
