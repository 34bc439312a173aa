// Worker thread for `ferry log verify`: verifies the ranges it is sent on its
// own read-only connection.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly } from './read-records.js';
import { verifyChunk, type ChunkTask } from './verify-chunk.js';

const db = openReadOnly((workerData as { dbPath: string }).dbPath);
parentPort!.on('message', (msg: { id: number; task: ChunkTask } | null) => {
  if (msg === null) {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    parentPort!.postMessage({ id: msg.id, result: verifyChunk(db, msg.task) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
