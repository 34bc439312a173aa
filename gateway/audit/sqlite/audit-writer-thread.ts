import { workerData } from 'node:worker_threads';
import { serveWrites } from '../../durability/serve-writes.js';
import { AuditWrites, type AppendOp } from './audit-writes.js';
import { nameThisThread } from '../../process/thread-name.js';

// The thread that owns writing records to audit.db: it commits each batch the
// main thread sends in one transaction (synchronous=FULL, so one fsync), while
// the event loop keeps serving sockets (durability/serve-writes.ts).

nameThisThread('ferry-audit-wr');
const { path, diesAt } = workerData as { path: string; diesAt: number };

// Test hook (FERRY_TEST_AUDIT_WRITER_DIES_AT=N): the thread ends on receiving the batch that holds
// the Nth 'received' record (the Nth upload's first), before committing it.
serveWrites<AppendOp>(new AuditWrites(path), { at: diesAt, counts: (o) => o.rows.filter((r) => r[3] === 'received').length });
