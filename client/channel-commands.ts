// `ferry publish` and `ferry subscribe`: messages on channels (docs/channels.md).
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { ADDRESS_RE, LABELS, NAME_RE } from '../protocol/transfer.js';
import { addConnectionOptions, EXIT_REFUSED, interruptSignal, run, usageExit } from './command-kit.js';
import type { ConnectionFlags } from './connection.js';
import { ClientError } from './refusal.js';
import { formatRefusal, printable } from './report.js';
import type { HandOn } from './subscribe.js';
import { help } from '../i18n/cli-help.js';

/** One file as one message: the gateway's limit is max_message_bytes (1 MiB by default); this only stops a mistake early. */
const MAX_FILE_MESSAGE = 64 * 1024 * 1024;

function checkChannel(c: string): void {
  if (!NAME_RE.test(c)) throw new ClientError(`--channel ${JSON.stringify(c)} is not a channel name (lower-case letters, digits, - and _)`);
}

function addPublish(program: Command): void {
  const cmd = program.command('publish')
    .description(help('publish'))
    .argument('[file]', help('publish <file>'))
    .requiredOption('--channel <name>', help('publish --channel'))
    .requiredOption('--to <network/system>', help('publish --to'))
    .option('--label <label>', help('publish --label', { labels: LABELS.join(', ') }), 'internal')
    .option('--content-type <type>', help('publish --content-type'));
  addConnectionOptions(cmd);
  usageExit(cmd);
  cmd.addHelpText('after', help('publish examples'));
  cmd.action(async (file: string | undefined, o: ConnectionFlags & { json?: boolean; channel: string; to: string; label: string; contentType?: string }) => {
    await run('publish', o.json, async () => {
      checkChannel(o.channel);
      if (!ADDRESS_RE.test(o.to)) throw new ClientError(`--to ${JSON.stringify(o.to)} is not <network>/<system>`);
      if (!(LABELS as readonly string[]).includes(o.label)) throw new ClientError(`--label must be one of ${LABELS.join(', ')}`);
      const [{ lines, publish }, { resolveConnectionOptions }] = await Promise.all([import('./publish.js'), import('./connection.js')]);
      let source: AsyncIterable<Buffer>;
      if (file === undefined || file === '-') source = lines(process.stdin);
      else {
        const st = await stat(file).catch(() => null);
        if (!st?.isFile()) throw new ClientError(`cannot read ${file}: not a file`);
        if (st.size > MAX_FILE_MESSAGE) throw new ClientError(`${file} is ${st.size} bytes: too large for one message; send it as a file (ferry send)`);
        const body = await readFile(file);
        source = (async function* () { yield body; })();
      }
      const connection = await resolveConnectionOptions(o);
      const { signal, dispose } = interruptSignal();
      try {
        const r = await publish({
          connection, channel: o.channel, to: o.to, label: o.label, contentType: o.contentType, signal,
          onAccepted: (a) => process.stdout.write(o.json ? JSON.stringify({ n: a.n, id: a.id, receipt: a.receipt }) + '\n' : `${a.n} accepted ${a.id}\n`),
          onRefused: (n, r) => {
            process.stderr.write(`ferry publish: message ${n} ${formatRefusal(r)}`);
            if (o.json) process.stdout.write(JSON.stringify({ n, refused: { status: r.status, code: r.code, detail: r.detail, rule: r.rule, findings: r.findings } }) + '\n');
          },
        }, source);
        if (!o.json) process.stderr.write(`${r.accepted} accepted, ${r.refused} refused\n`);
        if (r.refused > 0) process.exitCode = EXIT_REFUSED;
      } finally {
        dispose();
      }
    });
  });
}

function addSubscribe(program: Command): void {
  const cmd = program.command('subscribe')
    .description(help('subscribe'))
    .requiredOption('--channel <name>', help('subscribe --channel'))
    .option('--from <seq>', help('subscribe --from'))
    .option('--exec <command>', help('subscribe --exec'))
    .option('--out <dir>', help('subscribe --out'))
    .option('--jsonl', help('subscribe --jsonl'))
    .option('--state <file>', help('subscribe --state'))
    .option('--max <n>', help('subscribe --max'));
  addConnectionOptions(cmd);
  usageExit(cmd);
  cmd.addHelpText('after', help('subscribe examples'));
  cmd.action(async (o: ConnectionFlags & { json?: boolean; channel: string; from?: string; exec?: string; out?: string; jsonl?: boolean; state?: string; max?: string }) => {
    await run('subscribe', o.json, async () => {
      checkChannel(o.channel);
      if ([o.exec, o.out, o.jsonl].filter(Boolean).length > 1) throw new ClientError('choose one of --exec, --out and --jsonl');
      const from = o.from === undefined ? undefined : Number(o.from);
      if (from !== undefined && (!Number.isSafeInteger(from) || from < 1)) throw new ClientError('--from is a sequence number, 1 or more');
      const max = o.max === undefined ? undefined : Number(o.max);
      if (max !== undefined && (!Number.isSafeInteger(max) || max < 1)) throw new ClientError('--max is a positive whole number');
      const [{ execCommand, HandOnError, jsonLines, outDir, subscribe }, { resolveConnectionOptions }] = await Promise.all([import('./subscribe.js'), import('./connection.js')]);
      const handOn: HandOn = o.exec ? execCommand(o.exec) : o.out ? await outDir(o.out) : jsonLines();
      const stateFile = o.state ?? (o.out ? `${o.out}/.ferry-subscribe-${o.channel}` : undefined);
      const connection = await resolveConnectionOptions(o);
      const { signal, dispose } = interruptSignal();
      try {
        const r = await subscribe({
          connection, channel: o.channel, from, stateFile, max, handOn, signal,
          onReconnect: (why) => process.stderr.write(`ferry subscribe: ${printable(why)}; reconnecting\n`),
        }).catch((err: unknown) => {
          if (signal.aborted) return { handedOn: -1 };
          if (!(err instanceof HandOnError)) throw err;
          process.stderr.write(`ferry subscribe: ${printable(err.message)}\n`);
          process.exitCode = EXIT_REFUSED;
          return { handedOn: -1 };
        });
        if (r.handedOn >= 0 && !o.jsonl && !o.exec && o.out) process.stderr.write(`${r.handedOn} messages written to ${o.out}\n`);
      } finally {
        dispose();
      }
    });
  });
}

export function registerChannelCommands(program: Command): void {
  addPublish(program);
  addSubscribe(program);
}

