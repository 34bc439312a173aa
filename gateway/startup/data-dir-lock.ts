import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from './startup-error.js';

// One gateway per data directory. Two gateways on one directory would both
// run recovery on the queue and both append to the audit chain (seq collisions:
// the first one then fails every write). Node has no flock(2), so the lock is a
// file created with O_EXCL holding the owner's pid; a file left by a dead
// process (kill -9, power loss) is taken over after checking the pid is gone.

export const LOCK_FILE = 'ferry.lock';

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | null {
  try {
    const n = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Take the data directory (which must exist), or throw a StartupError naming the pid that holds it. */
export function lockDataDir(dir: string): DataDirLock {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StartupError(`The data directory ${dir} cannot be locked: ${(err as Error).message}.`, 1, { cause: err });
      }
      const pid = readPid(path);
      // A lock file without a pid is being written right now by another starter: treat as held.
      if (pid === null && attempt === 0) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        continue;
      }
      if (pid !== null && alive(pid)) {
        throw new StartupError(`The data directory ${dir} is in use by pid ${pid} (another gateway). Stop it first, or give this gateway its own data_dir.`, 2);
      }
      // The owner is gone: take the stale lock over.
      try {
        unlinkSync(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        // Only remove a lock that is still ours.
        if (readPid(path) === process.pid) unlinkSync(path);
      },
    };
  }
  throw new StartupError(`The data directory ${dir} could not be locked: the lock file ${path} keeps changing.`, 1);
}
