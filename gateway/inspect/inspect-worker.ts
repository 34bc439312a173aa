import { parentPort } from 'node:worker_threads';
import { ContentInspection, type InspectionSetup } from './content-inspection.js';

// One inspection worker: inspects one transfer at a time, chunk by chunk in
// order, and acknowledges each chunk once it is inspected (that is the
// back-pressure the content stage passes on to the sender). Whatever an input
// costs, it costs this thread, never the gateway's event loop; the content
// stage stops a worker that overruns its budget (content-stage.ts).

type Msg = { t: 'start'; setup: InspectionSetup } | { t: 'whole'; setup: InspectionSetup; data: Uint8Array } | { t: 'chunk'; data: Uint8Array } | { t: 'end' } | { t: 'abort' };

let current: ContentInspection | null = null;
let chain: Promise<void> = Promise.resolve();

// Acknowledgements: posting one a chunk was some 11% of this thread's time on a large file. Chunks
// that arrived together are acknowledged together, at the end of the event-loop turn (or each
// ACK_MAX bytes, well within the content stage's in-flight bound): the same bytes, fewer posts.
// Always before 'done', so that no acknowledgement of a transfer arrives after its end.
const ACK_MAX = 1024 * 1024;
let unacked = 0;
let ackQueued = false;

function ack(bytes: number): void {
  unacked += bytes;
  if (unacked >= ACK_MAX) flushAck();
  else if (!ackQueued) {
    ackQueued = true;
    setImmediate(flushAck);
  }
}

function flushAck(): void {
  ackQueued = false;
  if (unacked === 0) return;
  parentPort!.postMessage({ t: 'ack', bytes: unacked });
  unacked = 0;
}

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
  } else if (m.t === 'chunk') {
    const c = current;
    const data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.length);
    chain = chain.then(async () => {
      await c?.update(data);
      ack(data.length);
    });
  } else if (m.t === 'end') {
    const c = current;
    chain = chain.then(async () => {
      const report = c ? await c.finish() : { findings: [] };
      current = null;
      flushAck();
      parentPort!.postMessage({ t: 'done', report });
    });
  } else {
    current?.abort();
    current = null;
  }
});
parentPort!.postMessage({ t: 'ready' });
