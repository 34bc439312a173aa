// `ferry send`, `ferry status`, `ferry receive`: the business system's side.
// Exit codes: 0 done; 1 the gateway refused, or bytes/receipt did not check
// out; 2 usage, local files or the connection (nothing was decided).

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { LABELS, type Label } from '../protocol/transfer.js';
import { loadVerifyKey } from './receipt-check.js';
import { ClientError, GatewayRefusal } from './refusal.js';
import { formatAccepted, formatReceived, formatRefusal, formatStatus, printable } from './report.js';
import { addConnectionOptions, connect, EXIT_REFUSED, interruptSignal, run, usageExit, type CommonFlags } from './command-kit.js';
import { addListCommands } from './list-commands.js';
import { registerChannelCommands } from './channel-commands.js';
import { help } from '../i18n/cli-help.js';
import { addServeInbox } from './serve-inbox-command.js';
import type { Progress } from './progress-bar.js';
import { translator } from '../i18n/catalogue.js';
import { cliLocale } from '../i18n/cli-locale.js';

async function readVerifyKey(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    throw new ClientError(`cannot read the verify key ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  loadVerifyKey(pem, path); // a wrong key file is a usage error, found before anything is sent
  return pem;
}

function addSend(program: Command): void {
  const cmd = program.command('send')
    .description(help('send'))
    .argument('<file>', help('send <file>'))
    .requiredOption('--to <network/system>', help('send --to'))
    .option('--label <label>', help('send --label', { labels: LABELS.join(', ') }), 'internal')
    .option('--filename <name>', help('send --filename'))
    .option('--content-type <type>', help('send --content-type'))
    .option('--idempotency-key <key>', help('send --idempotency-key'));
  addConnectionOptions(cmd);
  usageExit(cmd);
  cmd.addHelpText('after', help('send examples'));
  cmd.action(async (file: string, o: CommonFlags & { to: string; label: Label; filename?: string; contentType?: string; idempotencyKey?: string }) => {
    await run('send', o.json, async () => {
      const [{ sendFile, validateSendOptions }, { progressBar, wantsProgress }] = await Promise.all([import('./send.js'), import('./progress-bar.js')]);
      validateSendOptions(o);
      const receiptKeyPem = await readVerifyKey(o.verifyKey);
      const conn = await connect(o);
      const bar = progressBar(wantsProgress(o.json), `sending ${o.filename ?? basename(file)}`);
      const { signal, dispose } = interruptSignal();
      try {
        const r = await sendFile({
          connection: conn, file, to: o.to, label: o.label, filename: o.filename, contentType: o.contentType,
          idempotencyKey: o.idempotencyKey, receiptKeyPem, onProgress: bar.update, signal,
        });
        bar.stop();
        process.stdout.write(o.json ? JSON.stringify({ id: r.id, state: r.state, receipt: r.receipt, signature_verified: r.signatureVerified }) + '\n' : formatAccepted(r));
      } finally {
        bar.stop();
        dispose();
        await conn.close();
      }
    });
  });
}

function addStatus(program: Command): void {
  const cmd = program.command('status')
    .description(help('status'))
    .argument('<id>', help('status <id>'))
    .option('--hop-key <file>', help('status --hop-key'), (v: string, all: string[]) => [...all, v], [] as string[]);
  addConnectionOptions(cmd);
  usageExit(cmd);
  cmd.addHelpText('after', help('status examples'));
  cmd.action(async (id: string, o: CommonFlags & { hopKey: string[] }) => {
    await run('status', o.json, async () => {
      const { getStatus, validateTransferId, verifyStatusReceipts } = await import('./status.js');
      validateTransferId(id);
      const receiptKeyPem = await readVerifyKey(o.verifyKey);
      if (o.hopKey.length && receiptKeyPem === undefined) throw new ClientError('--hop-key checks the last gateway\'s receipt; give --verify-key (this gateway\'s signing.pub) as well');
      const hopKeys = await Promise.all(o.hopKey.map(async (f) => (await readVerifyKey(f))!));
      const conn = await connect(o);
      try {
        const s = await getStatus(conn, id);
        const verified = receiptKeyPem !== undefined ? verifyStatusReceipts(s, receiptKeyPem, hopKeys) : undefined;
        process.stdout.write(o.json ? JSON.stringify(verified ? { ...s, signatures_verified: verified } : s) + '\n' : formatStatus(s, verified));
      } finally {
        await conn.close();
      }
    });
  });
}

function addReceive(program: Command): void {
  const cmd = program.command('receive')
    .description(help('receive'))
    .requiredOption('--out <dir>', help('receive --out'))
    .option('--follow', help('receive --follow'))
    .option('--interval <seconds>', help('receive --interval'), '5');
  addConnectionOptions(cmd);
  usageExit(cmd);
  cmd.addHelpText('after', help('receive examples'));
  cmd.action(async (o: CommonFlags & { out: string; follow?: boolean; interval: string }) => {
    await run('receive', o.json, async () => {
      const interval = Number(o.interval);
      if (!Number.isFinite(interval) || interval <= 0) throw new ClientError('--interval must be a positive number of seconds');
      const [{ receiveAll }, { progressBar, wantsProgress }] = await Promise.all([import('./receive.js'), import('./progress-bar.js')]);
      const receiptKeyPem = await readVerifyKey(o.verifyKey);
      const conn = await connect(o);
      const { signal, dispose } = interruptSignal();
      // One bar per file as it streams down, cleared before the line that reports it.
      let bar: Progress | null = null;
      let barFor = '';
      const done = (): void => {
        bar?.stop();
        bar = null;
      };
      try {
        const result = await receiveAll(conn, o.out, {
          follow: o.follow, intervalMs: interval * 1000, signal, receiptKeyPem,
          ...(wantsProgress(o.json) ? {
            onProgress: (id: string, n: number, total: number | undefined) => {
              if (total === undefined) return;
              if (!bar || barFor !== id) {
                done();
                bar = progressBar(true, `receiving ${id.slice(0, 8)}`);
                barFor = id;
              }
              bar.update(n, total);
            },
          } : {}),
          onReceived: (r) => {
            done();
            process.stdout.write(o.json
              ? JSON.stringify({ id: r.id, from: r.from, path: r.path, filename: r.senderFilename, size: r.size, sha256: r.sha256, receipt: r.ack.receipt, signature_verified: r.signatureVerified, ...(r.alreadyHeld ? { already_held: true } : {}), ...(r.ack.repeated ? { ack_repeated: true } : {}) }) + '\n'
              : formatReceived(r));
          },
          onFailed: (id, err) => {
            done();
            process.stderr.write(err instanceof GatewayRefusal
              ? `ferry receive: ${printable(id)} ${formatRefusal(err)}`
              : `ferry receive: ${printable(err.message)}\n`);
          },
        });
        if (!o.json) process.stderr.write(translator(cliLocale(), 'cli')('out.receiveSummary', { received: result.received.length, failed: result.failed.length }) + '\n');
        if (result.failed.length > 0) process.exitCode = EXIT_REFUSED;
      } finally {
        done();
        dispose();
        await conn.close();
      }
    });
  });
}

export function register(program: Command): void {
  addSend(program);
  addStatus(program);
  addReceive(program);
  registerChannelCommands(program);
  addListCommands(program);
  addServeInbox(program, run);
}
