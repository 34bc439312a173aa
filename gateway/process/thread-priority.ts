import { readdirSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

// The OS priority of one thread. On Linux a thread has a nice value of its
// own: /proc/thread-self reads "PID/task/TID", and setpriority() on that TID
// changes that thread only, not the process (os.setPriority(0, n) would too
// for the calling thread, but the gateway needs the TID to put it back from
// another thread). An inspection worker on a costly reading (pdf.js, a large
// or slow transfer) lowers itself, so that the scheduler prefers the event
// loop and the small-upload lane over it: with autogroup scheduling (the
// default on desktop and many server kernels) every thread of the gateway
// shares one group's slice of the machine, and two workers at full tilt
// took two thirds of it from the event loop while small uploads waited.
// Raising a thread's nice value is always permitted; lowering it back needs
// CAP_SYS_NICE (root), so the pool puts a lowered worker back where it can
// and stops it where it cannot (inspect-pool.ts). Elsewhere (no
// /proc/thread-self, another OS, a sandbox that forbids it) nothing changes
// and nothing fails: the reading runs at the priority it has.

/** The nice value of a thread on a costly reading: the lowest priority there is. */
export const LOW_PRIORITY = 19;

/** This thread's id (Linux TID), or null where /proc/thread-self is not there. */
export function thisThreadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Lowers the calling thread to LOW_PRIORITY; its TID if it is lowered now, null if it could not be (or was already). */
export function lowerThisThread(): number | null {
  const tid = thisThreadId();
  if (tid === null) return null;
  try {
    if (getPriority(tid) >= LOW_PRIORITY) return null;
    setPriority(tid, LOW_PRIORITY);
    return getPriority(tid) === LOW_PRIORITY ? tid : null;
  } catch {
    return null;
  }
}

/** Puts thread `tid` back to the nice value `nice`; false if not permitted (or the thread is gone). */
export function restoreThread(tid: number, nice: number): boolean {
  try {
    setPriority(tid, nice);
    return getPriority(tid) === nice;
  } catch {
    return false;
  }
}

/** The calling thread's nice value (what a lowered worker is put back to). */
export function thisThreadNice(): number {
  try {
    return getPriority(0);
  } catch {
    return 0;
  }
}

/**
 * Lowers every thread of this process to LOW_PRIORITY (the heavy lane's child processes, inspect-child.ts):
 * V8's helper threads (garbage collection) were started before any script ran, and threads started later
 * inherit the nice value of the thread that starts them. False where it could not be done (nothing thrown).
 */
export function lowerThisProcess(): boolean {
  let all = true;
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        setPriority(Number(tid), LOW_PRIORITY);
      } catch {
        all = false;
      }
    }
    return all;
  } catch {
    // No /proc (not Linux): the whole process, as far as the OS applies it.
    try {
      setPriority(0, LOW_PRIORITY);
      return true;
    } catch {
      return false;
    }
  }
}
