// A git pack's .idx (archives/git-pack-index.ts): its SHA-1 names and CRCs are random by nature, and an index of
// a few thousand objects was refused `uninspectable`. Held to its layout whole (fanout, names in order in their
// buckets, a pack's offsets, its own SHA-1), it is not judged by entropy; cipher text in its tables, a wrong
// checksum, bytes after it, or offsets no pack has leave it judged as before, and refused.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { encrypted } from './media-fixtures.js';

const IDX = { filename: 'pack-1.idx' };
const sha1 = (b: Buffer | string): Buffer => createHash('sha1').update(b).digest();

/** The .idx git writes for a repository of n blobs of ordinary text (git fast-import), or null without git. */
function gitIndex(n: number): Buffer | null {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-idx-'));
  try {
    execFileSync('git', ['init', '-q', '--bare', dir]);
    const stream = Array.from({ length: n }, (_, i) => {
      const data = Buffer.from(`// 模块 ${i}：统计报表，按月汇总各区县数据。\nexport const total${i} = ${i * 37} + ${i % 11};\n`);
      return `blob\ndata ${data.length}\n${data.toString('latin1')}\n`;
    }).join('');
    execFileSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: Buffer.from(stream, 'latin1') });
    const pack = join(dir, 'objects', 'pack');
    const idx = readdirSync(pack).find((f) => f.endsWith('.idx'));
    return idx ? readFileSync(join(pack, idx)) : null;
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Built {
  names?: Buffer[];
  offsets?: bigint[];
  crcs?: Buffer;
  /** Corrupt the index's own checksum. */
  badSum?: boolean;
}

/** An index of version 2 as git writes it, for n objects of 30 to 500 bytes (the last `large` of them past 2 GiB). */
function builtIndex(n: number, large = 0, o: Built = {}): Buffer {
  const names = o.names ?? Array.from({ length: n }, (_, i) => sha1(`blob ${i}`)).sort(Buffer.compare);
  let at = 12n;
  const offsets = o.offsets ?? names.map((_, i) => {
    const v = i >= n - large ? 2n ** 31n + at : at;
    at += BigInt(30 + ((i * 7919) % 470));
    return v;
  });
  const fanout = Buffer.alloc(1024);
  for (let b = 0; b < 256; b++) fanout.writeUInt32BE(names.filter((x) => x[0]! <= b).length, b * 4);
  const small = Buffer.alloc(4 * n);
  const big: Buffer[] = [];
  offsets.forEach((v, i) => {
    if (v < 2n ** 31n) small.writeUInt32BE(Number(v), i * 4);
    else {
      small.writeUInt32BE((0x80000000 | big.length) >>> 0, i * 4);
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(v);
      big.push(b);
    }
  });
  const crcs = o.crcs ?? Buffer.concat(names.map((x) => sha1(x).subarray(0, 4)));
  const body = Buffer.concat([Buffer.from('ff744f6300000002', 'hex'), fanout, ...names, crcs, small, ...big, sha1('the pack')]);
  const sum = sha1(body);
  if (o.badSum) sum[0]! ^= 1;
  return Buffer.concat([body, sum]);
}

t.test('an ordinary index is clean', async (t) => {
  const cases: Array<[string, Buffer | null]> = [
    ['an index git wrote for 4,000 blobs', gitIndex(4000)],
    ['an index of 10,000 objects', builtIndex(10000)],
    ['an index of 10,000 objects, the last 40 past 2 GiB', builtIndex(10000, 40)],
  ];
  for (const [name, body] of cases) {
    if (!body) {
      t.comment(`${name}: git is not installed`);
      continue;
    }
    t.same(kinds((await inspectBytes(body, {}, IDX)).findings), [], name);
    t.same(kinds((await inspectChunks(chunksOf(body, 1000), {}, IDX)).findings), [], `${name}, in chunks of 1,000 bytes`);
  }
});

t.test('an index that does not hold to its layout is judged as before', async (t) => {
  const n = 10000;
  const cipher = encrypted(28 * n);
  const sortedCipher = Array.from({ length: n }, (_, i) => cipher.subarray(i * 20, i * 20 + 20)).sort(Buffer.compare);
  const cases: Array<[string, Buffer]> = [
    ['cipher text after the fanout', Buffer.concat([builtIndex(n).subarray(0, 1032), cipher])],
    ['cipher text as names (sorted), CRCs and offsets', builtIndex(n, 0, { names: sortedCipher, crcs: cipher.subarray(20 * n, 24 * n), offsets: Array.from({ length: n }, (_, i) => BigInt(cipher.readUInt32BE(24 * n + 4 * (i % 2000)) & 0x7fffffff)) })],
    ['offsets no pack has (none at 12)', builtIndex(n, 0, { offsets: Array.from({ length: n }, (_, i) => 100n + BigInt(i) * 64n) })],
    ['a wrong checksum', builtIndex(n, 0, { badSum: true })],
    ['cipher text after the index', Buffer.concat([builtIndex(n), encrypted(60000)])],
  ];
  for (const [name, body] of cases) {
    t.same(kinds((await inspectBytes(body, {}, IDX)).findings), ['uninspectable:application/octet-stream'], name);
    t.same(kinds((await inspectChunks(chunksOf(body, 999), {}, IDX)).findings), ['uninspectable:application/octet-stream'], `${name}, in chunks of 999 bytes`);
  }
});
