import { spawnSync } from 'node:child_process';
import { accessSync, appendFileSync, constants, readdirSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';

// A test that needs a system service runs when the service is present and is
// otherwise skipped with one line naming the service and how to install it:
//
//   t.test('…', { skip: requires('clamd') }, async (t) => { … });
//
// Each skip is also appended to the file named by FERRY_SKIP_LOG, which
// `npm test` (tools/run-tests.ts) sets, lists at the end and CI fails on.

// Tools that make samples as real programs make them (gpg, dpkg-deb, gcc and ar, pygments) are asked for the same way.
export type Service = 'clamd' | 'chromium' | 'nginx' | 'netns' | 'postgres' | 'sqlite3' | 'gpg' | 'dpkg-deb' | 'gcc' | 'pygments' | 'git';

/** The clamd binary the tests start; FERRY_CLAMD overrides it (e.g. to test the skip path). */
export const CLAMD_BIN = process.env.FERRY_CLAMD ?? '/usr/sbin/clamd';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(...names: string[]): boolean {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  return names.some((n) => dirs.some((d) => d && executable(join(d, n))));
}

function postgresBinary(): boolean {
  if (onPath('postgres', 'pg_ctl')) return true;
  try {
    return readdirSync('/usr/lib/postgresql').some((v) => executable(join('/usr/lib/postgresql', v, 'bin', 'postgres')));
  } catch {
    return false;
  }
}

/** The python3 on PATH (a pyenv one, say) and Debian's, where apt-get installs python3-pygments. */
export const PYTHONS = ['python3', '/usr/bin/python3'];

const CHECKS: Record<Service, () => string | undefined> = {
  clamd: () => (executable(CLAMD_BIN) ? undefined : `clamd not installed (${CLAMD_BIN}): apt-get install clamav-daemon`),
  chromium: () => {
    const bin = process.env.FERRY_CHROMIUM;
    return (bin ? executable(bin) : onPath('chromium', 'chromium-browser')) ? undefined : 'chromium not installed: apt-get install chromium';
  },
  nginx: () => (onPath('nginx') ? undefined : 'nginx not installed: apt-get install nginx'),
  netns: () => {
    if (process.getuid?.() !== 0) return 'netns needs root (network namespaces): run the tests as root, with apt-get install iproute2';
    return onPath('ip') ? undefined : 'netns needs the ip command: apt-get install iproute2';
  },
  postgres: () => (process.env.FERRY_POSTGRES_URL || postgresBinary() ? undefined : 'postgres not installed: apt-get install postgresql'),
  sqlite3: () => (onPath('sqlite3') ? undefined : 'the sqlite3 command not installed: apt-get install sqlite3'),
  gpg: () => (onPath('gpg') ? undefined : 'gpg not installed: apt-get install gnupg'),
  git: () => (onPath('git') ? undefined : 'git not installed: apt-get install git'),
  'dpkg-deb': () => (onPath('dpkg-deb') ? undefined : 'dpkg-deb not installed: apt-get install dpkg'),
  gcc: () => (onPath('gcc') && onPath('ar') ? undefined : 'gcc and ar not installed: apt-get install gcc binutils'),
  pygments: () =>
    PYTHONS.some((py) => spawnSync(py, ['-c', 'import pygments.unistring'], { stdio: 'ignore' }).status === 0) ? undefined : 'python3 has no pygments: apt-get install python3-pygments',
};

/**
 * undefined when `service` is present; otherwise the reason to skip, which is
 * also recorded for the end-of-run list. Pass it as tap's `{ skip }` option.
 */
export function requires(service: Service): string | undefined {
  const reason = CHECKS[service]();
  if (reason !== undefined) recordSkip(reason);
  return reason;
}

function recordSkip(reason: string): void {
  const log = process.env.FERRY_SKIP_LOG;
  if (!log) return;
  const file = process.argv[1] ? relative(process.cwd(), process.argv[1]) : '(unknown test file)';
  appendFileSync(log, `${file}: ${reason}\n`);
}
