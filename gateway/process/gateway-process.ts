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
}

export interface GatewayProcess {
  child: ChildProcess;
  ready: ReadySignal;
  /** exit code once it has exited (-1 for a signal), else null */
  readonly exited: number | null;
  /** The last lines it wrote (stdout and stderr), for a failure message. */
  output(): string;
  kill9(): Promise<void>;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

export function startGatewayProcess(opts: GatewayProcessOptions): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), FERRY, 'gateway', '--config', opts.config, ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env, FERRY_LOG_LEVEL: opts.logLevel ?? 'warn' },
  });
  let tail = '';
  const keep = (s: string): void => {
    tail = (tail + s).slice(-TAIL);
  };
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) => child.once('exit', (code) => {
    exited = code ?? -1;
    resolve();
  }));
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
        output: () => tail,
        kill9: signal('SIGKILL'),
        stop: signal('SIGTERM'),
      });
    });
  });
}
