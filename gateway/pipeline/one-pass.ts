import { createHash } from 'node:crypto';
import type { Finding } from '../../protocol/findings.js';
import type { Stage, StageReport } from '../inspect/context/stage.js';
import { BATCH_BYTES, batches } from './batches.js';

// The one streaming pass: every chunk of the body is counted, hashed, handed to
// every stage, and written to the sink, in that order, one chunk at a time. A
// stage or the sink that is slow holds the loop, the loop stops reading, and
// TCP flow control carries that back to the sender: back-pressure end to end,
// and never more than a few chunks in memory whatever the size. The chunks are
// the body's pieces gathered into batches of 256 KiB (batches.ts).

export interface PassSink {
  write(chunk: Buffer): Promise<void>;
  /** A sink that hashes what it was given (on the seal thread) answers for the pass's SHA-256. */
  digest?(): Promise<{ sha256: string; size: number }>;
}

export interface PassResult {
  size: number;
  sha256: string;
  findings: Finding[];
  facts: Record<string, unknown>;
}

export interface PassOptions {
  /** Refuse (by throwing from onLimit) once this many bytes were seen, whatever was declared. */
  maxBytes: number;
  onLimit: (seen: number) => Error;
  /** Called with each chunk's size, after it was written. */
  onProgress?: (bytes: number) => void;
  /** Called once the whole body has been read, before the stages finish (clamd may still be scanning). */
  onBodyEnd?: () => void;
  /** The body's declared length: a smaller body is gathered in a buffer of its size, not of a whole batch. */
  expectedBytes?: number;
}

export async function runPass(body: AsyncIterable<Buffer>, stages: Stage[], sink: PassSink, opts: PassOptions): Promise<PassResult> {
  const hash = sink.digest ? null : createHash('sha256');
  let size = 0;
  try {
    const count = (piece: Buffer): void => {
      size += piece.length;
      if (size > opts.maxBytes) throw opts.onLimit(size);
    };
    for await (const chunk of batches(body, count, BATCH_BYTES, opts.expectedBytes ?? BATCH_BYTES)) {
      hash?.update(chunk);
      for (const stage of stages) {
        const pending = stage.update(chunk);
        if (pending) await pending;
      }
      await sink.write(chunk);
      opts.onProgress?.(chunk.length);
    }
    opts.onBodyEnd?.();
  } catch (err) {
    for (const stage of stages) stage.abort(err as Error);
    throw err;
  }
  let sha256: string;
  if (hash) sha256 = hash.digest('hex');
  else {
    try {
      const d = await sink.digest!();
      if (d.size !== size) throw new Error(`the sink hashed ${d.size} bytes of ${size}`);
      sha256 = d.sha256;
    } catch (err) {
      for (const stage of stages) stage.abort(err as Error);
      throw err;
    }
  }
  const reports: StageReport[] = await Promise.all(stages.map((s) => s.finish()));
  const findings = reports.flatMap((r) => r.findings);
  const facts = Object.assign({}, ...reports.map((r) => r.facts ?? {})) as Record<string, unknown>;
  return { size, sha256, findings, facts };
}
