// The Merkle tree against a plain transcription of RFC 9162 §2.1.1 (MTH,
// PATH, PROOF): roots for every size across several 256-leaf blocks, every
// inclusion and consistency proof for small trees, and proofs that fail when
// anything in them is changed.
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { EMPTY_ROOT, leafHash, MerkleFrontier } from '../gateway/audit/merkle.js';
import { consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from '../gateway/audit/merkle-proofs.js';
import { dbSubtreeHash } from '../gateway/audit/sqlite/tree-nodes.js';

const sha = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
// RFC 9162 §2.1.1, word for word: MTH({}) = SHA-256(), MTH({d0}) = SHA-256(0x00 || d0),
// MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of two < n.
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Buffer.from([0]), d[0]!);
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return sha(Buffer.from([1]), mth(d.slice(0, k)), mth(d.slice(k)));
}

const data = Array.from({ length: 700 }, () => randomBytes(32));
const leaves = data.map((d) => leafHash(d));
const subtree = (start: number, end: number): Buffer => mth(data.slice(start, end));

t.test('the frontier root equals MTH for every size up to 700', async (t) => {
  t.same(EMPTY_ROOT, sha(), 'empty tree');
  const f = new MerkleFrontier();
  const nodes: { level: number; idx: number; hash: Buffer }[] = [];
  let bad = 0;
  for (let n = 1; n <= data.length; n++) {
    f.push(leaves[n - 1]!, nodes);
    if (!f.root().equals(mth(data.slice(0, n)))) bad++;
    // and survives a round trip through storage
    if (n % 97 === 0) t.ok(MerkleFrontier.deserialize(n, f.serialize()).root().equals(f.root()), `frontier of ${n} round-trips`);
  }
  t.equal(bad, 0, 'no size disagrees');
  t.same(nodes.map((x) => [x.level, x.idx]), [[8, 0], [8, 1], [9, 0]], 'completed nodes of 256 leaves and up are reported');
  t.ok(nodes[2]!.hash.equals(subtree(0, 512)));
});

t.test('every inclusion proof of trees up to 40 verifies, and fails when altered', async (t) => {
  let checked = 0;
  for (let n = 1; n <= 40; n++) {
    const root = mth(data.slice(0, n));
    for (let i = 0; i < n; i++) {
      const p = inclusionProof(i, n, subtree);
      if (!verifyInclusion(i, n, leaves[i]!, p, root)) t.fail(`inclusion ${i} of ${n}`);
      if (p.length > 0) {
        const bent = p.map((h, j) => (j === p.length - 1 ? sha(h) : h));
        if (verifyInclusion(i, n, leaves[i]!, bent, root)) t.fail(`altered proof ${i} of ${n} accepted`);
      }
      if (n > 1 && verifyInclusion((i + 1) % n, n, leaves[i]!, p, root)) t.fail(`wrong index accepted ${i} of ${n}`);
      checked++;
    }
  }
  t.equal(checked, 820);
  t.notOk(verifyInclusion(5, 5, leaves[5]!, [], mth(data.slice(0, 5))), 'index outside the tree');
});

t.test('every consistency proof of trees up to 40 verifies, and fails when altered', async (t) => {
  let checked = 0;
  for (let n = 1; n <= 40; n++) {
    const rootN = mth(data.slice(0, n));
    for (let m = 1; m <= n; m++) {
      const rootM = mth(data.slice(0, m));
      const p = consistencyProof(m, n, subtree);
      if (!verifyConsistency(m, n, p, rootM, rootN)) t.fail(`consistency ${m} -> ${n}`);
      if (m < n && verifyConsistency(m, n, p, sha(rootM), rootN)) t.fail(`wrong old root accepted ${m} -> ${n}`);
      if (p.length > 0 && verifyConsistency(m, n, [...p.slice(0, -1), sha(p.at(-1)!)], rootM, rootN)) t.fail(`altered proof accepted ${m} -> ${n}`);
      checked++;
    }
  }
  t.equal(checked, 820);
  t.notOk(verifyConsistency(6, 5, [], mth(data.slice(0, 6)), mth(data.slice(0, 5))), 'a tree cannot shrink');
});

t.test('subtree hashes read from a real database match MTH, through stored nodes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-audit-merkle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'audit.db');
  const log = openAuditLog(path, { origin: 'ferry.gateway/merkle' });
  await Promise.all(Array.from({ length: 1100 }, (_, i) => log.append({ event: 'received', size: i })));
  await log.close();
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  const hashes = (db.prepare('SELECT hash FROM records ORDER BY seq').pluck().all() as string[]).map((h) => Buffer.from(h, 'hex'));
  const ref = (s: number, e: number): Buffer => mth(hashes.slice(s, e));
  t.equal(db.prepare('SELECT count(*) FROM tree_nodes').pluck().get(), 4 + 2 + 1, 'nodes for 4 blocks of 256, 2 of 512, 1 of 1024');
  const fromDb = dbSubtreeHash(db);
  for (const [s, e] of [[0, 1100], [0, 1024], [256, 512], [512, 1100], [1024, 1100], [300, 301], [0, 777]] as const) {
    t.ok(fromDb(s, e).equals(ref(s, e)), `MTH of leaves ${s}..${e - 1}`);
  }
  const p = consistencyProof(700, 1100, fromDb);
  t.ok(verifyConsistency(700, 1100, p, ref(0, 700), ref(0, 1100)), 'consistency proof from the database');
});
