// Merkle subtree hashes and proofs read through the audit storage port
// (async), for `ferry log prove`, the console's evidence export and
// verification's consistency checks. The proof builders (merkle-proofs.ts)
// stay synchronous, as the writer uses them on its own connection: which
// subtrees a proof needs depends on the sizes alone, so each proof is built
// twice, once to learn the subtrees it asks for and once with their hashes,
// read meanwhile (a few dozen reads, whatever the size of the log).
import type { AuditStorage } from './audit-storage.js';
import { AuditError } from './audit-error.js';
import { leafHash, nodeHash } from './merkle.js';
import { consistencyProof, inclusionProof, splitPoint, type SubtreeHash } from './merkle-proofs.js';
import { mthOf, NODE_LEVEL } from './tree-store.js';

const STORED = 2 ** NODE_LEVEL;

/** MTH of leaves [start, end), read from the log. */
export type AsyncSubtreeHash = (start: number, end: number) => Promise<Buffer>;

/** Subtree hashes as tree-store.ts's subtreeHashOf makes them: stored nodes where there are, leaves below a block. */
export function storedSubtreeHash(log: Pick<AuditStorage, 'treeNode' | 'recordHashes'>): AsyncSubtreeHash {
  const mth = async (start: number, end: number): Promise<Buffer> => {
    const n = end - start;
    if (n >= STORED && (n & (n - 1)) === 0 && start % n === 0) {
      const stored = await log.treeNode(Math.log2(n), start / n);
      if (stored) return stored;
    }
    if (n <= STORED) {
      const hs = (await log.recordHashes(start, end)).map((h) => leafHash(Buffer.from(h, 'hex')));
      if (hs.length !== end - start) throw new AuditError('AUDIT_NOT_FOUND', `leaves ${start}..${end - 1} are not all present`);
      return mthOf(hs, 0, hs.length);
    }
    const k = splitPoint(n);
    return nodeHash(await mth(start, start + k), await mth(start + k, end));
  };
  return mth;
}

const NONE = Buffer.alloc(32);

async function withHashes(build: (mth: SubtreeHash) => Buffer[], mth: AsyncSubtreeHash): Promise<Buffer[]> {
  const asked: Array<[number, number]> = [];
  build((start, end) => { asked.push([start, end]); return NONE; });
  const got = new Map<string, Buffer>();
  for (const [start, end] of asked) got.set(`${start}:${end}`, await mth(start, end));
  return build((start, end) => got.get(`${start}:${end}`)!);
}

/** RFC 6962 PATH(index, D[size]) from the log. */
export function inclusionProofOf(index: number, size: number, mth: AsyncSubtreeHash): Promise<Buffer[]> {
  return withHashes((m) => inclusionProof(index, size, m), mth);
}

/** RFC 6962 PROOF(m, D[n]) from the log. */
export function consistencyProofOf(m: number, n: number, mth: AsyncSubtreeHash): Promise<Buffer[]> {
  return withHashes((h) => consistencyProof(m, n, h), mth);
}
