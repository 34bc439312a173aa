import { lowerThisProcess } from '../process/thread-priority.js';

// A child process of the heavy lane (inspect-pool.ts heavyPool): the inspection
// worker's code (inspect-worker.ts), talking over the IPC channel, with every
// thread of the process at the lowest OS priority. A worker thread can lower
// itself, but not the garbage collection of its heap, which V8 runs on helper
// threads the whole gateway shares at the event loop's priority: beside two PDFs
// that took pdf.js seconds, the gateway's unnamed threads took 0.7 CPU-s for
// each CPU-s of the PDF workers, and the event loop waited. A process of its
// own has its own.
lowerThisProcess();
// The gateway is gone (its end of the channel closed): so is this process.
process.on('disconnect', () => process.exit(0));
await import('./inspect-worker.js');
