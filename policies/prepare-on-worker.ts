// Checks a policy's text on a one-shot worker thread and hands back plain data
// (a PreparedPolicy) from which the caller builds the engine: a reload by
// SIGHUP or by an edit of the file then costs the event loop only that build.
// A reload is rare, so a thread per check (tens of milliseconds to start)
// costs less than keeping one alive.
import { Worker } from 'node:worker_threads';
import type { PreparedPolicy } from './load-policy.js';

/** Longer than any policy takes to check; past it the thread is stopped and the check fails. */
export const PREPARE_TIME_LIMIT_MS = 60_000;

export function prepareOnWorker(text: string, path: string, timeLimitMs = PREPARE_TIME_LIMIT_MS): Promise<PreparedPolicy> {
  return new Promise((resolve, reject) => {
    // No execArgv: a check needs none of the parent's loaders or flags, and a test runner's would cost it seconds.
    const w = new Worker(new URL('./prepare-worker.js', import.meta.url), { workerData: { text, path }, execArgv: [] });
    let answered = false;
    const timer = setTimeout(() => {
      answered = true;
      reject(new Error(`checking the policy took longer than ${timeLimitMs / 1000} s`));
      void w.terminate();
    }, timeLimitMs);
    w.once('message', (p: PreparedPolicy) => {
      answered = true;
      clearTimeout(timer);
      resolve(p);
      void w.terminate();
    });
    w.once('error', (err) => {
      clearTimeout(timer);
      if (!answered) reject(err);
      answered = true;
    });
    w.once('exit', (code) => {
      clearTimeout(timer);
      if (!answered) reject(new Error(`the policy check's thread ended without an answer (exit code ${code})`));
      answered = true;
    });
  });
}
