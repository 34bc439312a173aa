// `ferry log verify`: recompute every layer of the log from the stored bytes
// and stop at the first thing that does not hold, in seq order. Records are
// checked in aligned ranges by worker threads (verify-chunk.ts); this thread
// puts the Merkle tree together from their block hashes and checks the stored
// nodes, every checkpoint (root, frontier, signature, consistency), the
// records a checkpoint covers that are gone, and an exported later checkpoint.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseCheckpoint } from './checkpoint.js';
import { MerkleFrontier, rootOfFrontier, type TreeNode } from './merkle.js';
import type { AuditStorage, StoredCheckpoint, StoredTreeNode } from './audit-storage.js';
import { openAuditStorage } from './open-audit-storage.js';
import { NoteError, openNote, splitNote, type NoteVerifier } from './signed-note.js';
import { NODE_LEVEL } from './tree-store.js';
import { checkRotation } from './key-rotation.js';
import { asFailure, BLOCK, fail, verifyChunk, type ChunkCheckpoint, type ChunkResult, type ChunkTask } from './verify-chunk.js';
import type { VerifyFailure } from './verify-checks.js';

export { VERIFY_CHECKS, type VerifyCheck, type VerifyFailure } from './verify-checks.js';

export interface VerifyOptions {
  /** Checkpoint signatures are checked only when keys are given. */
  verifiers?: NoteVerifier[];
  /** A later checkpoint kept elsewhere (signed note text); needs verifiers. */
  against?: string;
  /** Worker threads (default: available cores, at most 4; 0 = verify in this thread). */
  workers?: number;
  /** Records per range (a multiple of 256; default 16,384). */
  chunkSize?: number;
  /** Called after each range with the records verified so far and the total. */
  onProgress?: (records: number, total: number) => void;
  /** Called once the log verified, with the keys in force after its last key rotation (for the next segment). */
  onKeysInForce?: (keys: NoteVerifier[]) => void;
}

export interface VerifyReport {
  ok: boolean;
  records: number;
  checkpoints: number;
  signaturesChecked: number;
  treeNodes: number;
  againstSize: number | null;
  failure: VerifyFailure | null;
}

export async function verifyLogFile(dbPath: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const log = await openAuditStorage(dbPath);
  // One read snapshot for everything this thread reads, so that checkpoints
  // and nodes a live gateway adds meanwhile are not taken for a truncation.
  // (Workers read only records up to the snapshot's last seq; records never change.)
  try {
    return await log.snapshot(() => verifyLog(log, opts));
  } finally {
    await log.close();
  }
}

async function verifyLog(log: AuditStorage, opts: VerifyOptions): Promise<VerifyReport> {
  const report: VerifyReport = { ok: false, records: 0, checkpoints: 0, signaturesChecked: 0, treeNodes: 0, againstSize: null, failure: null };
  const verifiers = opts.verifiers ?? [];
  const origin = (await log.meta()).origin ?? undefined;
  const against = opts.against === undefined ? null : openAgainst(opts.against, verifiers, origin);
  report.againstSize = against ? against.size : null;
  const maxSeq = await log.maxSeq();
  const chunkSize = Math.max(BLOCK, Math.floor((opts.chunkSize ?? 16_384) / BLOCK) * BLOCK);

  // Checkpoint sizes and roots for the tasks; the full rows are read in order below.
  const heads: Array<{ size: number; root: string }> = [];
  for await (const page of log.checkpoints()) for (const c of page) heads.push({ size: c.size, root: c.root });
  const tasks: ChunkTask[] = [];
  let h = 0;
  let prev: { size: number; root: string } | null = null;
  for (let start = 1; start <= maxSeq; start += chunkSize) {
    const end = Math.min(maxSeq, start + chunkSize - 1);
    const cps: ChunkCheckpoint[] = [];
    while (h < heads.length && heads[h]!.size <= end) {
      const c = heads[h]!;
      if (c.size >= start) cps.push({ size: c.size, root: c.root, prevSize: prev ? prev.size : 0, prevRoot: prev ? prev.root : null });
      prev = c;
      h += 1;
    }
    if (against && against.size >= start && against.size <= end && !cps.some((c) => c.size === against.size)) {
      cps.push({ size: against.size, root: against.root.toString('base64'), prevSize: 0, prevRoot: null });
    }
    tasks.push({ start, end, checkpoints: cps });
  }

  const stored = new PageCursor(log.checkpoints());
  const nodes = new PageCursor(log.treeNodes());
  // Key rotations, in order: the checkpoint signatures follow the chain of keys they hand on.
  const rotations: Array<{ seq: number; details: string | null }> = [];
  if (verifiers.length) for await (const r of log.records({ event: 'key-rotated', beforeSeq: maxSeq + 1 })) rotations.push({ seq: r.seq, details: r.details });
  const state = new TreeCheck(report, verifiers, origin, stored, nodes, against, rotations);
  try {
    await state.readTo(0);
    state.checkpointsAt(0, Buffer.alloc(0), true);
    for await (const result of runTasks(log, tasks, opts.workers)) {
      await state.readTo(result.last);
      state.absorb(result);
      if (result.failure) throw new FailedAt(result.failure);
      opts.onProgress?.(result.last, maxSeq);
    }
    await state.readNext();
    state.finish();
    report.ok = true;
    if (verifiers.length) opts.onKeysInForce?.(state.keysInForce);
  } catch (err) {
    const f = err instanceof FailedAt ? err.failure : asFailure(err);
    if (!f) throw err;
    report.failure = f;
  } finally {
    await stored.close();
    await nodes.close();
  }
  return report;
}

class FailedAt extends Error {
  constructor(readonly failure: VerifyFailure) {
    super(failure.message);
  }
}

/** Results in task order, from worker threads (or this thread for small logs). */
async function* runTasks(log: AuditStorage, tasks: ChunkTask[], workers?: number): AsyncGenerator<ChunkResult> {
  const n = Math.min(workers ?? Math.min(4, availableParallelism()), tasks.length);
  if (n <= 1) {
    for (const t of tasks) {
      const r = await verifyChunk(log, t);
      yield r;
      if (r.failure) return;
    }
    return;
  }
  const pool = Array.from({ length: n }, () => new Worker(new URL('./verify-worker.js', import.meta.url), { workerData: { dbPath: log.location } }));
  const done = new Map<number, ChunkResult>();
  const waiting = new Map<number, { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }>();
  const busy = new Set<Worker>();
  let failed: Error | null = null;
  let next = 0;
  let taken = 0;
  // One range at a time per worker, handed to whichever is free; results that
  // arrive ahead of their turn wait in `done`, at most 4 per worker (bounded memory).
  const dispatch = (): void => {
    for (const w of pool) {
      if (busy.has(w) || next >= tasks.length || next - taken >= 4 * n) continue;
      busy.add(w);
      w.postMessage({ id: next, task: tasks[next] });
      next += 1;
    }
  };
  for (const w of pool) {
    w.on('message', (m: { id: number; result?: ChunkResult; error?: string }) => {
      busy.delete(w);
      const result = m.result;
      if (result) result.blocks = Buffer.from(result.blocks.buffer, result.blocks.byteOffset, result.blocks.byteLength);
      if (result) for (const c of result.checkpoints) c.partial = Buffer.from(c.partial.buffer, c.partial.byteOffset, c.partial.byteLength);
      const waiter = waiting.get(m.id);
      if (m.error) {
        failed = new Error(m.error);
        waiter?.reject(failed);
        return;
      }
      if (waiter) { waiting.delete(m.id); waiter.resolve(result!); } else done.set(m.id, result!);
      dispatch();
    });
    w.on('error', (e) => { failed = e; for (const x of waiting.values()) x.reject(e); });
  }
  try {
    dispatch();
    while (taken < tasks.length) {
      if (failed) throw failed;
      const id = taken;
      const r = done.get(id) ?? (await new Promise<ChunkResult>((resolve, reject) => waiting.set(id, { resolve, reject })));
      done.delete(id);
      taken += 1;
      dispatch();
      yield r;
      if (r.failure) return;
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/** The tree-level checks, fed with ranges in order. */
class TreeCheck {
  #frontier = new MerkleFrontier(0, [], NODE_LEVEL + 1);
  #last = 0;
  #prevCp: { size: number } | null = null;

  readonly #report: VerifyReport;
  readonly #verifiers: NoteVerifier[];
  readonly #origin: string | undefined;
  readonly #stored: PageCursor<StoredCheckpoint>;
  readonly #nodes: PageCursor<StoredTreeNode>;
  readonly #against: { size: number; root: Buffer } | null;
  readonly #rotations: Array<{ seq: number; details: string | null }>;
  /** Keys in force for checkpoints past the last rotation applied; the key it replaced is still good at exactly that size. */
  #inForce: NoteVerifier[];
  #handover: { size: number; retired: NoteVerifier } | null = null;

  constructor(
    report: VerifyReport, verifiers: NoteVerifier[], origin: string | undefined,
    stored: PageCursor<StoredCheckpoint>, nodes: PageCursor<StoredTreeNode>, against: { size: number; root: Buffer } | null,
    rotations: Array<{ seq: number; details: string | null }> = [],
  ) {
    this.#report = report;
    this.#verifiers = verifiers;
    this.#inForce = [...verifiers];
    this.#rotations = rotations;
    this.#origin = origin;
    this.#stored = stored;
    this.#nodes = nodes;
    this.#against = against;
  }

  /** Reads the stored checkpoints and nodes the records up to `last` may meet, and the one after them (the checks below are synchronous). */
  async readTo(last: number): Promise<void> {
    await this.#stored.readPast((c) => c.size > last);
    await this.#nodes.readPast((n) => (n.idx + 1) * 2 ** n.level > last);
  }

  /** Reads whether anything is stored past what was checked (for finish()). */
  async readNext(): Promise<void> {
    await this.#stored.readPast(() => true);
    await this.#nodes.readPast(() => true);
  }

  absorb(r: ChunkResult): void {
    const partials = new Map(r.checkpoints.map((c) => [c.size, c]));
    const firstBlock = (r.start - 1) / BLOCK;
    const nBlocks = r.blocks.length / 32;
    for (let i = 0; i <= nBlocks; i++) {
      const b = firstBlock + i;
      // checkpoints inside block b (sizes b·256 .. b·256 + 255, beyond those done)
      for (const [size, c] of partials) {
        if (Math.floor(size / BLOCK) === b && size <= r.last) {
          this.checkpointsAt(size, c.partial, c.consistent);
          partials.delete(size);
        }
      }
      if (i === nBlocks) break;
      const completed: TreeNode[] = [{ level: NODE_LEVEL, idx: b, hash: r.blocks.subarray(i * 32, i * 32 + 32) }];
      this.#frontier.push(completed[0]!.hash, completed, NODE_LEVEL);
      this.#checkNodes(completed);
    }
    this.#last = r.last;
    this.#report.records = r.last;
  }

  #checkNodes(completed: TreeNode[]): void {
    for (const n of completed) {
      const from = n.idx * 2 ** n.level + 1;
      const to = (n.idx + 1) * 2 ** n.level;
      const next = this.#nodes.peek();
      if (next === undefined) fail(from, 'tree-node', `the stored Merkle node over records ${from}..${to} is missing`);
      const { level, idx, hash: h } = next;
      if (level !== n.level || idx !== n.idx) fail(from, 'tree-node', `stored Merkle node level ${level} index ${idx} is out of place (expected the node over records ${from}..${to})`);
      if (!h.equals(n.hash)) fail(from, 'tree-node', `records ${from}..${to} do not produce their stored Merkle node (a record there was rewritten and the chain recomputed)`);
      this.#report.treeNodes += 1;
      this.#nodes.advance();
    }
  }

  /** Check the stored checkpoint (and the exported one) at `size`, if any. */
  checkpointsAt(size: number, partial: Buffer, consistent: boolean): void {
    const hashes = [...this.#frontier.hashes];
    for (let i = 0; i < partial.length; i += 32) hashes.push(partial.subarray(i, i + 32));
    const root = rootOfFrontier(hashes);
    const next = this.#stored.peek();
    if (next !== undefined && next.size === size) {
      this.#checkStored(next, root, Buffer.concat(hashes), consistent);
      this.#stored.advance();
    }
    if (this.#against && this.#against.size === size && !root.equals(this.#against.root)) {
      fail(Math.max(1, size), 'against', `the records up to ${size} do not produce the root of the exported checkpoint`);
    }
  }

  #checkStored(cp: StoredCheckpoint, root: Buffer, frontier: Buffer, consistent: boolean): void {
    const size = cp.size;
    const at = Math.max(1, size);
    let body;
    try {
      body = parseCheckpoint(cp.note.includes('\n\n') ? splitNote(cp.note).text : cp.note);
    } catch (err) {
      fail(at, 'checkpoint-format', `checkpoint at size ${size}: ${(err as Error).message}`);
    }
    if (body.size !== size || (this.#origin !== undefined && body.origin !== this.#origin) || body.root.toString('base64') !== cp.root) {
      fail(at, 'checkpoint-format', `checkpoint at size ${size} does not agree with its own row or the log's origin`);
    }
    if (!body.root.equals(root)) {
      const from = this.#prevCp ? this.#prevCp.size + 1 : 1;
      fail(Math.min(from, at), 'checkpoint-root', `records ${from}..${size} do not produce the root of the checkpoint at size ${size}`);
    }
    if (!frontier.equals(cp.frontier)) fail(at, 'checkpoint-frontier', `the frontier stored with the checkpoint at size ${size} differs from the records`);
    if (this.#verifiers.length > 0) {
      this.#applyRotations(size);
      // At the rotation record's own size the old key may still sign (the rotation's closing checkpoint).
      const keys = this.#handover?.size === size ? [...this.#inForce, this.#handover.retired] : this.#inForce;
      try {
        openNote(cp.note, keys);
      } catch (err) {
        fail(at, 'checkpoint-signature', `checkpoint at size ${size}: ${(err as Error).message}`);
      }
      this.#report.signaturesChecked += 1;
    }
    if (!consistent) fail(at, 'consistency', `checkpoint at size ${size} is not consistent with the one at size ${this.#prevCp?.size}`);
    this.#prevCp = { size };
    this.#report.checkpoints += 1;
  }

  /** Takes in the key rotations recorded up to `size`, each checked against the keys in force before it. */
  #applyRotations(size: number): void {
    while (this.#rotations.length && this.#rotations[0]!.seq <= size) {
      const r = this.#rotations.shift()!;
      let handed;
      try {
        handed = checkRotation(r.details === null ? null : JSON.parse(r.details), this.#origin, this.#inForce);
      } catch (err) {
        fail(r.seq, 'key-rotation', `record ${r.seq}: ${(err as Error).message}`);
      }
      const { retired, next } = handed;
      this.#inForce = [...this.#inForce.filter((v) => !(v.keyName === retired.keyName && v.keyId.equals(retired.keyId))), next];
      this.#handover = { size: r.seq, retired };
    }
  }

  /** The keys checkpoints past the end of this log may be signed with (after its last rotation). */
  get keysInForce(): NoteVerifier[] {
    return [...this.#inForce];
  }

  finish(): void {
    if (this.#verifiers.length > 0) this.#applyRotations(Number.MAX_SAFE_INTEGER);
    const count = this.#last;
    const cp = this.#stored.peek();
    if (cp !== undefined) {
      fail(count + 1, 'truncated', `a stored checkpoint covers ${cp.size} records but the log holds ${count}`);
    }
    if (this.#nodes.peek() !== undefined) fail(count + 1, 'truncated', `stored Merkle nodes cover records past ${count}`);
    if (this.#against && this.#against.size > count) {
      fail(count + 1, 'truncated', `the exported checkpoint covers ${this.#against.size} records but the log holds ${count}: records ${count + 1}..${this.#against.size} are gone (truncated or rolled back)`);
    }
  }
}

/**
 * A walk over pages that the synchronous checks step through: readPast()
 * reads pages until one item beyond the range at hand is held (or the walk
 * ended), so that peek() then answers without waiting.
 */
class PageCursor<T> {
  readonly #it: AsyncIterator<T[]>;
  #held: T[] = [];
  #at = 0;
  #done = false;

  constructor(pages: AsyncIterable<T[]>) {
    this.#it = pages[Symbol.asyncIterator]();
  }

  async readPast(beyond: (item: T) => boolean): Promise<void> {
    while (!this.#done && (this.#at >= this.#held.length || !beyond(this.#held[this.#held.length - 1]!))) {
      const r = await this.#it.next();
      if (r.done) { this.#done = true; break; }
      this.#held = [...this.#held.slice(this.#at), ...r.value];
      this.#at = 0;
    }
  }

  /** The next item, or undefined at the end. */
  peek(): T | undefined {
    return this.#held[this.#at];
  }

  advance(): void {
    this.#at += 1;
  }

  async close(): Promise<void> {
    await this.#it.return?.();
  }
}

function openAgainst(note: string, verifiers: NoteVerifier[], origin: string | undefined): { size: number; root: Buffer } {
  if (verifiers.length === 0) throw new NoteError('NOTE_UNSIGNED', 'checking against an exported checkpoint needs the gateway public key (--pubkey)');
  let text: string;
  try {
    text = openNote(note, verifiers).text;
  } catch (err) {
    throw new NoteError(err instanceof NoteError ? err.code : 'NOTE_MALFORMED', `the exported checkpoint does not verify: ${(err as Error).message}`);
  }
  const body = parseCheckpoint(text);
  if (origin !== undefined && body.origin !== origin) throw new NoteError('CHECKPOINT_ORIGIN', `the exported checkpoint is for ${JSON.stringify(body.origin)}, not this log (${JSON.stringify(origin)})`);
  return { size: body.size, root: body.root };
}
