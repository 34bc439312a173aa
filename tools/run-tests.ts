// npm test — runs tap, then lists the tests skipped because a system service
// is missing (test/helpers/requires.ts records them in FERRY_SKIP_LOG).
// `--fail-on-skip` (used by .ci/run) makes any such skip a failure, so CI
// always runs everything. Other arguments go to tap.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const failOnSkip = args.includes('--fail-on-skip');
const tapArgs = args.filter((a) => a !== '--fail-on-skip');

// Read by node before tap's own --import flags: see test/helpers/untracked-modules.ts.
const untracked = `--import="${pathToFileURL(join(ROOT, 'dist', 'test', 'helpers', 'untracked-modules.js')).href}"`;
const nodeOptions = [process.env.NODE_OPTIONS, untracked].filter(Boolean).join(' ');

// tap rebuilds itself when package.json's plugin list differs from the one it was built with, but the run
// that rebuilds still starts every test file with the old list's loaders (TypeScript and mock: about a
// second of CPU per file, minutes over the suite). A fresh clone's first `npm test` did: build first.
// (Read from the built module's text: importing @tapjs/test outside a tap run fails on its import cycle.)
let built = new Set<string>();
try {
  const text = readFileSync(join(ROOT, 'node_modules', '@tapjs', 'test', 'test-built', 'dist', 'esm', 'index.js'), 'utf8');
  built = new Set((/export const signature = `([^`]*)`/.exec(text)?.[1] ?? '').split('\n'));
} catch {
  // no built tap here: tap builds itself
}
const wanted = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { tap?: { plugin?: string[] } }).tap?.plugin ?? [];
if (built.size > 1 && wanted.some((p) => (p.startsWith('!') ? built.has(p.slice(1)) : !built.has(p)))) {
  spawnSync('tap', ['build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` } });
}

const dir = mkdtempSync(join(tmpdir(), 'ferry-skips-'));
const log = join(dir, 'skipped.txt');

const status = await new Promise<number>((resolve) => {
  const child = spawn('tap', tapArgs, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: nodeOptions, FERRY_SKIP_LOG: log, PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` },
  });
  child.once('error', (e) => {
    process.stderr.write(`cannot run tap: ${e.message}\n`);
    resolve(1);
  });
  child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});

let skipped: string[] = [];
try {
  skipped = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))].sort();
} catch {
  // no skip was recorded
}
rmSync(dir, { recursive: true, force: true });

if (skipped.length) {
  process.stdout.write(`\nSkipped, a system service is missing (${skipped.length}):\n${skipped.map((s) => `  ${s}\n`).join('')}`);
  if (failOnSkip) process.stdout.write('Skips are failures here (--fail-on-skip): install the services above.\n');
} else {
  process.stdout.write('\nNo test was skipped for a missing service.\n');
}
process.exitCode = status !== 0 ? status : failOnSkip && skipped.length ? 1 : 0;
