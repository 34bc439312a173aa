// The console's aggregate queries (the overview's counts, the policy page's
// hits) walk a day or a month of records: on a big log that is seconds of
// SQLite work, which must not stall the gateway's event loop. They run here,
// on a thread of their own with its own read-only connection.
import { parentPort, workerData } from 'node:worker_threads';
import { ConsoleQueries } from './console-queries.js';

export type StatsOp = 'overview' | 'ruleHits' | 'shadowHits';

const q = new ConsoleQueries((workerData as { db: string }).db);
parentPort!.on('message', async (m: { id: number; op: StatsOp; now: number }) => {
  try {
    const value = m.op === 'overview' ? await q.overview(24, m.now) : m.op === 'ruleHits' ? [...await q.ruleHits(30, m.now)] : [...await q.shadowHits(30, m.now)];
    parentPort!.postMessage({ id: m.id, value });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: (err as Error).message });
  }
});
