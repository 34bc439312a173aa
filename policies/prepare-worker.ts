// One policy check on a thread of its own (prepare-on-worker.ts): parsing,
// validating and linting a large policy takes seconds, which the gateway's
// event loop must spend on its sockets instead.
import { parentPort, workerData } from 'node:worker_threads';
import { preparePolicyText } from './load-policy.js';

const { text, path } = workerData as { text: string; path: string };
parentPort!.postMessage(preparePolicyText(text, path));
