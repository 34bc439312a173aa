import { parentPort } from 'node:worker_threads';
import { ContentInspection, type InspectionSetup } from './content-inspection.js';
import { nameThisThread } from '../process/thread-name.js';

// One inspection worker: inspects one transfer at a time, chunk by chunk in
// order, and acknowledges each chunk once it is inspected (that is the
// back-pressure the content stage passes on to the sender). Whatever an input
// costs, it costs this thread, never the gateway's event loop; the content
// stage stops a worker that overruns its budget (content-stage.ts).

type Msg = { t: 'start'; setup: InspectionSetup } | { t: 'whole'; setup: InspectionSetup; data: Uint8Array }
  | { t: 'batch'; claims: Int32Array; jobs: Array<{ setup: InspectionSetup; data: Uint8Array }> } | { t: 'chunk'; data: Uint8Array } | { t: 'end' } | { t: 'abort' };

nameThisThread('ferry-inspect');
let current: ContentInspection | null = null;
let chain: Promise<void> = Promise.resolve();

parentPort!.on('message', (m: Msg) => {
  if (m.t === 'start') {
    current = new ContentInspection(m.setup);
    chain = Promise.resolve();
  } else if (m.t === 'whole') {
    // A small body in one message (content-stage.ts WHOLE_MAX): start, the one chunk and the end; one answer.
    const c = new ContentInspection(m.setup);
    current = c;
    const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.length);
    chain = Promise.resolve().then(async () => {
      if (data.length) await c.update(data);
      const report = await c.finish();
      current = null;
      parentPort!.postMessage({ t: 'done', report });
    });
  } else if (m.t === 'batch') {
    // Small bodies (inspect-batches.ts): one after the other, each answered as soon as it is done.
    const { jobs, claims } = m;
    chain = Promise.resolve().then(async () => {
      for (let i = 0; i < jobs.length; i++) {
        // Taken back by the gateway (this worker was slow on an earlier one): it and the rest go to another.
        if (Atomics.compareExchange(claims, i, 0, 1) !== 0) break;
        const { setup, data } = jobs[i]!;
        const c = new ContentInspection(setup);
        current = c;
        if (data.length) await c.update(Buffer.from(data.buffer, data.byteOffset, data.length));
        const report = await c.finish();
        current = null;
        parentPort!.postMessage({ t: 'job', i, report });
      }
    });
  } else if (m.t === 'chunk') {
    const c = current;
    const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.length);
    chain = chain.then(async () => {
      await c?.update(data);
      parentPort!.postMessage({ t: 'ack', bytes: data.length });
    });
  } else if (m.t === 'end') {
    const c = current;
    chain = chain.then(async () => {
      const report = c ? await c.finish() : { findings: [] };
      current = null;
      parentPort!.postMessage({ t: 'done', report });
    });
  } else {
    current?.abort();
    current = null;
  }
});
parentPort!.postMessage({ t: 'ready' });
