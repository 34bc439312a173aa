// Start `ferry gateway --config F` as its own process and wait for its ready
// signal (protocol/ready-signal.ts): the one way tests, benchmarks and the
// simulator run a gateway they can kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseReadySignal, type ReadySignal } from '../../protocol/ready-signal.js';

const FERRY = fileURLToPath(new URL('../../bin/ferry.js', import.meta.url));
const TAIL = 4000;

export interface GatewayProcessOptions {
  config: string;
  /** FERRY_LOG_LEVEL of the child (default warn). */
  logLevel?: string;
  /** Node flags for the child, e.g. ['--cpu-prof']. */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Extra arguments to `ferry gateway`, e.g. ['--ready-file', path]. */
  args?: string[];
  /** How long to wait for the ready signal (default 60 s). */
  readyTimeoutMs?: number;
  /** Run the gateway under `ulimit -n N` (soft and hard), so that descriptor exhaustion shows. */
  ulimitFiles?: number;
  /** Keep everything it writes to stdout (its JSON log lines), not only the tail. */
  captureStdout?: boolean;
}

export interface GatewayProcess {
  child: ChildProcess;
  ready: ReadySignal;
  /** exit code once it has exited (-1 for a signal), else null */
  readonly exited: number | null;
  /** Resolves with the exit code, or the signal's name, once the process has exited. */
  exitedPromise: Promise<number | string>;
  /** What it wrote to stdout, with captureStdout. */
  readonly stdout: string;
  /** The last lines it wrote (stdout and stderr), for a failure message. */
  output(): string;
  kill9(): Promise<void>;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

export function startGatewayProcess(opts: GatewayProcessOptions): Promise<GatewayProcess> {
  const argv = [...(opts.nodeArgs ?? []), FERRY, 'gateway', '--config', opts.config, ...(opts.args ?? [])];
  const spawnOpts = { stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env, FERRY_LOG_LEVEL: opts.logLevel ?? 'warn' } };
  // exec keeps the pid: the shell becomes the gateway, so signals and /proc/<pid> are its own.
  const child = opts.ulimitFiles
    ? spawn('/bin/sh', ['-c', `ulimit -n ${Number(opts.ulimitFiles)} && exec "$0" "$@"`, process.execPath, ...argv], spawnOpts)
    : spawn(process.execPath, argv, spawnOpts);
  let tail = '';
  const keep = (s: string): void => {
    tail = (tail + s).slice(-TAIL);
  };
  let stdout = '';
  let exited: number | null = null;
  const exitedPromise = new Promise<number | string>((resolve) => child.once('exit', (code, sig) => {
    exited = code ?? -1;
    resolve(code ?? sig ?? -1);
  }));
  const exit = exitedPromise.then(() => undefined);
  const signal = (sig: NodeJS.Signals) => async (): Promise<void> => {
    if (exited === null) {
      child.kill(sig);
      await exit;
    }
  };
  // Read stdout to the end whatever happens: a full pipe would stall the gateway's logger.
  const lines = createInterface({ input: child.stdout! });
  child.stderr!.on('data', (d: Buffer) => keep(d.toString()));

  return new Promise<GatewayProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      fail(new Error(`gateway gave no ready signal within ${(opts.readyTimeoutMs ?? 60_000) / 1000} s:\n${tail}`));
      child.kill('SIGKILL');
    }, opts.readyTimeoutMs ?? 60_000);
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    };
    child.once('error', (e) => fail(e));
    void exit.then(() => fail(new Error(`gateway exited ${exited} before it was ready:\n${tail}`)));
    lines.on('line', (line) => {
      if (opts.captureStdout) stdout += `${line}\n`;
      const ready = settled ? null : parseReadySignal(line);
      if (!ready) {
        keep(`${line}\n`);
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve({
        child,
        ready,
        get exited() {
          return exited;
        },
        exitedPromise,
        get stdout() {
          return stdout;
        },
        output: () => tail,
        kill9: signal('SIGKILL'),
        stop: signal('SIGTERM'),
      });
    });
  });
}
