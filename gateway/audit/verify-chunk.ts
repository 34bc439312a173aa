// The per-record half of `ferry log verify`, over one aligned range of seqs.
// Each record hash depends only on the record and its stored prev_hash, so
// ranges verify independently (in worker threads); the chain is closed at the
// range's start by reading the two records before it. Returns, in place of
// the leaves, one hash per complete block of 256 leaves and, for each
// checkpoint inside the range, the frontier of its partial block.
import type { AuditStorage, RecordValues } from './audit-storage.js';
import { canonicalRecord, isAuditEvent, jcs, recordHash, TIME_RE, ZERO_HASH } from './canonical.js';
import { leafHash, MerkleFrontier } from './merkle.js';
import { verifyConsistency } from './merkle-proofs.js';
import { consistencyProofOf, storedSubtreeHash } from './storage-proofs.js';
import { NODE_LEVEL } from './tree-store.js';
import type { VerifyCheck, VerifyFailure } from './verify-checks.js';

export const BLOCK = 2 ** NODE_LEVEL;

export interface ChunkCheckpoint {
  size: number;
  root: string; // base64, as stored
  prevSize: number;
  prevRoot: string | null;
}

export interface ChunkTask {
  /** First seq of the range; start - 1 is a multiple of BLOCK. */
  start: number;
  /** Last seq of the range (inclusive). */
  end: number;
  checkpoints: ChunkCheckpoint[];
}

export interface ChunkResult {
  start: number;
  /** Last seq verified (start - 1 when none). */
  last: number;
  failure: VerifyFailure | null;
  /** One 32-byte hash per complete block of BLOCK leaves, in order. */
  blocks: Buffer;
  /** For each checkpoint verified here: its partial-block frontier and whether the consistency proof from the previous checkpoint held. */
  checkpoints: { size: number; partial: Buffer; consistent: boolean }[];
}

class Stop extends Error {
  constructor(readonly failure: VerifyFailure) {
    super(failure.message);
  }
}

export function fail(seq: number, check: VerifyCheck, detail: string): never {
  throw new Stop({ seq, check, message: `seq ${seq}: ${check}: ${detail}` });
}

export function asFailure(err: unknown): VerifyFailure | null {
  return err instanceof Stop ? err.failure : null;
}

const TEXT_COLUMNS = [2, 4, 5, 6, 8, 10, 11] as const;

/**
 * Verifies one range; `r[i]` below is the i-th of RECORD_FIELDS (audit-storage.ts), as stored.
 * Records come a page at a time and each page is walked synchronously: one
 * await per page, never one per record.
 */
export async function verifyChunk(log: AuditStorage, task: ChunkTask): Promise<ChunkResult> {
  const result: ChunkResult = { start: task.start, last: task.start - 1, failure: null, blocks: Buffer.alloc(0), checkpoints: [] };
  const blocks: Buffer[] = [];
  const cps = new Map(task.checkpoints.map((c) => [c.size, c]));
  // Two records before the range close the chain across ranges (and let an insertion be named).
  const before = (await valuesOf(log, Math.max(1, task.start - 2), task.start - 1)).map((r) => ({ seq: r[0] as number, time: r[1] as string, hash: r[14] as string }));
  let lastTime = before.find((r) => r.seq === task.start - 1)?.time ?? '';
  let prevHex = task.start === 1 ? ZERO_HASH.toString('hex') : (before.find((r) => r.seq === task.start - 1)?.hash ?? '');
  let prevPrevHex = before.find((r) => r.seq === task.start - 2)?.hash ?? '';
  let prevHash: Buffer = prevHex ? Buffer.from(prevHex, 'hex') : ZERO_HASH;
  let local = new MerkleFrontier(0, [], 64);
  let expected = task.start;
  const mth = task.checkpoints.some((c) => c.prevSize > 0) ? storedSubtreeHash(log) : null;
  try {
    for await (const page of log.recordValues(task.start, task.end)) for (const r of page) {
      const seq = r[0] as number;
      if (seq !== expected) fail(expected, 'seq', `records ${expected}..${seq - 1} are missing`);
      checkFormat(seq, r);
      if ((r[1] as string) < lastTime) fail(seq, 'record-format', `time ${String(r[1])} is earlier than the record before it`);
      lastTime = r[1] as string;
      const details = r[12] as string | null;
      if (details !== null && canonicalDetails(details) !== details) fail(seq, 'details-canonical', 'the details text is not canonical JSON');
      if (r[13] !== prevHex) {
        if (seq > 2 && r[13] === prevPrevHex) fail(seq - 1, 'inserted', `record ${seq} links to record ${seq - 2}, so record ${seq - 1} was inserted`);
        fail(seq, 'chain-link', `prev_hash ${String(r[13]).slice(0, 16)}… is not the hash of record ${seq - 1}`);
      }
      const h = recordHash(prevHash, canonicalRecord({
        seq, time: r[1] as string, transferId: r[2] as string | null, event: r[3] as string, principal: r[4] as string | null,
        source: r[5] as string | null, destination: r[6] as string | null, size: r[7] as number | null, sha256: r[8] as string | null,
        verdict: r[9] as string | null, rule: r[10] as string | null, policyHash: r[11] as string | null, details,
      }));
      const hex = h.toString('hex');
      if (r[14] !== hex) fail(seq, 'record-hash', 'the stored hash does not match the record (a field was changed)');
      local.push(leafHash(h));
      if (local.size === BLOCK) {
        blocks.push(local.hashes[0]!);
        local = new MerkleFrontier(0, [], 64);
      }
      const cp = cps.get(seq);
      if (cp) {
        let consistent = true;
        if (mth && cp.prevSize > 0 && cp.prevRoot !== null) {
          const proof = await consistencyProofOf(cp.prevSize, cp.size, mth);
          consistent = verifyConsistency(cp.prevSize, cp.size, proof, Buffer.from(cp.prevRoot, 'base64'), Buffer.from(cp.root, 'base64'));
        }
        result.checkpoints.push({ size: seq, partial: local.serialize(), consistent });
      }
      prevPrevHex = prevHex;
      prevHex = hex;
      prevHash = h;
      result.last = seq;
      expected = seq + 1;
    }
    if (expected <= task.end) fail(expected, 'seq', `records ${expected}..${task.end} are missing`);
  } catch (err) {
    const f = asFailure(err);
    if (!f) throw err;
    result.failure = f;
  }
  result.blocks = Buffer.concat(blocks);
  return result;
}

async function valuesOf(log: AuditStorage, from: number, to: number): Promise<RecordValues[]> {
  const out: RecordValues[] = [];
  for await (const page of log.recordValues(from, to)) out.push(...page);
  return out;
}

function canonicalDetails(text: string): string | null {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    return jcs(v);
  } catch {
    return null;
  }
}

function checkFormat(seq: number, r: readonly unknown[]): void {
  if (typeof r[1] !== 'string' || !TIME_RE.test(r[1])) fail(seq, 'record-format', 'time is not ISO 8601 UTC with milliseconds');
  if (typeof r[3] !== 'string' || !isAuditEvent(r[3])) fail(seq, 'record-format', `event ${JSON.stringify(r[3])} is not an audit event`);
  for (const i of TEXT_COLUMNS) if (r[i] !== null && typeof r[i] !== 'string') fail(seq, 'record-format', 'a text field holds a non-text value');
  const size = r[7];
  if (size !== null && !(typeof size === 'number' && Number.isSafeInteger(size) && size >= 0)) fail(seq, 'record-format', 'size is not a non-negative integer');
  if (r[9] !== null && r[9] !== 'allow' && r[9] !== 'deny') fail(seq, 'record-format', 'verdict is neither allow nor deny');
  if (r[12] !== null && typeof r[12] !== 'string') fail(seq, 'record-format', 'details are not text');
}
