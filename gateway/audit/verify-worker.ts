// Worker thread for `ferry log verify`: verifies the ranges it is sent on its
// own instance of the audit storage port, opened by path.
import { parentPort, workerData } from 'node:worker_threads';
import { openAuditStorage } from './open-audit-storage.js';
import { verifyChunk, type ChunkTask } from './verify-chunk.js';

const log = await openAuditStorage((workerData as { dbPath: string }).dbPath);
parentPort!.on('message', async (msg: { id: number; task: ChunkTask } | null) => {
  if (msg === null) {
    await log.close();
    parentPort!.close();
    return;
  }
  try {
    parentPort!.postMessage({ id: msg.id, result: await verifyChunk(log, msg.task) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
