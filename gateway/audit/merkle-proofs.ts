// Inclusion and consistency proofs: generation after RFC 6962 §2.1.1–2.1.2
// (PATH and SUBPROOF), verification after RFC 9162 §2.1.3.2 and §2.1.4.2.
import { nodeHash } from './merkle.js';

/** MTH of leaves [start, end), supplied by whoever holds the leaves. */
export type SubtreeHash = (start: number, end: number) => Buffer;

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** Largest power of two strictly below n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 6962 PATH(m, D[start:end]). */
export function inclusionProof(index: number, size: number, mth: SubtreeHash): Buffer[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`index ${index} outside tree of size ${size}`);
  const out: Buffer[] = [];
  const path = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      path(m, start, start + k);
      out.push(mth(start + k, end));
    } else {
      path(m - k, start + k, end);
      out.push(mth(start, start + k));
    }
  };
  path(index, 0, size);
  return out;
}

/** RFC 6962 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 < m <= n. */
export function consistencyProof(m: number, n: number, mth: SubtreeHash): Buffer[] {
  if (!(m > 0 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const out: Buffer[] = [];
  const sub = (mm: number, start: number, end: number, b: boolean): void => {
    const size = end - start;
    if (mm === size) {
      if (!b) out.push(mth(start, end));
      return;
    }
    const k = splitPoint(size);
    if (mm <= k) {
      sub(mm, start, start + k, b);
      out.push(mth(start + k, end));
    } else {
      sub(mm - k, start + k, end, false);
      out.push(mth(start, start + k));
    }
  };
  sub(m, 0, n, true);
  return out;
}

/** RFC 9162 §2.1.3.2: does `leaf` sit at `index` in the tree of `size` with `root`? */
export function verifyInclusion(index: number, size: number, leaf: Buffer, proof: Buffer[], root: Buffer): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) while (!isOdd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: is the tree (size2, root2) an extension of (size1, root1)? */
export function verifyConsistency(size1: number, size2: number, proof: Buffer[], root1: Buffer, root2: Buffer): boolean {
  if (size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0; // the empty tree is a prefix of every tree
  let path = proof;
  if (splitPoint(size1 + 1) === size1) path = [root1, ...proof]; // size1 is a power of two
  if (path.length === 0) return false;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) { fn = half(fn); sn = half(sn); }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) while (!isOdd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0;
}
