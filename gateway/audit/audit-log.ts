// The gateway's audit log: an append-only, hash-chained SQLite table with
// group commit, and signed checkpoints over an RFC 9162 Merkle tree.
import Database from 'better-sqlite3';
import { GroupCommit } from '../durability/group-commit.js';
import type { KeyObject } from 'node:crypto';
import { FerryError } from '../../protocol/errors.js';
import { AuditError } from './audit-error.js';
import { canonicalRecord, recordHash, ZERO_HASH } from './canonical.js';
import type { Checkpoint } from './checkpoint.js';
import { CheckpointWriter, type AuditLogger } from './checkpoint-writer.js';
import { prepareEntry, type PreparedEntry } from './entry.js';
import type { AuditEntry } from '../../protocol/audit-events.js';
import type { AppendedRecord, AuditReader, AuditSink, StoredRecord } from './audit-sink.js';
import type { NoteSigner } from './signed-note.js';
import { leafHash, MerkleFrontier, type TreeNode } from './merkle.js';
import { createSchema } from './schema.js';
import { NODE_LEVEL } from './tree-store.js';
import { placeSealed, SEGMENT_STARTED, type SealedSegment } from './segments.js';

export interface AuditLogOptions {
  /** Checkpoint origin line, e.g. 'ferry.gateway/gw1'. */
  origin: string;
  /** The gateway's Ed25519 key; without it checkpoints are stored unsigned. */
  signer?: { keyName: string; privateKey: KeyObject };
  /** Write a checkpoint after this many records (default 1000). */
  checkpointEvery?: number;
  /** ...or after this long with new records (default 10 s). */
  checkpointIntervalMs?: number;
  /** POST each new checkpoint and its consistency proof here (C2SP tlog-witness body). */
  witnessUrl?: string;
  /** Overwrite this file with each new checkpoint (atomically, by rename). */
  exportCheckpointsTo?: string;
  /** Operational logger (pino-compatible); witness and export failures go here. */
  logger?: AuditLogger;
  /** Clock for record times (default: the system clock); for simulations and tests. */
  now?: () => Date;
}

/** Records per transaction at most (a group commit takes what is queued, up to this). */
const MAX_BATCH = 2000;

interface Pending {
  entries: PreparedEntry[];
  resolve: (r: AppendedRecord[]) => void;
  reject: (e: unknown) => void;
  /** A key rotation: checkpoint signing passes to this key in the commit that holds the record. */
  handover?: { signer: NoteSigner; then: () => void };
}

export interface DeniedFilter { sinceIso?: string; untilIso?: string; beforeId?: string; limit: number }

/** A sender's refused transfers, newest first (GET /v1/transfers): read through records_denied, not every record of the sender. */
export function deniedOfSql(principal: string, f: DeniedFilter): { sql: string; args: unknown[] } {
  const where = ['principal = ?', "event = 'denied'", 'transfer_id IS NOT NULL'];
  const args: unknown[] = [principal];
  if (f.sinceIso) { where.push('time >= ?'); args.push(f.sinceIso); }
  if (f.untilIso) { where.push('time < ?'); args.push(f.untilIso); }
  if (f.beforeId !== undefined) { where.push('transfer_id < ?'); args.push(f.beforeId); }
  return { sql: `SELECT * FROM records INDEXED BY records_denied WHERE ${where.join(' AND ')} ORDER BY transfer_id DESC LIMIT ?`, args: [...args, f.limit] };
}

/** One transfer's records, in order (status, trace). */
export const TRANSFER_RECORDS_SQL = 'SELECT * FROM records WHERE transfer_id = ? ORDER BY seq';

export class AuditLog implements AuditSink, AuditReader {
  readonly path: string;
  #opts: AuditLogOptions;
  #db!: Database.Database;
  #insertRecord!: Database.Statement;
  #insertNode!: Database.Statement;
  #seq!: number;
  #prevHash!: Buffer;
  #frontier!: MerkleFrontier;
  /** Appends asked for in one turn (and during the previous fsync, which blocked it) share one commit, at most MAX_BATCH records each. */
  readonly #group: GroupCommit<Pending> = new GroupCommit<Pending>({
    commit: (batch) => this.#commit(batch),
    weight: (p) => p.entries.length,
    maxWeight: MAX_BATCH,
    // The seal schedules a flush when the next segment is open.
    paused: () => this.#sealing,
    drained: () => {
      const after = this.#afterFlush;
      this.#afterFlush = [];
      for (const f of after) f();
    },
  });
  #afterFlush: (() => void)[] = [];
  #closed = false;
  /** While a seal is under way, appends wait in the queue for the next segment. */
  #sealing = false;
  #commits = 0;
  #checkpoints!: CheckpointWriter;
  #every: number;
  #timer: NodeJS.Timeout;
  #now: () => Date;
  #lastTime = '';
  #head!: Database.Statement;
  /** Why the last commit failed, until one succeeds. */
  #failure: string | null = null;
  /** Set for good once another writer appended to the file: the chain head here is no longer the file's. */
  #foreign: string | null = null;

  constructor(path: string, opts: AuditLogOptions) {
    this.path = path;
    this.#opts = opts;
    this.#open();
    this.#every = Math.max(1, opts.checkpointEvery ?? 1000);
    this.#now = opts.now ?? (() => new Date());
    this.#timer = setInterval(() => {
      if (!this.#closed && !this.#foreign && this.#frontier.size > Math.max(0, this.#checkpoints.lastSize)) void this.checkpoint().catch(() => {});
    }, opts.checkpointIntervalMs ?? 10_000);
    this.#timer.unref();
  }

  /** Opens (or creates) the database at this.path and takes up its chain head. */
  #open(): void {
    const opts = this.#opts;
    const db = new Database(this.path);
    this.#db = db;
    try {
      db.pragma('journal_mode = WAL');
      // FULL: the WAL is fsynced at every commit, so an answered append survives power loss.
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      createSchema(db);
      const origin = db.prepare<[], string>("SELECT value FROM meta WHERE key = 'origin'").pluck().get();
      if (origin === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('origin', ?)").run(opts.origin);
      else if (origin !== opts.origin) throw new AuditError('AUDIT_ORIGIN_MISMATCH', `It was written as ${JSON.stringify(origin)}, not ${JSON.stringify(opts.origin)}.`);

      this.#insertRecord = db.prepare(
        'INSERT INTO records (seq, time, transfer_id, event, principal, source, destination, size, sha256, verdict, rule, policy_hash, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      this.#head = db.prepare('SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1');
      this.#insertNode = db.prepare('INSERT OR IGNORE INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)');
      this.#checkpoints = new CheckpointWriter(db, opts);
      const state = this.#recover();
      this.#seq = state.seq;
      this.#prevHash = state.prevHash;
      this.#frontier = state.frontier;
      this.#lastTime = db.prepare<[], string>('SELECT time FROM records ORDER BY seq DESC LIMIT 1').pluck().get() ?? this.#lastTime;
      db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('segment', '1')").run();
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Rebuild the chain head and Merkle frontier from the last checkpoint and the records after it. */
  #recover(): { seq: number; prevHash: Buffer; frontier: MerkleFrontier } {
    const last = this.#checkpoints.loadLast();
    const frontier = last ? last.frontier : new MerkleFrontier(0, [], NODE_LEVEL);
    let seq = frontier.size;
    let prevHash: Buffer = ZERO_HASH;
    if (seq > 0) {
      const h = this.#db.prepare<[number], string>('SELECT hash FROM records WHERE seq = ?').pluck().get(seq);
      if (h === undefined) throw new AuditError('AUDIT_TAMPERED', `Record ${seq}, covered by the last checkpoint, is missing.`);
      prevHash = Buffer.from(h, 'hex');
    }
    const rows = this.#db.prepare('SELECT * FROM records WHERE seq > ? ORDER BY seq').iterate(seq) as IterableIterator<Record<string, unknown>>;
    for (const r of rows) {
      const expected = seq + 1;
      if (r.seq !== expected) throw new AuditError('AUDIT_TAMPERED', `Record ${expected} is missing.`);
      const canonical = canonicalRecord({
        seq: expected, time: r.time as string, transferId: r.transfer_id as string | null, event: r.event as string,
        principal: r.principal as string | null, source: r.source as string | null, destination: r.destination as string | null,
        size: r.size as number | null, sha256: r.sha256 as string | null, verdict: r.verdict as string | null, rule: r.rule as string | null,
        policyHash: r.policy_hash as string | null, details: r.details as string | null,
      });
      const h = recordHash(prevHash, canonical);
      if (r.prev_hash !== prevHash.toString('hex') || r.hash !== h.toString('hex')) throw new AuditError('AUDIT_TAMPERED', `Record ${expected} does not chain.`);
      frontier.push(leafHash(h));
      prevHash = h;
      seq = expected;
    }
    return { seq, prevHash, frontier };
  }

  append(entry: AuditEntry): Promise<AppendedRecord> {
    return this.appendMany([entry]).then((r) => r[0]!);
  }

  appendMany(entries: AuditEntry[]): Promise<AppendedRecord[]> {
    if (this.#closed) return Promise.reject(new AuditError('AUDIT_CLOSED'));
    if (this.#foreign) return Promise.reject(new FerryError('FERRY_STORAGE_UNAVAILABLE', this.#foreign));
    let prepared: PreparedEntry[];
    try {
      prepared = entries.map(prepareEntry);
    } catch (err) {
      return Promise.reject(err);
    }
    if (prepared.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#group.push({ entries: prepared, resolve, reject });
    });
  }

  /**
   * Appends a key-rotated record (key-rotation.ts) and hands checkpoint signing
   * to `signer` in the very commit that holds it: every checkpoint from that
   * record on is signed by the new key, every one before it by the old key, as
   * `ferry log verify` expects whatever else is appended at the same moment.
   * `then` runs at that moment too (synchronously, before any append of the
   * commit is answered), for the caller to switch what else the key signs.
   */
  handOver(entry: AuditEntry, signer: NoteSigner, then: () => void): Promise<AppendedRecord> {
    if (this.#closed) return Promise.reject(new AuditError('AUDIT_CLOSED'));
    if (this.#foreign) return Promise.reject(new FerryError('FERRY_STORAGE_UNAVAILABLE', this.#foreign));
    let prepared: PreparedEntry;
    try {
      prepared = prepareEntry(entry);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.#group.push({ entries: [prepared], resolve: (r) => resolve(r[0]!), reject, handover: { signer, then } });
    });
  }

  #commit(batch: Pending[]): void {
    // Work on copies so that a failed transaction leaves the head unchanged.
    let seq = this.#seq;
    let prevHash = this.#prevHash;
    const frontier = this.#frontier.clone();
    const results: AppendedRecord[][] = [];
    try {
      this.#db.transaction(() => {
        // This writer must be the file's only one (the data directory lock sees
        // to that); if the head moved under it, say so instead of failing every
        // later write on a seq collision.
        const head = this.#head.get() as { seq: number; hash: string } | undefined;
        if ((head?.seq ?? 0) !== this.#seq || (head !== undefined && head.hash !== this.#prevHash.toString('hex'))) {
          throw new ForeignAppend(head?.seq ?? 0, this.#seq);
        }
        const nodes: TreeNode[] = [];
        for (const p of batch) {
          const out: AppendedRecord[] = [];
          for (const e of p.entries) {
            seq += 1;
            // Times never go backwards, even if the system clock steps back:
            // queries turn time ranges into seq ranges, and readers expect order.
            let time = this.#now().toISOString();
            if (time < this.#lastTime) time = this.#lastTime;
            this.#lastTime = time;
            const canonical = canonicalRecord({ ...e, seq, time });
            const h = recordHash(prevHash, canonical);
            const hex = h.toString('hex');
            this.#insertRecord.run(seq, time, e.transferId, e.event, e.principal, e.source, e.destination, e.size, e.sha256, e.verdict, e.rule, e.policyHash, e.details, prevHash.toString('hex'), hex);
            frontier.push(leafHash(h), nodes);
            prevHash = h;
            out.push({ seq, time, hash: hex });
          }
          results.push(out);
        }
        for (const n of nodes) this.#insertNode.run(n.level, n.idx, n.hash);
      })();
    } catch (err) {
      if (err instanceof ForeignAppend) {
        this.#foreign = `The audit log ${this.path} was appended to by another process (it ends at record ${err.found}, this gateway wrote up to ${err.expected}); the gateway takes no transfers until it is restarted and the log is checked with 'ferry log verify'.`;
      } else {
        this.#failure = `the audit log ${this.path} cannot be written: ${(err as Error).message}`;
      }
      const e = new FerryError('FERRY_STORAGE_UNAVAILABLE', this.#foreign ?? `The audit log could not be written: ${(err as Error).message}`);
      for (const p of batch) p.reject(e);
      return;
    }
    this.#failure = null;
    this.#seq = seq;
    this.#prevHash = prevHash;
    this.#frontier = frontier;
    this.#commits += 1;
    for (const p of batch) {
      if (!p.handover) continue;
      // Kept in the options too: a seal reopens the file with a new checkpoint writer.
      this.#opts = { ...this.#opts, signer: p.handover.signer };
      this.#checkpoints.signer = p.handover.signer;
      try {
        p.handover.then();
      } catch (err) {
        this.#opts.logger?.error({ err: (err as Error).message }, 'audit: switching to the new key after a key rotation failed');
      }
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
    if (this.#frontier.size - Math.max(0, this.#checkpoints.lastSize) >= this.#every) {
      try {
        this.#checkpoints.write(this.#frontier);
      } catch {
        // A checkpoint that cannot be written is retried at the next one; the
        // writer has logged why. Appends are not refused for it.
      }
    }
  }

  /** Force a checkpoint over every record appended so far (after pending appends commit). */
  checkpoint(): Promise<Checkpoint> {
    if (this.#closed) return Promise.reject(new AuditError('AUDIT_CLOSED'));
    return new Promise((resolve, reject) => {
      const run = (): void => {
        try {
          resolve(this.#checkpoints.write(this.#frontier));
        } catch (err) {
          reject(err);
        }
      };
      if (this.#group.idle) run();
      else this.#afterFlush.push(run);
    });
  }

  /** Why the log cannot be written now, or null. */
  get failure(): string | null {
    return this.#foreign ?? this.#failure;
  }

  /** True once another process appended to the file: this writer stopped for good. */
  get stopped(): boolean {
    return this.#foreign !== null;
  }

  /** When the last checkpoint was signed (ms since epoch), or null before the first. */
  get lastCheckpointAt(): number | null {
    const t = this.#checkpoints.last?.time;
    return t ? Date.parse(t) : null;
  }

  transferRecords(transferId: string): StoredRecord[] {
    return this.#db.prepare(TRANSFER_RECORDS_SQL).all(transferId) as StoredRecord[];
  }

  deniedOf(principal: string, f: DeniedFilter): StoredRecord[] {
    const { sql, args } = deniedOfSql(principal, f);
    return this.#db.prepare(sql).all(...args) as StoredRecord[];
  }

  /** Number of records in the log. */
  get size(): number {
    return this.#seq;
  }

  /** For metrics: records, commits (group-commit transactions since open) and the last checkpoint's size. */
  get stats(): { records: number; commits: number; lastCheckpoint: number } {
    return { records: this.#seq, commits: this.#commits, lastCheckpoint: this.#checkpoints.lastSize };
  }

  /** This file's segment number (1 for a log never sealed). */
  get segment(): number {
    return Number(this.#db.prepare("SELECT value FROM meta WHERE key = 'segment'").pluck().get());
  }

  /** Time of this segment's first record, or null while it has none. */
  get segmentStartedAt(): number | null {
    const t = this.#db.prepare<[], string>('SELECT time FROM records WHERE seq = 1').pluck().get();
    return t ? Date.parse(t) : null;
  }

  /**
   * Seal this file at a checkpoint over all its records, move it into
   * `segmentsDir` as segment N, and continue at this.path in a new file whose
   * first record (segment-started) commits to that checkpoint: its size, root
   * and signed note. Appends made meanwhile wait and go to the new segment.
   */
  async seal(segmentsDir: string): Promise<SealedSegment> {
    if (this.#closed) throw new AuditError('AUDIT_CLOSED');
    if (this.#foreign) throw new FerryError('FERRY_STORAGE_UNAVAILABLE', this.#foreign);
    if (this.#sealing) throw new AuditError('AUDIT_BUSY');
    await this.checkpoint();
    this.#sealing = true;
    let reopen = false;
    try {
      await this.#checkpoints.drain();
      const cp = this.#checkpoints.write(this.#frontier);
      const segment = this.segment;
      const sealed: SealedSegment = { segment, size: cp.size, root: cp.root.toString('base64'), time: this.#lastTime, checkpoint: cp.note, file: '' };
      this.#db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('sealed', ?)").run(JSON.stringify({ size: sealed.size, root: sealed.root, time: sealed.time }));
      // One self-contained file (no -wal, no -shm beside it): to move, copy or hand over as it is.
      this.#db.pragma('journal_mode = DELETE');
      this.#db.close();
      reopen = true;
      sealed.file = placeSealed(this.path, segmentsDir, segment);
      this.#open();
      reopen = false;
      this.#db.prepare("UPDATE meta SET value = ? WHERE key = 'segment'").run(String(segment + 1));
      const first = prepareEntry({
        event: SEGMENT_STARTED, principal: null,
        details: { segment: segment + 1, previous: { segment, size: sealed.size, root: sealed.root, time: sealed.time, checkpoint: sealed.checkpoint } },
      });
      let failed: unknown = null;
      this.#commit([{ entries: [first], resolve: () => undefined, reject: (e) => { failed = e; } }]);
      if (failed) throw failed;
      return sealed;
    } catch (err) {
      if (reopen) {
        // Not moved: the same file goes on, unsealed.
        this.#open();
        this.#db.prepare("DELETE FROM meta WHERE key = 'sealed'").run();
      }
      throw err;
    } finally {
      this.#sealing = false;
      if (this.#group.size > 0) this.#group.schedule();
    }
  }

  /** Commit what is pending, write a final checkpoint, close the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    // Refuse new appends at once; those already queued still commit.
    this.#closed = true;
    clearInterval(this.#timer);
    if (!this.#group.idle) await new Promise<void>((r) => this.#afterFlush.push(r));
    try {
      if (!this.#foreign && this.#frontier.size !== this.#checkpoints.lastSize) this.#checkpoints.write(this.#frontier);
    } finally {
      await this.#checkpoints.drain();
      this.#db.close();
    }
  }
}

class ForeignAppend extends Error {
  constructor(readonly found: number, readonly expected: number) {
    super(`the audit log ends at record ${found}, not ${expected}`);
  }
}

export function openAuditLog(path: string, opts: AuditLogOptions): AuditLog {
  return new AuditLog(path, opts);
}
