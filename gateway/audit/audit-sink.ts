import type { AuditEntry } from '../../protocol/audit-events.js';
import type { RecordRow } from './read-records.js';

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
  close(): Promise<void>;
}

/** A stored record as the gateway reads it back: the table's row (details still JSON text). */
export type StoredRecord = RecordRow;

/** What the running gateway reads back from its own log: the records of one transfer, and a sender's refused transfers. */
export interface AuditReader {
  transferRecords(transferId: string): StoredRecord[];
  /** 'denied' records of transfers sent by this principal, newest first. */
  deniedOf(principal: string, f: { sinceIso?: string; untilIso?: string; beforeId?: string; limit: number }): StoredRecord[];
}
