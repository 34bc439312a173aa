// Git packs and bundles (archives/git-pack.ts; eighth red team, F6: a `git bundle` of an ordinary repository
// was refused uninspectable). Repositories made by the real git; packs written by test code for what git
// would not write on request: a marking made only by applying a delta to its base, a thin pack, a cut one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import t from 'tap';
import { applyDelta } from '../gateway/inspect/archives/git-pack.js';
import { ID, MARK } from './evasion-fixtures.js';
import { inspectBytes, kinds } from './inspect-fixtures.js';

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const noGit = !hasGit() && 'git is not installed (apt-get install git)';

/** A repository of 60 small modules, each changed in 20 commits (git stores the changes as deltas), bundled. */
function bundle(dir: string, extra?: [string, string]): Buffer {
  const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b.cn', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b.cn' } });
  execFileSync('git', ['init', '-q', dir]);
  for (let i = 1; i <= 60; i++) writeFileSync(join(dir, `m${i}.js`), `// 模块 ${i}：统计报表\nfunction f${i}(x) {\n  return x * ${i} + 1;\n}\n${'// 说明：按月汇总各区县数据。\n'.repeat(20)}module.exports = f${i};\n`);
  if (extra) writeFileSync(join(dir, extra[0]), extra[1]);
  git('add', '-A');
  git('commit', '-qm', 'init');
  for (let r = 1; r <= 20; r++) {
    writeFileSync(join(dir, `m${r}.js`), `${readFileSync(join(dir, `m${r}.js`), 'utf8')}// rev ${r}\n`);
    git('commit', '-qam', `rev ${r}`);
  }
  git('gc', '-q');
  git('bundle', 'create', join(dir, 'all.bundle'), '--all');
  return readFileSync(join(dir, 'all.bundle'));
}

t.test('bundles made by git: an ordinary one crosses, a marked one is refused', { skip: noGit }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'ferry-git-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const clean = bundle(join(root, 'clean'));
  const r = await inspectBytes(clean, {}, { filename: 'stats.bundle' });
  t.same(kinds(r.findings), [], `an ordinary repository of ${clean.length} bytes, deltas and all`);
  const marked = bundle(join(root, 'marked'), ['notes.txt', `${MARK}\n人员名单：张三 身份证号 ${ID}\n`]);
  const m = await inspectBytes(marked, {}, { filename: 'stats.bundle' });
  t.ok(kinds(m.findings).includes('classified-marking:机密'), `the marking in a file of it (${kinds(m.findings).join(', ')})`);
  t.ok(kinds(m.findings).includes('personal-data:cn-resident-id'), 'and the id number');
});

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
/** An object's header: type and size (gitformat-pack). */
function objHead(type: number, size: number): Buffer {
  const out = [((type & 7) << 4) | (size & 0x0f)];
  let s = Math.floor(size / 16);
  while (s > 0) {
    out[out.length - 1]! |= 0x80;
    out.push(s & 0x7f);
    s = Math.floor(s / 128);
  }
  return Buffer.from(out);
}
const varint = (n: number): Buffer => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >= 128 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return Buffer.from(out);
};
/** A pack of the given objects (each its header and body, zlib'd), with its checksum. */
function pack(objects: Array<{ head: Buffer; body: Buffer }>, cut = 0): Buffer {
  const body = Buffer.concat([Buffer.from('PACK'), u32(2), u32(objects.length), ...objects.flatMap((o) => [o.head, zlib.deflateSync(o.body)])]);
  const whole = Buffer.concat([body, createHash('sha1').update(body).digest()]);
  return cut ? whole.subarray(0, whole.length - cut) : whole;
}

// The base blob ends in 机 and its delta copies it and inserts 密★10年: neither holds the marking, the file does.
const base = Buffer.from(`会议纪要\n${'各部门按时报送材料。\n'.repeat(30)}文件密级：机`);
const delta = Buffer.concat([varint(base.length), varint(base.length + Buffer.byteLength('密★10年')), Buffer.from([0x80 | 0x10 | 0x20, base.length & 0xff, base.length >> 8]), Buffer.from([Buffer.byteLength('密★10年')]), Buffer.from('密★10年')]);

t.test('a delta is applied to its base: a marking the object makes only then is found', async (t) => {
  t.equal(applyDelta(base, delta)?.toString().slice(-11), '文件密级：机密★10年', 'the delta applied');
  // An ofs-delta names its base by this object's offset minus the base's (the base is the first, after the 12-byte header).
  const baseAt = 12;
  const deltaAt = 12 + objHead(3, base.length).length + zlib.deflateSync(base).length;
  const ofs = deltaAt - baseAt;
  const off = Buffer.from(ofs < 128 ? [ofs] : [0x80 | ((ofs >> 7) - 1), ofs & 0x7f]);
  const real = pack([{ head: objHead(3, base.length), body: base }, { head: Buffer.concat([objHead(6, delta.length), off]), body: delta }]);
  const r = await inspectBytes(real, {}, { filename: 'pack-1.pack' });
  t.same(kinds(r.findings), ['classified-marking:机密'], 'the marking of the object the delta makes');
  const alone = await inspectBytes(pack([{ head: objHead(3, base.length), body: base }]), {}, { filename: 'pack-2.pack' });
  t.same(kinds(alone.findings), [], 'the base alone is clean');
});

t.test('a thin pack is uninspectable, a cut one broken', async (t) => {
  const thin = pack([{ head: Buffer.concat([objHead(7, delta.length), createHash('sha1').update('elsewhere').digest()]), body: delta }]);
  t.same(kinds((await inspectBytes(thin, {}, { filename: 'thin.pack' })).findings), ['uninspectable:application/x-git-pack'], 'a delta on a base not in the pack');
  const cut = pack([{ head: objHead(3, base.length), body: base }], 10);
  t.same(kinds((await inspectBytes(cut, {}, { filename: 'cut.pack' })).findings), ['archive-broken'], 'a pack cut in its checksum');
});

// review10: bounds before work. An object's declared size is checked before it is inflated, every byte made is
// spent from the transfer's expanded budget, and the zlib ratio limit holds an object (and the pack) as it holds a
// zip member. On main before the fix: the zero blob and the delta were clean, the 2^40 header archive-broken
// only after every byte of its stream was held in memory, the budget never spent.
t.test('a pack is held to the expanded budget and the ratio limit before it inflates', async (t) => {
  const zeros = Buffer.alloc(8 * 2 ** 20);
  const bomb = pack([{ head: objHead(3, zeros.length), body: zeros }]);
  t.same(kinds((await inspectBytes(bomb, {}, { filename: 'bomb.pack' })).findings), ['archive-limit:ratio'], `8 MiB of zeros from ${bomb.length} bytes`);
  // A header that declares 2^40 bytes: refused before its stream is inflated, not after.
  const huge = pack([{ head: objHead(3, 2 ** 40), body: Buffer.alloc(2 ** 20) }]);
  t.same(kinds((await inspectBytes(huge, {}, { filename: 'huge.pack' })).findings), ['archive-limit:expanded-size'], 'a declared size past what a pack holds');
  // Prose that compresses some 3 times (no ratio): over a 512 KiB budget by its declared size, and by bytes spent across objects.
  const words = ['报表', '统计', '区县', '汇总', '数据', '月度', '材料', '部门', 'report', 'total', 'county', 'month', '审核', '通知', '会议'];
  const text = (n: number, seed: number): Buffer => {
    let x = seed;
    const parts: string[] = [];
    let len = 0;
    while (len < n) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const w = `${words[x % words.length]!}${x % 7 === 0 ? '。\n' : ' '}`;
      parts.push(w);
      len += Buffer.byteLength(w);
    }
    return Buffer.from(parts.join('')).subarray(0, n);
  };
  const budget = { limits: { maxExpandedBytes: 512 * 1024 } };
  const one = text(600 * 1024, 1);
  const r1 = await inspectBytes(pack([{ head: objHead(3, one.length), body: one }]), budget, { filename: 'one.pack' });
  t.same(kinds(r1.findings), ['archive-limit:expanded-size'], 'one object declared past the budget');
  const three = [2, 3, 4].map((i) => text(200 * 1024, i));
  const r3 = await inspectBytes(pack(three.map((b) => ({ head: objHead(3, b.length), body: b }))), budget, { filename: 'three.pack' });
  t.same(kinds(r3.findings), ['archive-limit:expanded-size'], 'three objects that together pass the budget');
  const fits = await inspectBytes(pack(three.slice(0, 2).map((b) => ({ head: objHead(3, b.length), body: b }))), budget, { filename: 'two.pack' });
  t.same(kinds(fits.findings), [], 'two of them fit');
  // A delta of a kilobyte copying a 64 KiB base 1,000 times: 64 MiB from a pack of a few hundred bytes.
  const base64k = Buffer.alloc(0x10000, 0x41);
  const amp = Buffer.concat([varint(base64k.length), varint(1000 * 0x10000), Buffer.alloc(1000, 0x80)]);
  const first = objHead(3, base64k.length).length + zlib.deflateSync(base64k).length;
  const ampPack = pack([{ head: objHead(3, base64k.length), body: base64k }, { head: Buffer.concat([objHead(6, amp.length), Buffer.from(first < 128 ? [first] : [0x80 | ((first >> 7) - 1), first & 0x7f])]), body: amp }]);
  t.same(kinds((await inspectBytes(ampPack, {}, { filename: 'amp.pack' })).findings), ['archive-limit:ratio'], `a delta making 64 MiB from a pack of ${ampPack.length} bytes`);
  // A delta cut inside a copy's offset bytes does not fit its base.
  const cutCopy = Buffer.concat([varint(base.length), varint(4), Buffer.from([0x80 | 0x0f])]);
  t.equal(applyDelta(base, cutCopy), null, 'a copy cut short');
});
