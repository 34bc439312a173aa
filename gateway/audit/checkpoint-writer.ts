// Writing checkpoints: compute the root, prove it consistent with the last
// signed one before signing (a gateway never signs two views of its history),
// store it, export it to a file and hand it to a witness.
import type Database from 'better-sqlite3';
import { renameSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import { AuditError } from './audit-error.js';
import { formatCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { MerkleFrontier } from './merkle.js';
import { consistencyProof, verifyConsistency } from './merkle-proofs.js';
import { signNote, splitNote, type NoteSigner } from './signed-note.js';
import { NODE_LEVEL } from './tree-store.js';
import { dbSubtreeHash } from './sqlite/tree-nodes.js';
import { postToWitness, witnessBody } from './witness.js';

export interface AuditLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface CheckpointWriterOptions {
  origin: string;
  signer?: NoteSigner;
  witnessUrl?: string;
  exportCheckpointsTo?: string;
  logger?: AuditLogger;
}

interface CheckpointRow {
  size: number;
  time: string;
  root: string;
  note: string;
  frontier: Buffer;
}

export class CheckpointWriter {
  #db: Database.Database;
  #opts: CheckpointWriterOptions;
  #insert: Database.Statement;
  #last: Checkpoint | null = null;
  #inflight = new Set<Promise<void>>();
  #logger: AuditLogger;

  constructor(db: Database.Database, opts: CheckpointWriterOptions) {
    this.#db = db;
    this.#opts = opts;
    this.#insert = db.prepare('INSERT INTO checkpoints (size, time, root, note, frontier) VALUES (?, ?, ?, ?, ?)');
    this.#logger = opts.logger ?? pino({ name: 'ferry-audit' }, pino.destination(2));
  }

  /** From now on checkpoints are signed by this key (a key rotation: audit-log.ts handOver). */
  set signer(signer: NoteSigner) {
    this.#opts = { ...this.#opts, signer };
  }

  /** Size of the last checkpoint, -1 when there is none. */
  get lastSize(): number {
    return this.#last ? this.#last.size : -1;
  }

  get last(): Checkpoint | null {
    return this.#last;
  }

  /** Load the last checkpoint and its frontier, refusing a database whose checkpoint does not hold. */
  loadLast(): { frontier: MerkleFrontier } | null {
    const row = this.#db.prepare<[], CheckpointRow>('SELECT size, time, root, note, frontier FROM checkpoints ORDER BY size DESC LIMIT 1').get();
    if (!row) return null;
    const frontier = MerkleFrontier.deserialize(row.size, row.frontier, NODE_LEVEL);
    const root = frontier.root();
    const body = row.note.includes('\n\n') ? splitNote(row.note).text : row.note;
    const parsed = parseCheckpoint(body);
    if (root.toString('base64') !== row.root || !parsed.root.equals(root) || parsed.size !== row.size) {
      throw new AuditError('AUDIT_TAMPERED', `The checkpoint at size ${row.size} does not match its stored tree.`);
    }
    this.#last = { origin: parsed.origin, size: row.size, root, time: row.time, note: row.note };
    return { frontier };
  }

  /** Write a checkpoint for the tree `frontier` describes (or return the last one if nothing is new). */
  write(frontier: MerkleFrontier): Checkpoint {
    const size = frontier.size;
    if (this.#last && this.#last.size === size) return this.#last;
    const root = frontier.root();
    const mth = dbSubtreeHash(this.#db);
    // The frontier is the writer's memory; the records are what verify will
    // read. Sign only if both say the same thing.
    if (size > 0 && !mth(0, size).equals(root)) {
      this.#logger.error({ size }, 'audit: stored records disagree with the in-memory tree; checkpoint not signed');
      throw new AuditError('AUDIT_CHECKPOINT_INCONSISTENT', `The stored records do not produce the root at size ${size}.`);
    }
    let proof: Buffer[] = [];
    const prev = this.#last;
    if (prev && prev.size > 0) {
      proof = consistencyProof(prev.size, size, mth);
      if (!verifyConsistency(prev.size, size, proof, prev.root, root)) {
        this.#logger.error({ from: prev.size, to: size }, 'audit: new tree is not consistent with the last checkpoint; not signed');
        throw new AuditError('AUDIT_CHECKPOINT_INCONSISTENT', `From size ${prev.size} to ${size}.`);
      }
    }
    const body = formatCheckpoint({ origin: this.#opts.origin, size, root });
    const note = this.#opts.signer ? signNote(body, this.#opts.signer) : body;
    const time = new Date().toISOString();
    this.#insert.run(size, time, root.toString('base64'), note, frontier.serialize());
    const cp: Checkpoint = { origin: this.#opts.origin, size, root, time, note };
    this.#last = cp;
    this.#export(note);
    if (this.#opts.witnessUrl) this.#witness(prev ? prev.size : 0, proof, note);
    return cp;
  }

  #export(note: string): void {
    const path = this.#opts.exportCheckpointsTo;
    if (!path) return;
    try {
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, note, { mode: 0o644 });
      renameSync(tmp, path);
    } catch (err) {
      this.#logger.warn({ path, err: (err as Error).message }, 'audit: checkpoint export failed');
    }
  }

  #witness(oldSize: number, proof: Buffer[], note: string): void {
    const url = this.#opts.witnessUrl!;
    const p = postToWitness(url, witnessBody(oldSize, proof, note))
      .then((status) => {
        if (status >= 300) this.#logger.warn({ url, status }, 'audit: witness refused the checkpoint');
      })
      .catch((err: unknown) => this.#logger.warn({ url, err: (err as Error).message }, 'audit: witness unreachable'))
      .finally(() => this.#inflight.delete(p));
    this.#inflight.add(p);
  }

  /** Wait for witness posts under way. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#inflight]);
  }
}
