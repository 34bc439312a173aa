// RFC 9162 §2.1 Merkle tree hashing: leaf = SHA-256(0x00 ‖ d),
// node = SHA-256(0x01 ‖ left ‖ right), empty tree = SHA-256("").
// The tree is kept as its right frontier: one hash per set bit of the size,
// largest subtree first, so appending is O(1) amortised and the root O(log n).
import { hash } from 'node:crypto';

export const EMPTY_ROOT = hash('sha256', Buffer.alloc(0), 'buffer');
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

const leafIn = Buffer.alloc(33);
const nodeIn = Buffer.alloc(65);

/** Leaf hash of a 32-byte record hash (reuses one input buffer: this runs per record). */
export function leafHash(data: Buffer): Buffer {
  if (data.length !== 32) return hash('sha256', Buffer.concat([LEAF, data]), 'buffer');
  leafIn[0] = 0;
  data.copy(leafIn, 1);
  return hash('sha256', leafIn, 'buffer');
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  if (left.length !== 32 || right.length !== 32) return hash('sha256', Buffer.concat([NODE, left, right]), 'buffer');
  nodeIn[0] = 1;
  left.copy(nodeIn, 1);
  right.copy(nodeIn, 33);
  return hash('sha256', nodeIn, 'buffer');
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

  /**
   * Append one leaf (already leaf-hashed), or with `level` > 0 a whole aligned
   * subtree of 2^level leaves; completed nodes at keepLevel and above are
   * pushed onto `completed`.
   */
  push(h: Buffer, completed?: TreeNode[], level = 0): void {
    const width = 2 ** level;
    if (this.#size % width !== 0) throw new RangeError(`a subtree of ${width} leaves cannot follow ${this.#size} leaves`);
    this.#size += width;
    while (this.#levels.length > 0 && this.#levels[this.#levels.length - 1] === level) {
      this.#levels.pop();
      h = nodeHash(this.#hashes.pop()!, h);
      level += 1;
      if (completed && level >= this.#keepLevel) completed.push({ level, idx: Math.floor(this.#size / 2 ** level) - 1, hash: h });
    }
    this.#levels.push(level);
    this.#hashes.push(h);
  }

  /** The frontier hashes, largest subtree first. */
  get hashes(): readonly Buffer[] {
    return this.#hashes;
  }

  root(): Buffer {
    return rootOfFrontier(this.#hashes);
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

/** The root of a tree given its frontier hashes, largest subtree first (RFC 9162 §2.1.1 MTH). */
export function rootOfFrontier(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let h = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i]!, h);
  return h;
}
