import type { AuditEntry } from '../../protocol/audit-events.js';
import type { Checkpoint } from './checkpoint.js';
import type { RecordRow } from './read-records.js';
import type { SealedSegment } from './segments.js';
import type { NoteSigner } from './signed-note.js';

// The audit log as the server's parts write to it; the entry's words are in protocol/.

export interface AppendedRecord {
  seq: number;
  time: string;
  hash: string;
}

/** The audit log as the gateway sees it. append() resolves only once the record is durable. */
export interface AuditSink {
  append(entry: AuditEntry): Promise<AppendedRecord>;
  /** Append several records atomically and durably, in order. */
  appendMany(entries: AuditEntry[]): Promise<AppendedRecord[]>;
  /**
   * Append several records, in order, with the next commit something else asks for, or in one of their
   * own within a moment (SOON_MS) when nothing does: for records that must not cost a commit each
   * (a subscription's sends). Resolves once durable, like appendMany.
   */
  appendSoon(entries: AuditEntry[]): Promise<AppendedRecord[]>;
  /** Commits what appendSoon left waiting now; resolves once those records are durable. */
  commitSoon(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The audit log's write port as the gateway drives it (AuditLog: SQLite, the
 * records committed on a writer thread of its own). Every promise resolves
 * once what it wrote is durable; appends keep the order they were asked in.
 */
export interface AuditWriter extends AuditSink {
  /** Appends a key-rotated record; checkpoints from it on are signed by `signer`; `then` runs in that same moment. */
  handOver(entry: AuditEntry, signer: NoteSigner, then: () => void): Promise<AppendedRecord>;
  /** A checkpoint over every record appended so far. */
  checkpoint(): Promise<Checkpoint>;
  /** Seals the live file into segment N of `segmentsDir` and goes on in a new one. */
  seal(segmentsDir: string): Promise<SealedSegment>;
  /** Why the log cannot be written now, or null. */
  readonly failure: string | null;
  /** True once the log stopped for good (another writer, or its writer thread died): the gateway is not ready. */
  readonly stopped: boolean;
  readonly lastCheckpointAt: number | null;
  /** Time of the live segment's first record, or null while it has none. */
  readonly segmentStartedAt: number | null;
  readonly stats: { records: number; commits: number; lastCheckpoint: number };
}

/** A stored record as the gateway reads it back: the table's row (details still JSON text). */
export type StoredRecord = RecordRow;

/** What the running gateway reads back from its own log: the records of one transfer, and a sender's refused transfers. */
export interface AuditReader {
  transferRecords(transferId: string): StoredRecord[];
  /** 'denied' records of transfers sent by this principal, newest first. */
  deniedOf(principal: string, f: { sinceIso?: string; untilIso?: string; beforeId?: string; limit: number }): StoredRecord[];
  /** Transfers accepted at or after a time (ISO 8601 UTC), in no order: what the rate counters are rebuilt from at a start. */
  acceptedSince(sinceIso: string): Iterable<AcceptedSummary>;
  /** The details of the latest `key-rotated` records, newest first: this gateway's key hand-ons, for its peers. */
  keyHandOns(limit: number): Array<{ details: string | null }>;
}

/** Of an `accepted` record, what a rate or volume limit counts. */
export type AcceptedSummary = Pick<StoredRecord, 'time' | 'principal' | 'source' | 'destination' | 'size'>;
