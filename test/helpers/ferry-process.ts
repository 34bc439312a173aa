// Run the `ferry` command as a child process, bounded in time: for start-up
// failures, --check and other CLI behaviour a supervisor or a person sees.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface FerryRun {
  /** Exit code, or null when it had to be killed at the deadline. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export const FERRY_BIN = fileURLToPath(new URL('../../bin/ferry.js', import.meta.url));

/** `ferry ...args`; killed (code null) if it has not exited within timeoutMs. */
export function runFerry(args: string[], opts: { timeoutMs?: number; env?: Record<string, string>; input?: string; cwd?: string } = {}): Promise<FerryRun> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [FERRY_BIN, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, FERRY_LOG_LEVEL: 'warn', ...opts.env },
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => {
      killed = true;
      proc.kill('SIGKILL');
    }, opts.timeoutMs ?? 90_000);
    proc.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: killed ? null : code, stdout, stderr });
    });
  });
}
