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
