// Ninth red team, W2 (git-patch-fixtures.ts): git binary patches decoded and their hunks read (decodings/git-patch-reader.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { gitPatchCleanSamples, gitPatchSamples, pngPicture } from './git-patch-fixtures.js';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { requires } from './helpers/requires.js';

t.setTimeout(180_000);

t.test('W2: files in git binary patches are decoded and read', (t) => expectFound(t, gitPatchSamples()));
t.test('W2: ordinary binary patches stay clean', (t) => expectClean(t, gitPatchCleanSamples()));

t.test('W2: patches written by git itself', { skip: requires('git') }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-git-patch-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b.cn', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b.cn' };
  const git = (...a: string[]): Buffer => execFileSync('git', ['-C', dir, ...a], { env });
  git('init', '-q');
  writeFileSync(join(dir, 'logo.png'), pngPicture(64, 64, 1));
  writeFileSync(join(dir, 'table.bin'), Buffer.from(`季度报表\n${'一月,123,456\n'.repeat(200)}\u0000`));
  git('add', '-A');
  git('commit', '-qm', 'init');
  // An ordinary change: a new picture, a table with a row changed (git writes it as a delta).
  writeFileSync(join(dir, 'logo.png'), pngPicture(64, 64, 2));
  writeFileSync(join(dir, 'table.bin'), Buffer.from(`季度报表\n${'一月,123,456\n'.repeat(100)}二月,789,012\n${'一月,123,456\n'.repeat(99)}\u0000`));
  const clean = git('diff', '--binary');
  t.match(clean.toString('latin1'), /GIT binary patch\n(?:literal|delta) /, 'git wrote a binary patch');
  const r = await inspectBytes(clean, {}, { filename: 'update.patch' });
  t.same(kinds(r.findings), [], `an ordinary binary patch of ${clean.length} bytes is clean`);
  writeFileSync(join(dir, 'table.bin'), Buffer.from(`季度报表\n${'一月,123,456\n'.repeat(100)}机密★10年\n${'一月,123,456\n'.repeat(99)}\u0000`));
  const marked = git('diff', '--binary');
  t.match(marked.toString('latin1'), /GIT binary patch\ndelta /, 'git wrote the change as a delta');
  const m = await inspectBytes(marked, {}, { filename: 'update.patch' });
  t.ok(kinds(m.findings).includes('classified-marking:机密'), `the marking inserted by git's delta (${kinds(m.findings).join(', ')})`);
});
