import type { AuditEntry } from '../../protocol/audit-events.js';

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

/** A stored record as the gateway reads it back (details still JSON text). */
export interface StoredRecord {
  seq: number;
  time: string;
  transfer_id: string | null;
  event: string;
  principal: string | null;
  source: string | null;
  destination: string | null;
  size: number | null;
  sha256: string | null;
  verdict: string | null;
  rule: string | null;
  details: string | null;
}

/** What the running gateway reads back from its own log: the records of one transfer, and a sender's refused transfers. */
export interface AuditReader {
  transferRecords(transferId: string): StoredRecord[];
  /** 'denied' records of transfers sent by this principal, newest first. */
  deniedOf(principal: string, f: { sinceIso?: string; untilIso?: string; beforeId?: string; limit: number }): StoredRecord[];
}
