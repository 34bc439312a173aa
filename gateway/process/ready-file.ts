import { rename, writeFile } from 'node:fs/promises';
import { readySignalLine, type ReadySignal } from '../../protocol/ready-signal.js';

/** Write the ready signal to `path` atomically: a reader sees no file or the whole line, never part of it. */
export async function writeReadyFile(path: string, s: Omit<ReadySignal, 'event'>): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, readySignalLine(s), { mode: 0o644 });
  await rename(tmp, path);
}
