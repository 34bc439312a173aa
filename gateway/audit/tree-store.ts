// Merkle subtree hashes read from the database: complete aligned subtrees of
// 2^8 leaves and more come from tree_nodes, the rest from the leaf hashes of
// `records` (leaf index i is the record with seq i + 1).
import type Database from 'better-sqlite3';
import { leafHash, nodeHash } from './merkle.js';
import { splitPoint, type SubtreeHash } from './merkle-proofs.js';
import { AuditError } from './audit-error.js';

export const NODE_LEVEL = 8;
const STORED = 2 ** NODE_LEVEL;

export function dbSubtreeHash(db: Database.Database): SubtreeHash {
  const node = db.prepare<[number, number], { hash: Buffer }>('SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?');
  const leaves = db.prepare<[number, number], string>('SELECT hash FROM records WHERE seq > ? AND seq <= ? ORDER BY seq').pluck();

  const fromLeaves = (start: number, end: number): Buffer => {
    const hs = leaves.all(start, end).map((h) => leafHash(Buffer.from(h, 'hex')));
    if (hs.length !== end - start) throw new AuditError('AUDIT_NOT_FOUND', `leaves ${start}..${end - 1} are not all present`);
    return mthOf(hs, 0, hs.length);
  };

  const mth = (start: number, end: number): Buffer => {
    const n = end - start;
    if (n >= STORED && (n & (n - 1)) === 0 && start % n === 0) {
      const level = Math.log2(n);
      const row = node.get(level, start / n);
      if (row) return row.hash;
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
