// CPU time of each thread of a process, from /proc/<pid>/task/*/stat (Linux):
// what a run cost each thread, whatever else the machine was doing. On a
// loaded machine the MB/s of a run say little; the CPU seconds a GiB costs,
// and how they divide between threads, say where the time goes.
import { readdir, readFile } from 'node:fs/promises';

const TICK = 100; // USER_HZ, 100 on Linux

export type ThreadCpu = Map<string, { name: string; seconds: number }>;

export async function threadCpu(pid: number): Promise<ThreadCpu> {
  const out: ThreadCpu = new Map();
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(tid, { name, seconds: (Number(f[11]) + Number(f[12])) / TICK });
  }
  return out;
}

/** What each thread spent between two readings, busiest first (threads that ended in between are lost). */
export function cpuSince(pid: number, before: ThreadCpu, after: ThreadCpu): Array<{ name: string; seconds: number }> {
  return [...after].map(([tid, a]) => ({ name: tid === String(pid) ? 'main' : a.name, seconds: a.seconds - (before.get(tid)?.seconds ?? 0) }))
    .filter((x) => x.seconds > 0.005).sort((a, b) => b.seconds - a.seconds);
}
