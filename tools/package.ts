// npm run package — a self-contained tarball for linux-x64 that installs with
// no network: the built code, the production dependencies as installed here
// (native ones already compiled: better-sqlite3's addon, sodium-native's
// linux-x64 prebuild), Node.js itself (node/: the binary that runs this tool,
// see bundled-node.ts), the `ferry` launcher, the systemd unit and install.sh.
// Usage: node dist/tools/package.js [--out DIR] [--fast]   (prints the tarball's path)
// --fast compresses with gzip -1 instead of gzip's default -6: the same
// contents, a tarball about a tenth larger, for less than half the CPU
// (test/package.test.ts, which unpacks it at once, uses it).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleNode } from './bundled-node.js';
import { undeclaredImports } from './shipped-imports.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PLATFORM = 'linux-x64';

interface PackageJson { name: string; version: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; engines?: unknown; license?: string; description?: string; type?: string; bin?: unknown }

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Where Node would find `name` from a package in `from`: the nearest node_modules up the tree. */
function resolvePackageDir(name: string, from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === ROOT || dirname(dir) === dir) return null;
  }
}

/** The production dependency closure: every package directory Node may load at run time. */
function productionPackages(): Set<string> {
  const seen = new Set<string>();
  const queue: Array<{ name: string; from: string; optional: boolean }> = [];
  const push = (pkg: PackageJson, from: string): void => {
    for (const name of Object.keys(pkg.dependencies ?? {})) queue.push({ name, from, optional: false });
    for (const name of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name, from, optional: true });
  };
  push(readPackage(ROOT), ROOT);
  while (queue.length) {
    const { name, from, optional } = queue.shift()!;
    const dir = resolvePackageDir(name, from);
    if (!dir) {
      if (optional) continue; // an optional dependency not installed for this platform
      throw new Error(`package: ${name} (needed by ${relative(ROOT, from) || 'ferry'}) is not installed; run npm ci first`);
    }
    if (seen.has(dir)) continue;
    seen.add(dir);
    push(readPackage(dir), dir);
  }
  return seen;
}

/** What of a dependency is not needed to run: build intermediates, sources, other platforms' binaries, source maps. */
function keep(src: string): boolean {
  const p = src.split(sep).join('/');
  if (/\.map$/.test(p)) return false;
  if (/\/better-sqlite3\/(deps|src)(\/|$)/.test(p)) return false;
  if (/\/better-sqlite3\/build\/Release\/(obj|obj\.target|\.deps|test_extension\.node|sqlite3\.a)(\/|$)/.test(p)) return false;
  if (/\/better-sqlite3\/build\/(?!Release(\/|$))/.test(p)) return false;
  const prebuild = /\/prebuilds\/([^/]+)(\/|$)/.exec(p);
  if (prebuild && prebuild[1] !== PLATFORM) return false;
  return true;
}

function main(): void {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outDir = outIndex >= 0 ? args[outIndex + 1]! : ROOT;
  const fast = args.includes('--fast');
  const pkg = readPackage(ROOT);
  const name = `ferry-${pkg.version}-${PLATFORM}`;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`package: run on linux-x64 (the Node.js that runs this tool goes into the tarball), not ${process.platform}-${process.arch}`);
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major < 20 || (major === 20 && minor < 18)) throw new Error(`package: run with Node.js 20.18 or later (it goes into the tarball), not ${process.versions.node}`);
  if (!existsSync(join(ROOT, 'dist', 'bin', 'ferry.js'))) throw new Error('package: build first (npm run build)');
  if (!existsSync(join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))) {
    throw new Error('package: better-sqlite3 has no compiled addon; run npm ci (or npm rebuild better-sqlite3) first');
  }
  const undeclared = undeclaredImports(ROOT);
  if (undeclared.length) {
    throw new Error(`package: the shipped code imports packages that are not production dependencies (an installed copy could not load them): ${undeclared.map((u) => `${u.pkg} (${relative(ROOT, u.file)})`).join(', ')}; move them to "dependencies" in package.json`);
  }
  const stage = mkdtempSync(join(tmpdir(), 'ferry-package-'));
  try {
    const top = join(stage, name);
    mkdirSync(top);
    // The built code, without the tests and benchmarks.
    cpSync(join(ROOT, 'dist'), join(top, 'dist'), { recursive: true, filter: (s) => !/[/\\]dist[/\\](test|bench)([/\\]|$)/.test(s) && !s.endsWith('.map') });
    // Files the code reads beside itself (import.meta.url): example policy, built-in topologies, the simulator's test signature.
    cpSync(join(ROOT, 'policies', 'examples'), join(top, 'policies', 'examples'), { recursive: true });
    cpSync(join(ROOT, 'simulator', 'topologies'), join(top, 'simulator', 'topologies'), { recursive: true });
    mkdirSync(join(top, 'test', 'fixtures', 'clamav'), { recursive: true });
    copyFileSync(join(ROOT, 'test', 'fixtures', 'clamav', 'ferry-test.ndb'), join(top, 'test', 'fixtures', 'clamav', 'ferry-test.ndb'));
    cpSync(join(ROOT, 'docs'), join(top, 'docs'), { recursive: true });
    copyFileSync(join(ROOT, 'README.md'), join(top, 'README.md'));
    for (const dir of productionPackages()) {
      cpSync(dir, join(top, relative(ROOT, dir)), { recursive: true, filter: keep });
    }
    const { name: n, version, description, license, type, engines, dependencies, optionalDependencies } = pkg;
    writeFileSync(join(top, 'package.json'), JSON.stringify({ name: n, version, description, license, type, engines, bin: { ferry: 'bin/ferry' }, dependencies, optionalDependencies }, null, 2) + '\n');
    const node = bundleNode(top);
    if (node.libraries.length) process.stderr.write(`package: node links ${node.libraries.join(', ')}; bundled in node/lib\n`);
    mkdirSync(join(top, 'bin'));
    copyFileSync(join(ROOT, 'packaging', 'ferry'), join(top, 'bin', 'ferry'));
    chmodSync(join(top, 'bin', 'ferry'), 0o755);
    mkdirSync(join(top, 'systemd'));
    copyFileSync(join(ROOT, 'packaging', 'ferry-gateway@.service'), join(top, 'systemd', 'ferry-gateway@.service'));
    copyFileSync(join(ROOT, 'packaging', 'install.sh'), join(top, 'install.sh'));
    chmodSync(join(top, 'install.sh'), 0o755);
    mkdirSync(outDir, { recursive: true });
    const tarball = join(outDir, `${name}.tar.gz`);
    const tar = spawnSync('tar', [...(fast ? ['--use-compress-program=gzip -1', '-cf'] : ['-czf']), tarball, '--owner=0', '--group=0', '-C', stage, name], { stdio: 'inherit' });
    if (tar.status !== 0) throw new Error(`package: tar failed (${tar.status ?? tar.signal})`);
    process.stdout.write(`${tarball}\n`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

main();
