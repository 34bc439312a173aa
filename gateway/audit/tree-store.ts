// Merkle subtree hashes from a stored log: complete aligned subtrees of 2^8
// leaves and more come from the stored tree nodes, the rest from the records'
// leaf hashes (leaf index i is the record with seq i + 1).
import { leafHash, nodeHash } from './merkle.js';
import { splitPoint, type SubtreeHash } from './merkle-proofs.js';
import { AuditError } from './audit-error.js';

export const NODE_LEVEL = 8;
const STORED = 2 ** NODE_LEVEL;

/** What subtree hashes need of a log: its stored nodes and its records' hashes (the AuditStorage port, or the writer's connection). */
export interface TreeSource {
  treeNode(level: number, idx: number): Buffer | null;
  /** hex hashes of the records after `after` up to `to` inclusive, in seq order */
  recordHashes(after: number, to: number): string[];
}

export function subtreeHashOf(source: TreeSource): SubtreeHash {
  const fromLeaves = (start: number, end: number): Buffer => {
    const hs = source.recordHashes(start, end).map((h) => leafHash(Buffer.from(h, 'hex')));
    if (hs.length !== end - start) throw new AuditError('AUDIT_NOT_FOUND', `leaves ${start}..${end - 1} are not all present`);
    return mthOf(hs, 0, hs.length);
  };

  const mth = (start: number, end: number): Buffer => {
    const n = end - start;
    if (n >= STORED && (n & (n - 1)) === 0 && start % n === 0) {
      const stored = source.treeNode(Math.log2(n), start / n);
      if (stored) return stored;
    }
    if (n <= STORED) return fromLeaves(start, end);
    const k = splitPoint(n);
    return nodeHash(mth(start, start + k), mth(start + k, end));
  };
  return mth;
}

/** RFC 9162 MTH over an in-memory list of leaf hashes [start, end). */
export function mthOf(leaves: Buffer[], start: number, end: number): Buffer {
  const n = end - start;
  if (n === 1) return leaves[start]!;
  const k = splitPoint(n);
  return nodeHash(mthOf(leaves, start, start + k), mthOf(leaves, start + k, end));
}
