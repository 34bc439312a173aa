import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

// Calls `onChange` soon after any of `paths` changes. fs.watch on the parent
// directories sees a file replaced by rename (how `ferry certs` writes), and a
// poll of each file's stat catches what fs.watch misses (network file systems,
// editors, a directory recreated). Changes are coalesced over `settleMs`, so a
// key and a certificate renamed one after the other are read together.

export interface FileWatch { close(): void }

export function watchFiles(paths: string[], onChange: () => void, opts: { pollMs?: number; settleMs?: number } = {}): FileWatch {
  const pollMs = opts.pollMs ?? 1000;
  const settleMs = opts.settleMs ?? 100;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const fire = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (!closed) onChange();
    }, settleMs);
    timer.unref();
  };
  const watchers: FSWatcher[] = [];
  const byDir = new Map<string, Set<string>>();
  for (const p of paths) byDir.set(dirname(p), (byDir.get(dirname(p)) ?? new Set()).add(basename(p)));
  for (const [dir, names] of byDir) {
    try {
      const w = watch(dir, { persistent: false }, (_ev, name) => {
        if (name === null || names.has(String(name))) fire();
      });
      w.on('error', () => undefined); // the poll below goes on
      watchers.push(w);
    } catch {
      /* no inotify here: the poll does the work */
    }
  }
  const seen = new Map<string, string>();
  const signature = async (p: string) => {
    try {
      const s = await stat(p);
      return `${s.ino}:${s.size}:${s.mtimeMs}:${s.mode}`;
    } catch {
      return 'absent';
    }
  };
  void Promise.all(paths.map(async (p) => seen.set(p, await signature(p))));
  const poll = setInterval(() => {
    void Promise.all(paths.map(async (p) => {
      const sig = await signature(p);
      if (seen.get(p) !== sig) {
        seen.set(p, sig);
        fire();
      }
    }));
  }, pollMs);
  poll.unref();
  return {
    close() {
      closed = true;
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
