// A row of the records table, as SQLite hands it back: to the read port
// (sqlite-audit-storage.ts) and to the writer's own reads (audit-sink.ts).
export interface RecordRow {
  seq: number; time: string; transfer_id: string | null; event: string; principal: string | null;
  source: string | null; destination: string | null; size: number | null; sha256: string | null;
  verdict: string | null; rule: string | null; policy_hash: string | null; details: string | null;
  prev_hash: string; hash: string;
}
