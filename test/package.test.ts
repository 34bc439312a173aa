// `npm run package` makes a tarball that installs into an empty directory with
// no network and without npm, and runs from there: --help and the demo. The
// tarball is built once for the whole file.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { isSystemLibrary, sharedLibraries } from '../tools/bundled-node.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = await mkdtemp(join(tmpdir(), 'ferry-package-test-'));
t.teardown(() => rm(work, { recursive: true, force: true }));

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeout = 240_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

// No network, no npm and no Node.js: a proxy that points nowhere, an `npm`
// that only records that it was called, and a PATH of the few system tools
// install.sh and the launcher use, without node (the bundled one must do).
const fakeBin = join(work, 'fake-bin');
const tools = join(work, 'tools-without-node');
await mkdir(tools);
for (const tool of ['sh', 'cp', 'rm', 'mkdir', 'ln', 'dirname', 'readlink', 'sed', 'id', 'getent', 'tar', 'gzip', 'cat', 'chmod', 'ls', 'env', 'uname']) {
  const found = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
  if (found) await symlink(found, join(tools, tool));
}
await mkdir(fakeBin);
const npmCalled = join(work, 'npm-was-called');
for (const tool of ['npm', 'npx', 'node-gyp']) {
  await writeFile(join(fakeBin, tool), `#!/bin/sh\necho "$0 $*" >> ${npmCalled}\nexit 97\n`);
  await chmod(join(fakeBin, tool), 0o755);
}
const offline: NodeJS.ProcessEnv = {
  PATH: `${fakeBin}:${tools}`, HOME: work, LANG: 'C',
  http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9',
  npm_config_offline: 'true',
};

// --fast: gzip -1, the same contents for less than half the compression's CPU (tools/package.ts).
const built = await run(process.execPath, [join(ROOT, 'dist', 'tools', 'package.js'), '--out', join(work, 'out'), '--fast'], { ...process.env, PATH: process.env.PATH });
const tarball = built.stdout.trim();

t.test('the tarball holds the built code, production dependencies with their native parts, the launcher and the unit', async (t) => {
  t.equal(built.code, 0, built.stderr);
  t.match(tarball, /ferry-0\.1\.0-linux-x64\.tar\.gz$/);
  const list = await run('tar', ['-tzf', tarball], offline);
  const entries = list.stdout.split('\n');
  const has = (p: string) => entries.includes(`ferry-0.1.0-linux-x64/${p}`);
  t.ok(has('dist/bin/ferry.js'), 'the built code');
  t.ok(has('bin/ferry'), 'the launcher');
  t.ok(has('install.sh'), 'the install script');
  t.ok(has('systemd/ferry-gateway@.service'), 'the systemd unit');
  t.ok(has('node/bin/node'), 'Node.js itself');
  t.ok(has('node/LICENSE'), "and Node.js's licence");
  // Every library node links that is not the base system's is bundled beside it.
  const own = sharedLibraries(process.execPath).filter((l) => !isSystemLibrary(l.name)).map((l) => l.name);
  for (const lib of own) t.ok(has(`node/lib/${lib}`), `${lib} bundled`);
  t.equal(entries.some((e) => e.includes('/node/lib/')), own.length > 0, 'node/lib exactly when node links more than the base system');
  t.ok(has('node_modules/better-sqlite3/build/Release/better_sqlite3.node'), "better-sqlite3's compiled addon");
  t.ok(has('node_modules/sodium-native/prebuilds/linux-x64/'), "sodium-native's linux-x64 build");
  t.notOk(entries.some((e) => /\/prebuilds\/(darwin|win32|android)/.test(e)), 'no other platform');
  t.notOk(entries.some((e) => /node_modules\/(tap|typescript|@types)\//.test(e)), 'no development dependency');
  t.notOk(entries.some((e) => /\/dist\/test\//.test(e)), 'no tests');
});

t.test('installed offline into an empty directory, ferry runs: --help and the demo', async (t) => {
  const unpacked = join(work, 'unpacked');
  await mkdir(unpacked);
  t.equal((await run('tar', ['-xzf', tarball, '-C', unpacked], offline)).code, 0);
  const prefix = join(work, 'empty-prefix');
  await mkdir(prefix);
  const install = await run(join(unpacked, 'ferry-0.1.0-linux-x64', 'install.sh'), ['--prefix', prefix, '--no-systemd'], offline);
  t.equal(install.code, 0, install.stderr);
  const ferry = join(prefix, 'bin', 'ferry');
  t.ok((await stat(ferry)).isFile(), 'ferry is in <prefix>/bin');
  t.not((await run('sh', ['-c', 'command -v node'], offline)).code, 0, 'no node on the PATH the install and the demo run with');

  // The unpacked copy is gone: the install stands on its own.
  await rm(unpacked, { recursive: true, force: true });
  const help = await run(ferry, ['--help'], offline);
  t.equal(help.code, 0, help.stderr);
  t.match(help.stdout, /^Usage: ferry \[options\] \[command\]/);
  const demo = await run(ferry, ['demo'], offline);
  t.equal(demo.code, 0, demo.stderr);
  t.match(demo.stdout, /The audit log, verified/);
  t.match(demo.stdout, /ok: \d+ records/);
  // The installed copy inspects: an inspector that cannot load refuses everything as uninspected.
  t.match(demo.stdout, /notice\.txt\s+extranet\/portal\s+public\s+202 accepted/, 'the public notice is inspected and accepted');
  t.match(demo.stdout, /minutes\.txt.*classified-marking/, 'the marked minutes are refused for their marking');
  t.notMatch(demo.stdout, /inspection-limit/, 'nothing refused for want of an inspector');
  await t.rejects(stat(npmCalled), 'npm was never invoked');

  // A package missing from an installation is said, not waited out: the inspector
  // that needs it fails at once, `ferry inspect` exits 2 and names the package.
  await rm(join(prefix, 'lib', 'ferry', 'node_modules', 'cfb'), { recursive: true, force: true });
  const sample = join(work, 'sample.txt');
  await writeFile(sample, 'an ordinary line\n');
  const broken = await run(ferry, ['inspect', sample], offline, 60_000);
  t.equal(broken.code, 2, 'the inspector failed: exit 2');
  t.match(broken.stdout, /inspection-limit:worker.*Cannot find package 'cfb'/, 'the finding names what is missing');
});

t.test('the unit runs as a dedicated user with only the data directory writable', async (t) => {
  const unit = await readFile(join(ROOT, 'packaging', 'ferry-gateway@.service'), 'utf8');
  t.match(unit, /^User=ferry$/m);
  t.match(unit, /^ProtectSystem=strict$/m);
  t.match(unit, /^ReadWritePaths=\/var\/lib\/ferry\/%i$/m);
  t.same(unit.match(/^ReadWritePaths=.*$/gm), ['ReadWritePaths=/var/lib/ferry/%i'], 'one writable path');
  t.match(unit, /^StateDirectory=ferry\/%i$/m);
  t.match(unit, /^ExecStart=@LIB@\/bin\/ferry gateway --config \/etc\/ferry\/%i\.yaml$/m);
  t.match(unit, /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m, 'reload is SIGHUP');
  t.match(unit, /^RestartPreventExitStatus=2$/m, 'a configuration error is not restarted in a loop');
  t.match(unit, /^NoNewPrivileges=true$/m);
  t.match(unit, /^CapabilityBoundingSet=$/m);
  const installSh = await readFile(join(ROOT, 'packaging', 'install.sh'), 'utf8');
  t.match(installSh, /useradd --system .* ferry/, 'install.sh makes the ferry user');
  t.notMatch(installSh, /\bnpm\b(?! is not run)/, 'install.sh never calls npm');
  t.same((await readdir(join(ROOT, 'packaging'))).sort(), ['ferry', 'ferry-gateway@.service', 'install.sh']);
});
