import Database from 'better-sqlite3';
import type { BatchWriter } from '../../durability/serve-writes.js';
import type { WriteResult } from '../../durability/writer-thread.js';

// Every write of records to audit.db, on the connection that owns it: the
// audit writer's thread (audit-writer-thread.ts). The main thread (AuditLog)
// has already given each record its seq, time and chain hash and found the
// Merkle subtrees it completes; here they are inserted in one transaction,
// after checking that the file still ends where that chain starts.

/** One record as stored, in the table's column order (hashes as hex). */
export type RecordValuesRow = [
  seq: number, time: string, transferId: string | null, event: string, principal: string | null, source: string | null,
  destination: string | null, size: number | null, sha256: string | null, verdict: string | null, rule: string | null,
  policyHash: string | null, details: string | null, prevHash: string, hash: string,
];

/** Records to append after the head the main thread knows (seq 0: an empty file), and the tree nodes they complete. */
export interface AppendOp {
  expect: { seq: number; hash: string };
  rows: RecordValuesRow[];
  nodes: Array<[level: number, idx: number, hash: Uint8Array]>;
}

/** Another writer appended to the file: the chain the main thread holds no longer ends it. */
export const FOREIGN_APPEND = 'ForeignAppend';

class ForeignAppend extends Error {
  override readonly name = FOREIGN_APPEND;
  constructor(readonly found: number) {
    super(`the audit log ends at record ${found}`);
  }
}

export class AuditWrites implements BatchWriter<AppendOp> {
  readonly #db: Database.Database;
  readonly #insertRecord: Database.Statement;
  readonly #insertNode: Database.Statement;
  readonly #head: Database.Statement;

  constructor(path: string) {
    const db = new Database(path);
    this.#db = db;
    db.pragma('journal_mode = WAL');
    // FULL: the WAL is fsynced at every commit, so an answered append survives power loss.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    this.#insertRecord = db.prepare(
      'INSERT INTO records (seq, time, transfer_id, event, principal, source, destination, size, sha256, verdict, rule, policy_hash, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#insertNode = db.prepare('INSERT OR IGNORE INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)');
    this.#head = db.prepare('SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1');
  }

  /** The batch in one transaction, all or nothing: a chain cannot keep some of its links. */
  commit(ops: AppendOp[]): WriteResult[] {
    try {
      this.#db.transaction(() => {
        for (const o of ops) this.#append(o);
      })();
      return ops.map(() => ({ ok: true as const, value: null }));
    } catch (err) {
      const e = err as Error & { code?: string };
      const code = e instanceof ForeignAppend ? String(e.found) : e.code;
      return ops.map(() => ({ ok: false as const, error: { name: e.name, message: e.message, code } }));
    }
  }

  #append(o: AppendOp): void {
    // This writer must be the file's only one (the data directory lock sees to
    // that); if the head moved under it, say so instead of failing every later
    // write on a seq collision.
    const head = this.#head.get() as { seq: number; hash: string } | undefined;
    if ((head?.seq ?? 0) !== o.expect.seq || (head !== undefined && head.hash !== o.expect.hash)) throw new ForeignAppend(head?.seq ?? 0);
    for (const r of o.rows) this.#insertRecord.run(...r);
    for (const [level, idx, h] of o.nodes) this.#insertNode.run(level, idx, Buffer.from(h.buffer, h.byteOffset, h.byteLength));
  }

  close(): void {
    this.#db.close();
  }
}
