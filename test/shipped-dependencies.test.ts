// Every package the shipped code loads is a production dependency: a package
// listed only under devDependencies is missing from an installed tarball, and
// the module that needs it fails there and only there (cfb did: every
// inspection of an installed gateway then failed).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { packageOf, undeclaredImports } from '../tools/shipped-imports.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

t.test('the built code imports only production dependencies', async (t) => {
  t.same(undeclaredImports(ROOT), [], 'nothing shipped needs a development dependency');
});

t.test('the check finds each form of import, and not the word "from" in a string', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'ferry-shipped-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'x', dependencies: { declared: '1' }, devDependencies: { a: '1', b: '1', c: '1', d: '1', e: '1' } }));
  await mkdir(join(root, 'dist', 'gateway'), { recursive: true });
  await mkdir(join(root, 'dist', 'test'), { recursive: true });
  await writeFile(join(root, 'dist', 'gateway', 'm.js'), [
    "import { one,",
    "  two } from 'a';",
    "import 'b/side-effect.js';",
    "export { three } from '@c/pkg/sub';",
    "const d = await import('d');",
    "const e = require('e');",
    "import { ok } from 'declared';",
    "import { fs } from 'node:fs';",
    "import { local } from './local.js';",
    "const s = `moved from 'somewhere' to there`;",
    "log('copied from \\'nowhere\\'');",
  ].join('\n'));
  await writeFile(join(root, 'dist', 'test', 'only-a-test.test.js'), "import t from 'tap';\n");
  const found = undeclaredImports(root).map((u) => u.pkg).sort();
  t.same(found, ['@c/pkg', 'a', 'b', 'd', 'e'], 'the five development-only packages, not the declared one, builtins, relative paths, strings or tests');
  t.equal(packageOf('@scope/name/deep/file.js'), '@scope/name');
  t.equal(packageOf('fs'), null, 'a builtin without node:');
});
