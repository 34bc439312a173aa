import { parentPort } from 'node:worker_threads';
import { fileTypeFromBuffer } from 'file-type';

// Runs file-type on the first bytes of content, in a worker so that a parser
// looping on hostile bytes (file-type has had such bugs: an infinite loop and
// a zip bomb in its own probing, fixed in 21.3.2) can be stopped by the
// timeout in type-sniff.ts instead of hanging the gateway.

// Imports are done by now: the budget of a call starts counting from here.
parentPort?.postMessage({ ready: true });
parentPort?.on('message', (m: { id: number; head: Uint8Array }) => {
  fileTypeFromBuffer(m.head).then(
    (ft) => parentPort!.postMessage({ id: m.id, mime: ft?.mime, ext: ft?.ext }),
    () => parentPort!.postMessage({ id: m.id }),
  );
});
