// The tree's stored nodes and leaf hashes read over an open connection: the
// read port's, and the writer's own (checkpoint-writer.ts proves each new
// checkpoint consistent before signing it, on the connection that wrote it).
import type Database from 'better-sqlite3';
import { subtreeHashOf, type TreeSource } from '../tree-store.js';
import type { SubtreeHash } from '../merkle-proofs.js';

export function treeSourceOf(db: Database.Database): TreeSource {
  const node = db.prepare<[number, number], Buffer>('SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?').pluck();
  const leaves = db.prepare<[number, number], string>('SELECT hash FROM records WHERE seq > ? AND seq <= ? ORDER BY seq').pluck();
  return {
    treeNode: (level, idx) => node.get(level, idx) ?? null,
    recordHashes: (after, to) => leaves.all(after, to),
  };
}

export function dbSubtreeHash(db: Database.Database): SubtreeHash {
  return subtreeHashOf(treeSourceOf(db));
}
