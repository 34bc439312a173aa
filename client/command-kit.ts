import type { Command } from 'commander';
import type { Connection, ConnectionFlags } from './connection.js';
import { GatewayRefusal, IntegrityError } from './refusal.js';
import { formatRefusal, printable } from './report.js';
import { help } from '../i18n/cli-help.js';
import { translator } from '../i18n/catalogue.js';
import { cliLocale } from '../i18n/cli-locale.js';

// What every command of the business system's side shares: exit codes,
// connection options, how a failure is said, the connection, Ctrl-C.

export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

export interface CommonFlags extends ConnectionFlags {
  verifyKey?: string;
  json?: boolean;
}

export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--gateway <url>', help('--gateway'))
    .option('--cert <file>', help('send --cert'))
    .option('--key <file>', help('send --key'))
    .option('--ca <file>', help('send --ca'))
    .option('--verify-key <file>', help('--verify-key'))
    .option('--json', help('send --json'));
}

/** Commander's own usage errors (missing argument, unknown option) exit 2 as well, not commander's default 1. */
export function usageExit(cmd: Command): Command {
  return cmd.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  });
}

function refusalJson(r: GatewayRefusal): Record<string, unknown> {
  return {
    refused: {
      status: r.status, code: r.code, title: r.title, detail: r.detail, action: r.action,
      rule: r.rule, findings: r.findings, retry_after: r.retryAfter, ...(r.transfer ? { transfer: r.transfer } : {}),
    },
  };
}

/** Run an action: every failure is printed as a sentence with its code, never as a stack trace. */
export async function run(name: string, json: boolean | undefined, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (err instanceof GatewayRefusal) {
      process.stderr.write(`ferry ${name}: ${formatRefusal(err)}`);
      if (json) process.stdout.write(JSON.stringify(refusalJson(err)) + '\n');
      process.exitCode = EXIT_REFUSED;
    } else if (err instanceof IntegrityError) {
      process.stderr.write(`ferry ${name}: ${printable(err.message)}\n`);
      if (json) process.stdout.write(JSON.stringify({ integrity_error: err.message }) + '\n');
      process.exitCode = EXIT_REFUSED;
    } else if (err instanceof Error && err.name === 'AbortError') {
      process.stderr.write(`ferry ${name}: ${translator(cliLocale(), 'cli')('out.interrupted')}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      process.stderr.write(`ferry ${name}: ${printable(err instanceof Error ? err.message : String(err))}\n`);
      process.exitCode = EXIT_USAGE;
    }
  }
}

/**
 * The connection to the gateway the flags and environment name. The HTTP
 * client is loaded here, when a command needs it, not for `ferry --help`.
 */
export async function connect(o: ConnectionFlags): Promise<Connection> {
  const { Connection, resolveConnectionOptions } = await import('./connection.js');
  return new Connection(await resolveConnectionOptions(o));
}

/** Ctrl-C aborts the transfer in hand cleanly (temporary files removed, nothing acknowledged). */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const onInt = (): void => ac.abort();
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onInt);
  return { signal: ac.signal, dispose: () => { process.off('SIGINT', onInt); process.off('SIGTERM', onInt); } };
}
