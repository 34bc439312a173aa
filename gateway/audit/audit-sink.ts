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
