// RFC 9162 §2.1 Merkle tree hashing: leaf = SHA-256(0x00 ‖ d),
// node = SHA-256(0x01 ‖ left ‖ right), empty tree = SHA-256("").
// The tree is kept as its right frontier: one hash per set bit of the size,
// largest subtree first, so appending is O(1) amortised and the root O(log n).
import { hash } from 'node:crypto';

export const EMPTY_ROOT = hash('sha256', Buffer.alloc(0), 'buffer');
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function leafHash(data: Buffer): Buffer {
  return hash('sha256', Buffer.concat([LEAF, data]), 'buffer');
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return hash('sha256', Buffer.concat([NODE, left, right]), 'buffer');
}

/** A complete aligned subtree: leaves [idx·2^level, (idx+1)·2^level). */
export interface TreeNode {
  level: number;
  idx: number;
  hash: Buffer;
}

/** Levels of the frontier of a tree of `size` leaves, largest first. */
function frontierLevels(size: number): number[] {
  const levels: number[] = [];
  for (let l = 52; l >= 0; l--) if (Math.floor(size / 2 ** l) % 2 === 1) levels.push(l);
  return levels;
}

export class MerkleFrontier {
  #size: number;
  #levels: number[];
  #hashes: Buffer[];
  /** Completed nodes at this level or above are reported by push(). */
  readonly #keepLevel: number;

  constructor(size = 0, hashes: Buffer[] = [], keepLevel = 8) {
    const levels = frontierLevels(size);
    if (levels.length !== hashes.length) throw new Error(`frontier of size ${size} needs ${levels.length} hashes, got ${hashes.length}`);
    this.#size = size;
    this.#levels = levels;
    this.#hashes = hashes.slice();
    this.#keepLevel = keepLevel;
  }

  get size(): number {
    return this.#size;
  }

  /** Append one leaf (already leaf-hashed); returns the nodes it completed at keepLevel or above. */
  push(leaf: Buffer, completed?: TreeNode[]): void {
    let h = leaf;
    let level = 0;
    this.#size += 1;
    while (this.#levels.length > 0 && this.#levels[this.#levels.length - 1] === level) {
      this.#levels.pop();
      h = nodeHash(this.#hashes.pop()!, h);
      level += 1;
      if (completed && level >= this.#keepLevel) completed.push({ level, idx: Math.floor(this.#size / 2 ** level) - 1, hash: h });
    }
    this.#levels.push(level);
    this.#hashes.push(h);
  }

  root(): Buffer {
    if (this.#hashes.length === 0) return EMPTY_ROOT;
    let h = this.#hashes[this.#hashes.length - 1]!;
    for (let i = this.#hashes.length - 2; i >= 0; i--) h = nodeHash(this.#hashes[i]!, h);
    return h;
  }

  /** The frontier hashes concatenated, largest subtree first (for storage). */
  serialize(): Buffer {
    return Buffer.concat(this.#hashes);
  }

  static deserialize(size: number, blob: Buffer, keepLevel = 8): MerkleFrontier {
    const hashes: Buffer[] = [];
    for (let i = 0; i < blob.length; i += 32) hashes.push(Buffer.from(blob.subarray(i, i + 32)));
    return new MerkleFrontier(size, hashes, keepLevel);
  }

  clone(): MerkleFrontier {
    return new MerkleFrontier(this.#size, this.#hashes, this.#keepLevel);
  }
}
