import { parentPort } from 'node:worker_threads';
import type { WriteResult } from './writer-thread.js';

// The writer thread's side of writer-thread.ts: batches arrive one at a time
// and are answered in the order they came, each once its transaction is
// committed (the main thread resolves a write's promise only on this answer,
// that is, once it is durable).

export interface BatchWriter<Op> {
  /** Commits the batch (in one transaction, as the writer sees fit) and says how each op went. */
  commit(ops: Op[]): WriteResult[];
  close(): void;
}

/**
 * Serves the batches of the main thread's WriterThread with `writer`.
 * `diesAt` is a test hook: the thread ends (exit code 70) on receiving the
 * batch that brings `counts` to `at`, before committing it.
 */
export function serveWrites<Op>(writer: BatchWriter<Op>, diesAt?: { at: number; counts(op: Op): number }): void {
  let counted = 0;
  parentPort!.on('message', (m: { type: 'batch'; ops: Op[] } | { type: 'close' }) => {
    if (m.type === 'close') {
      writer.close();
      parentPort!.close();
      return;
    }
    if (diesAt && diesAt.at > 0) {
      for (const o of m.ops) counted += diesAt.counts(o);
      if (counted >= diesAt.at) process.exit(70);
    }
    parentPort!.postMessage({ type: 'done', results: writer.commit(m.ops) });
  });
}
