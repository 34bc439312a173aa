import { parentPort } from 'node:worker_threads';

// How an inspection worker talks to the gateway: the parent port of a worker
// thread, or the IPC channel of a child process (the heavy lane, inspect-child.ts);
// null where inspection runs in the caller's own thread (a reading's budget then
// only returns its finding).

export interface InspectPort {
  postMessage(m: unknown): void;
  on(event: 'message', fn: (m: any) => void): void;
}

function childPort(): InspectPort | null {
  if (typeof process.send !== 'function') return null;
  return {
    postMessage: (m) => void process.send!(m),
    on: (_event, fn) => void process.on('message', fn),
  };
}

export const port: InspectPort | null = parentPort ?? childPort();
/** This worker is a child process of the heavy lane (not a worker thread). */
export const inChildProcess = parentPort === null && port !== null;
