import { writeFileSync } from 'node:fs';

// Names the calling thread as `top -H`, `ps -L` and /proc/<pid>/task/*/stat
// show it (Linux: /proc/thread-self/comm, at most 15 bytes). Every thread of a
// Node process is called "node" otherwise, and the CPU a small transfer costs
// each of the gateway's threads (bench:transfer-cpu) could not be told apart.
// Elsewhere, or if /proc is not mounted, nothing happens.
export function nameThisThread(name: string): void {
  try {
    writeFileSync('/proc/thread-self/comm', name.slice(0, 15));
  } catch {
    // Only a label for people reading the process list.
  }
}
