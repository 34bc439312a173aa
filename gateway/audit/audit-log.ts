// The gateway's audit log: an append-only, hash-chained SQLite table with
// group commit, and signed checkpoints over an RFC 9162 Merkle tree. The
// chain (seq, time, hash) and the tree are worked out here, in the order the
// appends were asked; the records' transaction and its fsync run on a writer
// thread of its own (sqlite/audit-writes.ts), so the event loop keeps serving
// sockets meanwhile. An append resolves once that thread says it is durable.
import Database from 'better-sqlite3';
import { GroupCommit } from '../durability/group-commit.js';
import { WriterThread } from '../durability/writer-thread.js';
import { FOREIGN_APPEND, type AppendOp, type RecordValuesRow } from './sqlite/audit-writes.js';
import type { KeyObject } from 'node:crypto';
import { FerryError } from '../../protocol/errors.js';
import { AuditError } from './audit-error.js';
import { canonicalRecord, recordHash, ZERO_HASH } from './canonical.js';
import type { Checkpoint } from './checkpoint.js';
import { CheckpointWriter, type AuditLogger } from './checkpoint-writer.js';
import { prepareEntry, type PreparedEntry } from './entry.js';
import type { AuditEntry } from '../../protocol/audit-events.js';
import type { AcceptedSummary, AppendedRecord, AuditReader, AuditWriter, StoredRecord } from './audit-sink.js';
import type { NoteSigner } from './signed-note.js';
import { leafHash, MerkleFrontier, type TreeNode } from './merkle.js';
import { createSchema } from './schema.js';
import { NODE_LEVEL } from './tree-store.js';
import { placeSealed, SEGMENT_STARTED, type SealedSegment } from './segments.js';
import { FIRST_AT } from './sqlite/record-query.js';
import { normaliseTime } from './record-time.js';

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
  /** How long appendSoon's records wait for another commit before taking their own (default SOON_MS). */
  soonMs?: number;
}

/** Records per transaction at most (a group commit takes what is queued, up to this). */
const MAX_BATCH = 2000;
/**
 * How long records of appendSoon wait for another commit to ride with before they take one of their own.
 * A gateway killed meanwhile loses them (docs/audit-log.md, "Content handed out": what that means).
 */
export const SOON_MS = 200;

/** Test hook: the writer thread ends on receiving the batch with the Nth 'received' record (test/queue-writer.test.ts). */
const DIES_AT = Number(process.env.FERRY_TEST_AUDIT_WRITER_DIES_AT ?? 0);

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
/**
 * Transfers accepted from a seq on (the first at a time, FIRST_AT: record times never go backwards), through the
 * (event, seq) index: what rate counters need of each, without walking every `accepted` record the log holds.
 */
export const ACCEPTED_SINCE_SQL = "SELECT time, principal, source, destination, size FROM records WHERE event = 'accepted' AND seq >= ? ORDER BY seq";

export class AuditLog implements AuditWriter, AuditReader {
  readonly path: string;
  #opts: AuditLogOptions;
  #db!: Database.Database;
  #thread!: WriterThread<AppendOp>;
  /** A batch is on the writer thread: the next waits until its answer has moved the head. */
  #sending = false;
  #seq!: number;
  #prevHash!: Buffer;
  #frontier!: MerkleFrontier;
  /** Appends asked for in one turn (and while the previous batch was on the thread) share one commit, at most MAX_BATCH records each. */
  readonly #group: GroupCommit<Pending> = new GroupCommit<Pending>({
    commit: (batch) => this.#send(batch),
    weight: (p) => p.entries.length,
    maxWeight: MAX_BATCH,
    // One batch on the thread at a time; the seal schedules a flush when the next segment is open.
    paused: () => this.#sealing || this.#sending,
  });
  #afterFlush: (() => void)[] = [];
  /** Records of appendSoon not yet durable, and the timer that commits them when nothing else does. */
  readonly #riding = new Set<Promise<unknown>>();
  #soon: NodeJS.Timeout | null = null;
  /** Set by the timer or commitSoon(): what rides is committed even with nothing urgent; cleared once nothing waits. */
  #flushAll = false;
  /** The seal waits here for a batch on the thread to be answered. */
  #afterSend: (() => void)[] = [];
  #closed = false;
  /** While a seal is under way, appends wait in the queue for the next segment. */
  #sealing = false;
  #lastMs = NaN;
  #lastIso = '';
  #sealRun: Promise<void> = Promise.resolve();
  #commits = 0;
  #checkpoints!: CheckpointWriter;
  #every: number;
  #timer: NodeJS.Timeout;
  #now: () => Date;
  #lastTime = '';
  /** Why the last commit failed, until one succeeds. */
  #failure: string | null = null;
  /** Set for good once another writer appended to the file: the chain head here is no longer the file's. */
  #foreign: string | null = null;

  constructor(path: string, opts: AuditLogOptions) {
    this.path = path;
    this.#opts = opts;
    this.#open();
    this.#thread = this.#startThread();
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

  /** The thread that commits records to this.path; this connection keeps reads, checkpoints and the seal. */
  #startThread(): WriterThread<AppendOp> {
    return new WriterThread<AppendOp>({ module: new URL('./sqlite/audit-writer-thread.js', import.meta.url), workerData: { path: this.path, diesAt: DIES_AT }, name: 'the audit writer thread' });
  }

  /** Why appends are refused for good (another writer, or the writer thread is gone), or null. */
  #refusal(): string | null {
    if (this.#foreign) return this.#foreign;
    const dead = this.#thread.failure;
    return dead ? `The audit log cannot be written: ${dead}; the gateway takes no transfers until it is restarted.` : null;
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
    return this.#enqueue(entries, false);
  }

  appendSoon(entries: AuditEntry[]): Promise<AppendedRecord[]> {
    const p = this.#enqueue(entries, true);
    const tracked: Promise<unknown> = p.catch(() => undefined).finally(() => this.#riding.delete(tracked));
    this.#riding.add(tracked);
    this.#soon ??= setTimeout(() => {
      this.#soon = null;
      this.#commitRiding();
    }, this.#opts.soonMs ?? SOON_MS);
    return p;
  }

  /** Checks and encodes the entries now; they commit with the next batch (asking for one unless `soon`). */
  #enqueue(entries: AuditEntry[], soon: boolean): Promise<AppendedRecord[]> {
    if (this.#closed) return Promise.reject(new AuditError('AUDIT_CLOSED'));
    const refused = this.#refusal();
    if (refused) return Promise.reject(new FerryError('FERRY_STORAGE_UNAVAILABLE', refused));
    let prepared: PreparedEntry[];
    try {
      prepared = entries.map(prepareEntry);
    } catch (err) {
      return Promise.reject(err);
    }
    if (prepared.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const p: Pending = { entries: prepared, resolve, reject };
      if (soon) this.#group.defer(p);
      else this.#group.push(p);
    });
  }

  commitSoon(): Promise<void> {
    if (this.#riding.size === 0) return Promise.resolve();
    const waiting = [...this.#riding];
    this.#commitRiding();
    return Promise.all(waiting).then(() => undefined);
  }

  #commitRiding(): void {
    if (this.#group.size === 0) return;
    // Remembered: while a batch is on the thread nothing is sent, and #next sends these after it.
    this.#flushAll = true;
    this.#group.schedule();
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
    const refused = this.#refusal();
    if (refused) return Promise.reject(new FerryError('FERRY_STORAGE_UNAVAILABLE', refused));
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

  /**
   * Gives the batch its seqs, times and chain hashes (on copies of the head,
   * so that a failed batch leaves it unchanged) and sends it to the writer
   * thread; the head moves, and the appends resolve, on the thread's answer.
   */
  #send(batch: Pending[]): void {
    const refused = this.#refusal();
    if (refused) {
      const e = new FerryError('FERRY_STORAGE_UNAVAILABLE', refused);
      for (const p of batch) p.reject(e);
      this.#next();
      return;
    }
    let seq = this.#seq;
    let prevHash = this.#prevHash;
    const frontier = this.#frontier.clone();
    const results: AppendedRecord[][] = [];
    const rows: RecordValuesRow[] = [];
    const nodes: TreeNode[] = [];
    let prevHex = prevHash.toString('hex');
    for (const p of batch) {
      const out: AppendedRecord[] = [];
      for (const e of p.entries) {
        seq += 1;
        // Each record the time it was appended at. Times never go backwards, even if the system clock steps
        // back: queries turn time ranges into seq ranges, and readers expect order. The ISO text is made
        // again only when the millisecond changed (it was a tenth of the chain's cost).
        const ms = this.#now().getTime();
        if (ms !== this.#lastMs) {
          this.#lastMs = ms;
          this.#lastIso = new Date(ms).toISOString();
        }
        let time = this.#lastIso;
        if (time < this.#lastTime) time = this.#lastTime;
        this.#lastTime = time;
        // Spelt out, not spread ({ ...e, seq, time }): the spread was most of the chain's time on the event loop.
        const canonical = canonicalRecord({
          seq, time, transferId: e.transferId, event: e.event, principal: e.principal, source: e.source, destination: e.destination,
          size: e.size, sha256: e.sha256, verdict: e.verdict, rule: e.rule, policyHash: e.policyHash, details: e.details,
        });
        const h = recordHash(prevHash, canonical);
        const hex = h.toString('hex');
        rows.push([seq, time, e.transferId, e.event, e.principal, e.source, e.destination, e.size, e.sha256, e.verdict, e.rule, e.policyHash, e.details, prevHex, hex]);
        frontier.push(leafHash(h), nodes);
        prevHash = h;
        prevHex = hex;
        out.push({ seq, time, hash: hex });
      }
      results.push(out);
    }
    const op: AppendOp = { expect: { seq: this.#seq, hash: this.#prevHash.toString('hex') }, rows, nodes: nodes.map((n) => [n.level, n.idx, n.hash]) };
    this.#sending = true;
    this.#thread.send([op]).then(([r]) => {
      if (!r?.ok) {
        if (r?.error.name === FOREIGN_APPEND) {
          this.#foreign = `The audit log ${this.path} was appended to by another process (it ends at record ${r.error.code}, this gateway wrote up to ${this.#seq}); the gateway takes no transfers until it is restarted and the log is checked with 'ferry log verify'.`;
        } else {
          this.#failure = `the audit log ${this.path} cannot be written: ${r?.error.message ?? 'the writer thread gave no answer'}`;
        }
        const e = new FerryError('FERRY_STORAGE_UNAVAILABLE', this.#foreign ?? `The audit log could not be written: ${r?.error.message ?? 'no answer'}`);
        for (const p of batch) p.reject(e);
        return;
      }
      this.#committed(batch, results, { seq, prevHash, frontier });
    }, () => {
      // The thread died: the batch may or may not be on disk. Its callers are
      // told it failed (and answer nobody 202); a restart recovers the chain from the file.
      const e = new FerryError('FERRY_STORAGE_UNAVAILABLE', this.#refusal() ?? 'The audit log could not be written.');
      for (const p of batch) p.reject(e);
    }).finally(() => {
      this.#sending = false;
      for (const w of this.#afterSend.splice(0)) w();
      this.#next();
    });
  }

  /** The thread committed the batch: the head moves, a key handed over takes effect, the appends resolve, a checkpoint is written when due. */
  #committed(batch: Pending[], results: AppendedRecord[][], head: { seq: number; prevHash: Buffer; frontier: MerkleFrontier }): void {
    this.#failure = null;
    this.#seq = head.seq;
    this.#prevHash = head.prevHash;
    this.#frontier = head.frontier;
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
        // On this connection, between batches: the thread holds no write lock now.
        this.#checkpoints.write(this.#frontier);
      } catch {
        // A checkpoint that cannot be written is retried at the next one; the
        // writer has logged why. Appends are not refused for it.
      }
    }
  }

  /** Sends what waits, or runs what waited for every append to commit. */
  #next(): void {
    if (this.#group.size === 0) this.#flushAll = false;
    // Records of appendSoon alone ask for no commit: they wait for the next one, or for their timer.
    if (this.#group.urgent > 0 || ((this.#flushAll || this.#closed || this.#sealing) && this.#group.size > 0)) {
      this.#group.schedule();
      return;
    }
    if (this.#group.size > 0) return;
    if (!this.#group.idle || this.#sending) return;
    const after = this.#afterFlush;
    this.#afterFlush = [];
    for (const f of after) f();
  }

  /** Resolves once nothing waits and no batch is on the thread. */
  #settled(): Promise<void> {
    if (this.#group.idle && !this.#sending) return Promise.resolve();
    return new Promise((resolve) => this.#afterFlush.push(resolve));
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
      if (this.#group.idle && !this.#sending) run();
      else this.#afterFlush.push(run);
    });
  }

  /** Why the log cannot be written now, or null. */
  get failure(): string | null {
    return this.#refusal() ?? this.#failure;
  }

  /** True once another process appended to the file or the writer thread died: this writer stopped for good. */
  get stopped(): boolean {
    return this.#refusal() !== null;
  }

  /** When the last checkpoint was signed (ms since epoch), or null before the first. */
  get lastCheckpointAt(): number | null {
    const t = this.#checkpoints.last?.time;
    return t ? Date.parse(t) : null;
  }

  transferRecords(transferId: string): StoredRecord[] {
    return this.#db.prepare(TRANSFER_RECORDS_SQL).all(transferId) as StoredRecord[];
  }

  acceptedSince(sinceIso: string): Iterable<AcceptedSummary> {
    const from = this.#db.prepare<[string], number>(FIRST_AT).pluck().get(normaliseTime(sinceIso));
    return from === undefined ? [] : this.#db.prepare<[number], AcceptedSummary>(ACCEPTED_SINCE_SQL).iterate(from);
  }

  keyHandOns(limit: number): Array<{ details: string | null }> {
    return this.#db.prepare<[number], { details: string | null }>("SELECT details FROM records WHERE event = 'key-rotated' ORDER BY seq DESC LIMIT ?").all(limit);
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
  seal(segmentsDir: string): Promise<SealedSegment> {
    const run = this.#seal(segmentsDir);
    // close() waits for it: a seal under way would otherwise start the next segment's thread after close.
    const earlier = this.#sealRun;
    this.#sealRun = run.then(() => earlier, () => earlier);
    return run;
  }

  async #seal(segmentsDir: string): Promise<SealedSegment> {
    if (this.#closed) throw new AuditError('AUDIT_CLOSED');
    const refused = this.#refusal();
    if (refused) throw new FerryError('FERRY_STORAGE_UNAVAILABLE', refused);
    if (this.#sealing) throw new AuditError('AUDIT_BUSY');
    await this.checkpoint();
    this.#sealing = true;
    let reopen = false;
    let restart = false;
    try {
      // A batch sent meanwhile commits first; those asked from now on wait for the next segment.
      while (this.#sending) await new Promise<void>((r) => this.#afterSend.push(r));
      await this.#checkpoints.drain();
      // The thread may have died meanwhile, with a batch that may or may not be in the file: no seal (and
      // no new thread) over a head this log can no longer know; a restart recovers it from the file.
      const gone = this.#refusal();
      if (gone) throw new FerryError('FERRY_STORAGE_UNAVAILABLE', gone);
      const cp = this.#checkpoints.write(this.#frontier);
      const segment = this.segment;
      const sealed: SealedSegment = { segment, size: cp.size, root: cp.root.toString('base64'), time: this.#lastTime, checkpoint: cp.note, file: '' };
      this.#db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('sealed', ?)").run(JSON.stringify({ size: sealed.size, root: sealed.root, time: sealed.time }));
      // Leaving WAL takes the only connection: the writer thread lets go of the file, and a new one takes up the next.
      await this.#thread.close();
      restart = true;
      // One self-contained file (no -wal, no -shm beside it): to move, copy or hand over as it is.
      this.#db.pragma('journal_mode = DELETE');
      this.#db.close();
      reopen = true;
      sealed.file = placeSealed(this.path, segmentsDir, segment);
      this.#open();
      reopen = false;
      this.#db.prepare("UPDATE meta SET value = ? WHERE key = 'segment'").run(String(segment + 1));
      this.#thread = this.#startThread();
      restart = false;
      const first = prepareEntry({
        event: SEGMENT_STARTED, principal: null,
        details: { segment: segment + 1, previous: { segment, size: sealed.size, root: sealed.root, time: sealed.time, checkpoint: sealed.checkpoint } },
      });
      // Ahead of every append that waited: the new segment's first record.
      await new Promise((resolve, reject) => this.#send([{ entries: [first], resolve, reject }]));
      return sealed;
    } catch (err) {
      if (reopen) {
        // Not moved: the same file goes on, unsealed.
        this.#open();
        this.#db.prepare("DELETE FROM meta WHERE key = 'sealed'").run();
      }
      if (restart) this.#thread = this.#startThread();
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
    if (this.#soon) clearTimeout(this.#soon);
    this.#soon = null;
    await this.#sealRun;
    this.#commitRiding();
    await this.#settled();
    try {
      if (!this.#foreign && this.#frontier.size !== this.#checkpoints.lastSize) this.#checkpoints.write(this.#frontier);
    } finally {
      await this.#checkpoints.drain();
      await this.#thread.close();
      this.#db.close();
    }
  }
}

export function openAuditLog(path: string, opts: AuditLogOptions): AuditLog {
  return new AuditLog(path, opts);
}
