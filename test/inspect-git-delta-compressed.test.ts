// A git binary delta of a compressed file (the closing note of 2 Dec, false refusals): a picture or an archive
// changed in part is written by git as a delta whose inserts are compressed bytes, random by nature and not to be
// inflated without the base (the receiver's file); the inserts were refused uninspectable. For a file the patch's
// `diff --git` line names as compressed (.png, .gz, .zip, office zips…), the inserts are read as text and not
// judged by their entropy while the delta takes more of the result from the base than it writes of its own
// (git-patch-reader.ts). Still refused: random inserts that make up most of the result (a file in disguise), and a
// delta of a file named as anything else; a marking or an id in the inserts is still found.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCipheriv } from 'node:crypto';
import zlib from 'node:zlib';
import t from 'tap';
import { delta, gitChange, pngChunk, pngPicture } from './git-patch-fixtures.js';
import { inspectBytes, kinds, residentId } from './inspect-fixtures.js';
import { requires } from './helpers/requires.js';

t.setTimeout(180_000);

/** A picture changed by a compressed chunk put before its IEND: the delta copies the picture and inserts the chunk. */
function pictureChange(name: string, inserted: Buffer): Buffer {
  const old = pngPicture(96, 96, 3);
  const end = old.length - 12;
  const d = delta(old.length, [{ copy: [0, end] }, { insert: inserted }, { copy: [end, 12] }]);
  return gitChange(name, old, d, old.length + inserted.length);
}

/** A .gz log with a member appended (gzip members concatenate): the delta copies the old file and inserts the new member. */
function gzChange(name: string): Buffer {
  const old = zlib.gzipSync(Buffer.from(Array.from({ length: 3000 }, (_, i) => `2026-12-02 08:${String(i % 60).padStart(2, '0')} request ${i * 7919} ok ${Math.sin(i)}\n`).join('')));
  const member = zlib.gzipSync(Buffer.from(Array.from({ length: 600 }, (_, i) => `2026-12-02 09:${String(i % 60).padStart(2, '0')} request ${i * 104729} ok ${Math.cos(i)}\n`).join('')));
  return gitChange(name, old, delta(old.length, [{ copy: [0, old.length] }, { insert: member }]), old.length + member.length);
}

const secret = (n: number): Buffer => createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16)).update(Buffer.alloc(n));
/** A second image's pixels, compressed, as an ancillary chunk (some 12 KiB of deflate: random by any judge). */
const itxt = (): Buffer => pngChunk('prVw', pngPicture(64, 64, 9).subarray(41));
const PATCH = { filename: 'update.patch' };

t.test('a delta of a compressed file that inserts compressed bytes is clean', async (t) => {
  t.same(kinds((await inspectBytes(pictureChange('assets/logo.png', itxt()), {}, PATCH)).findings), [], 'a .png with a compressed chunk added');
  t.same(kinds((await inspectBytes(pictureChange('报告/插图.jpg', itxt()), {}, PATCH)).findings), [], 'the same change of a .jpg');
  t.same(kinds((await inspectBytes(gzChange('logs/access.log.gz'), {}, PATCH)).findings), [], 'a .gz with a member appended');
});

t.test('random inserts that make up most of the result, or a file not named compressed, stay refused; text in the inserts is read', async (t) => {
  const old = pngPicture(32, 32, 5);
  const disguise = gitChange('photo.png', old, delta(old.length, [{ copy: [0, 33] }, { insert: secret(8192) }]), 33 + 8192);
  t.ok(kinds((await inspectBytes(disguise, {}, PATCH)).findings).includes('uninspectable:application/octet-stream'), 'a .png whose delta is mostly cipher text');
  t.ok(kinds((await inspectBytes(pictureChange('data.bin', itxt()), {}, PATCH)).findings).includes('uninspectable:application/octet-stream'), 'the same delta of a file named .bin');
  const marked = pictureChange('logo.png', pngChunk('tEXt', Buffer.from('Comment\0机密★10年 关于年度工作的通知')));
  t.ok(kinds((await inspectBytes(marked, {}, PATCH)).findings).includes('classified-marking:机密'), 'a marking inserted in a .png');
  // An insert over 127 bytes is written as several; the marking across two of them is one run of the result.
  const across = Buffer.from(`${'x'.repeat(125)}机密★10年 关于年度工作的通知`);
  const memo = Buffer.from('关于年度工作的通知\n请各处室按时报送材料。\n\u0000'.repeat(8));
  const split = gitChange('memo.bin', memo, delta(memo.length, [{ copy: [0, 40] }, { insert: across }, { copy: [40, memo.length - 40] }]), memo.length + across.length);
  t.ok(kinds((await inspectBytes(split, {}, PATCH)).findings).includes('classified-marking:机密'), 'a marking across two inserts');
  const id = pictureChange('logo.png', Buffer.concat([itxt(), pngChunk('tEXt', Buffer.from(`Author\0${residentId('440305', '19900307', '457')}`))]));
  t.ok(kinds((await inspectBytes(id, {}, PATCH)).findings).includes('personal-data:cn-resident-id'), 'an id inserted beside compressed bytes');
});

t.test('a picture changed in part, as git writes it', { skip: requires('git') }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-git-delta-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b.cn', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b.cn' };
  const git = (...a: string[]): Buffer => execFileSync('git', ['-C', dir, ...a], { env });
  git('init', '-q');
  const old = pngPicture(128, 128, 4);
  writeFileSync(join(dir, 'map.png'), old);
  git('add', '-A');
  git('commit', '-qm', 'init');
  writeFileSync(join(dir, 'map.png'), Buffer.concat([old.subarray(0, old.length - 12), itxt(), old.subarray(old.length - 12)]));
  const patch = git('diff', '--binary');
  t.match(patch.toString('latin1'), /GIT binary patch\ndelta /, 'git wrote a delta');
  t.same(kinds((await inspectBytes(patch, {}, PATCH)).findings), [], 'clean');
});

t.test("a delta's copies vouch for its inserts only as a delta git applies, each byte of the base once", async (t) => {
  const old = pngPicture(32, 32, 5);
  // A copy of 64 KiB is a few bytes (one, 0x80, in git's own form): repeated, the copies outweighed any inserts.
  const repeated = delta(65536, [...Array.from({ length: 20 }, () => ({ copy: [0, 65536] as [number, number] })), { insert: secret(100_000) }]);
  t.ok(kinds((await inspectBytes(gitChange('photo.png', old, repeated, 20 * 65536 + 100_000), {}, PATCH)).findings).includes('uninspectable:application/octet-stream'), 'the same 64 KiB of the base copied 20 times');
  // git's patch_delta refuses a copy past the base's size: no delta git applies.
  const past = delta(old.length, [{ copy: [0, 1_000_000] }, { insert: secret(100_000) }]);
  t.ok(kinds((await inspectBytes(gitChange('photo.png', old, past, 1_100_000), {}, PATCH)).findings).includes('uninspectable:application/octet-stream'), 'a copy past the base');
  // The base copied once, whole, and as much again inserted after it: still a change of the base's size at most.
  const base = 70_000;
  const once = delta(base, [{ copy: [0, base] }, { insert: secret(base + 1000) }]);
  t.ok(kinds((await inspectBytes(gitChange('photo.png', old, once, 2 * base + 1000), {}, PATCH)).findings).includes('uninspectable:application/octet-stream'), 'more inserted than the whole base');
  const less = delta(base, [{ copy: [0, base] }, { insert: secret(base - 1000) }]);
  t.same(kinds((await inspectBytes(gitChange('photo.png', old, less, 2 * base - 1000), {}, PATCH)).findings), [], 'less inserted than the base copied once: the bound, not refused');
});
