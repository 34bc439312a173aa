import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { QueueWrites, type WriteOp } from './queue-writes.js';

// The thread that owns writing to queue.db: it commits each batch the main
// thread sends in one transaction (synchronous=FULL, so one fsync), while the
// event loop keeps serving sockets. Batches arrive one at a time and are
// answered in the order they came; the main thread resolves a write's promise
// only on this answer, that is, once it is durable.

const { path, diesAt } = workerData as { path: string; diesAt: number };
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const writes = new QueueWrites(db);
let inserts = 0;

parentPort!.on('message', (m: { type: 'batch'; ops: WriteOp[] } | { type: 'close' }) => {
  if (m.type === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  // Test hook (FERRY_TEST_QUEUE_WRITER_DIES_AT=N): the thread ends on receiving the batch that holds
  // the Nth insert of a transfer, before committing it.
  inserts += m.ops.filter((o) => o.op.startsWith('insert')).length;
  if (diesAt > 0 && inserts >= diesAt) process.exit(70);
  parentPort!.postMessage({ type: 'done', results: writes.commit(m.ops) });
});
