// The console's long jobs (a policy replay, a search that walks an unindexed
// field, checking a candidate before a deploy) run here, on a thread of their own with a read-only connection to
// the audit log (its own instance of the audit storage port), so that the gateway's event loop never waits for them. The
// main thread stops a job by terminating this thread (console-jobs.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { loadPolicyText, preparePolicyText } from '../../../policies/load-policy.js';
import { replayLog } from '../../audit/replay-log.js';
import type { SourceProblem } from '../../../policies/load-policy.js';
import type { ReplayReport } from '../../../policies/replay.js';
import type { RecordFilter } from '../../audit/read-records.js';
import { ConsoleQueries } from './console-queries.js';

export type Job =
  | { op: 'replay'; text: string; path: string; last: number; keep: number }
  | { op: 'search'; filter: RecordFilter; before?: string }
  | { op: 'check'; text: string; path: string };

/** A candidate checked, and replayed when it loads. */
export interface Checked {
  hash: string;
  problems: SourceProblem[];
  replay: ReplayReport | null;
}

const db = (workerData as { db: string }).db;
let queries: ConsoleQueries | null = null;

async function run(job: Job): Promise<unknown> {
  if (job.op === 'replay') {
    // Loading a large candidate takes time too: it is checked here, not on the event loop.
    const loaded = loadPolicyText(job.text, job.path);
    const checked: Checked = { hash: loaded.hash, problems: loaded.problems, replay: loaded.engine ? await replayLog(loaded.engine, db, { last: job.last, keep: job.keep }) : null };
    return checked;
  }
  // A PreparedPolicy: plain data; the deploy builds the engine on the main thread from it.
  if (job.op === 'check') return preparePolicyText(job.text, job.path);
  queries ??= new ConsoleQueries(db);
  return queries.search(job.filter, job.before);
}

parentPort!.on('message', async (job: Job) => {
  try {
    parentPort!.postMessage({ value: await run(job) });
  } catch (err) {
    parentPort!.postMessage({ error: (err as Error).message });
  }
});
