import type { RunOptions, RunResult } from './run.js';

// Isolation mode: each network a Linux network namespace (see netns.ts).
// Until it can be used, every run is in loopback mode, and says so.

export async function runWithIsolation(mode: 'auto' | 'on' | 'off', run: (extra: Partial<RunOptions>) => Promise<RunResult>, _out: NodeJS.WritableStream): Promise<RunResult> {
  if (mode === 'on') throw new Error('isolation mode is not available in this build; run with --isolation off');
  return run({});
}
