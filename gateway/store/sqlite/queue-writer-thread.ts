import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serveWrites } from '../../durability/serve-writes.js';
import { QueueWrites, type WriteOp } from './queue-writes.js';
import { nameThisThread } from '../../process/thread-name.js';

// The thread that owns writing to queue.db: it commits each batch the main
// thread sends in one transaction (synchronous=FULL, so one fsync), while the
// event loop keeps serving sockets (durability/serve-writes.ts).

nameThisThread('ferry-queue-wr');
const { path, diesAt, diesOn } = workerData as { path: string; diesAt: number; diesOn: string };
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const writes = new QueueWrites(db);

// Test hook (FERRY_TEST_QUEUE_WRITER_DIES_AT=N): the thread ends on receiving the batch that holds
// the Nth insert of a transfer (or, with FERRY_TEST_QUEUE_WRITER_DIES_ON=markQueued, the Nth write of
// that name), before committing it.
const counted = (o: WriteOp): boolean => (diesOn ? o.op === diesOn : o.op.startsWith('insert'));
serveWrites<WriteOp>({ commit: (ops) => writes.commit(ops), close: () => db.close() }, { at: diesAt, counts: (o) => (counted(o) ? 1 : 0) });
