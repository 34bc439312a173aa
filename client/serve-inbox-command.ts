// `ferry serve-inbox`: run the push receiver of a destination system until interrupted.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { translator } from '../i18n/catalogue.js';
import { help } from '../i18n/cli-help.js';
import { cliLocale } from '../i18n/cli-locale.js';
import { ClientError } from './refusal.js';
import { printable } from './report.js';
import type { PushedFile } from './serve-inbox.js';

interface Flags { out: string; listen: string; cert?: string; key?: string; ca?: string; gatewayName: string[]; json?: boolean }

function parseListen(s: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(s);
  if (!m || Number(m[2]) > 65535) throw new ClientError(translator(cliLocale(), 'cli')('out.badListen', { listen: s }));
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

async function pem(path: string | undefined, flag: string, env: string): Promise<{ path: string; pem: string }> {
  const p = path ?? process.env[env];
  const t = translator(cliLocale(), 'cli');
  const what = t(`conn.what.${flag === 'cert' ? 'client certificate' : flag === 'key' ? 'client key' : 'Ferry CA certificate'}`);
  if (!p) throw new ClientError(t('conn.missing', { what, flag, env }));
  try {
    return { path: p, pem: await readFile(p, 'utf8') };
  } catch (err) {
    throw new ClientError(t('conn.cannotRead', { what, path: p, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
  }
}

export function addServeInbox(program: Command, run: (name: string, json: boolean | undefined, body: () => Promise<void>) => Promise<void>): void {
  const cmd = program.command('serve-inbox')
    .description(help('serve-inbox'))
    .requiredOption('--out <dir>', help('serve-inbox --out'))
    .option('--listen <host:port>', help('serve-inbox --listen'), '127.0.0.1:8446')
    .option('--cert <file>', help('serve-inbox --cert'))
    .option('--key <file>', help('serve-inbox --key'))
    .option('--ca <file>', help('serve-inbox --ca'))
    .option('--gateway-name <name>', help('serve-inbox --gateway-name'), (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--json', help('serve-inbox --json'));
  cmd.action(async (o: Flags) => {
    await run('serve-inbox', o.json, async () => {
      const [{ checkLocalCredentials }, { startInboxServer }] = await Promise.all([import('./connection.js'), import('./serve-inbox.js')]);
      const t = translator(cliLocale(), 'cli');
      const { host, port } = parseListen(o.listen);
      const [cert, key, ca] = [await pem(o.cert, 'cert', 'FERRY_CERT'), await pem(o.key, 'key', 'FERRY_KEY'), await pem(o.ca, 'ca', 'FERRY_CA')];
      const passphrase = process.env.FERRY_KEY_PASSPHRASE || undefined;
      checkLocalCredentials({ certPath: cert.path, certPem: cert.pem, keyPath: key.path, keyPem: key.pem, caPath: ca.path, caPem: ca.pem, passphrase });
      const out = resolve(o.out);
      const print = (f: PushedFile): void => {
        process.stdout.write(o.json
          ? JSON.stringify({ id: f.id, from: f.from, path: f.path, filename: f.senderFilename, size: f.size, sha256: f.sha256, ...(f.alreadyHeld ? { already_held: true } : {}) }) + '\n'
          : t(f.alreadyHeld ? 'out.pushedAgain' : 'out.pushed', { id: printable(f.id), from: printable(f.from ?? '?'), size: f.size, sha256: f.sha256, path: printable(f.path) }) + '\n');
      };
      let server;
      try {
        server = await startInboxServer({
          outDir: out, certPem: cert.pem, keyPem: key.pem, caPem: ca.pem, passphrase, host, port, gateways: o.gatewayName,
          onReceived: print,
          onRefused: (status, reason) => process.stderr.write(`ferry serve-inbox: ${status} ${printable(reason)}\n`),
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new ClientError(t(code === 'EADDRINUSE' ? 'out.listenInUse' : 'out.cannotListen', { listen: o.listen, reason: code ?? (err as Error).message }));
      }
      // The ready line names the real port (--listen 127.0.0.1:0 picks one).
      process.stderr.write(t('out.serving', { host, port: server.port, out }) + '\n');
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await server.close();
    });
  });
}
