import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { help } from '../../i18n/cli-help.js';
import { translator } from '../../i18n/catalogue.js';
import { cliLocale } from '../../i18n/cli-locale.js';

// `ferry admin transfers|retry|cancel|reload`: an administrator's commands,
// over the admin API with the administrator's certificate (ferry://admin/<name>).
// What they print is in the reader's language (i18n/*/admin.ts); ids, states,
// codes and --json stay as the gateway said them.

const t = (key: string, params?: Record<string, unknown>): string => translator(cliLocale(), 'admin')(key, params);

/** The gateway refused: exit 1 (a usage or local problem exits 2). */
class Refused extends Error {}

export interface AdminFlags {
  admin?: string;
  cert?: string;
  key?: string;
  ca?: string;
  json?: boolean;
}

async function readOption(flag: string, value: string | undefined, env: string): Promise<string> {
  const path = value ?? process.env[env];
  if (!path) throw new Error(t('error.required', { flag, env }));
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(t('error.cannotRead', { path, flag, message: (err as NodeJS.ErrnoException).code === 'ENOENT' ? t('error.noSuchFile') : (err as Error).message }));
  }
}

/** One request to the admin API with the administrator's certificate; a refusal is thrown as `refused: CODE ...`. */
export async function call(o: AdminFlags, method: 'GET' | 'POST', path: string): Promise<unknown> {
  const base = o.admin ?? process.env.FERRY_ADMIN;
  if (!base) throw new Error(t('error.adminRequired'));
  const { Agent, request } = await import('undici'); // loaded when a command calls, not for --help
  const agent = new Agent({
    connect: {
      cert: await readOption('--cert', o.cert, 'FERRY_ADMIN_CERT'),
      key: await readOption('--key', o.key, 'FERRY_ADMIN_KEY'),
      ca: await readOption('--ca', o.ca, 'FERRY_CA'),
    },
  });
  try {
    // The refusal's title and action come back in the reader's language; the code never changes.
    const res = await request(`${base.replace(/\/$/, '')}${path}`, { method, dispatcher: agent, headers: { 'accept-language': cliLocale() } });
    const text = await res.body.text();
    const body = text ? JSON.parse(text) as Record<string, unknown> : {};
    if (res.statusCode >= 400) throw new Refused(t('refused', { code: String(body.code), status: res.statusCode, detail: String(body.detail ?? body.title) }));
    return body;
  } finally {
    await agent.close();
  }
}

function print(o: AdminFlags, value: unknown, text: () => string): void {
  process.stdout.write(o.json ? `${JSON.stringify(value)}\n` : text());
}

function run(fn: () => Promise<void>): Promise<void> {
  return fn().catch((err: unknown) => {
    process.stderr.write(`ferry admin: ${(err as Error).message}\n`);
    process.exitCode = err instanceof Refused ? 1 : 2;
  });
}

export function register(program: Command): void {
  const admin = program.command('admin')
    .description(help('admin'))
    .addHelpText('after', help('admin notes'));
  const withConnection = (c: Command) => c
    .option('--admin <url>', help('--admin'))
    .option('--cert <file>', help('admin transfers --cert'))
    .option('--key <file>', help('admin transfers --key'))
    .option('--ca <file>', help('admin transfers --ca'))
    .option('--json', help('admin transfers --json'));

  withConnection(admin.command('transfers')
    .description(help('admin transfers'))
    .option('--destination <network/system>', help('admin transfers --destination'))
    .option('--state <states>', help('admin transfers --state'))
    .option('--limit <n>', help('admin transfers --limit'), '100'))
    .action((o: AdminFlags & { destination?: string; state?: string; limit: string }) => run(async () => {
      const q = new URLSearchParams({ limit: o.limit });
      if (o.destination) q.set('destination', o.destination);
      if (o.state) q.set('state', o.state);
      const a = await call(o, 'GET', `/v1/admin/transfers?${q}`) as { transfers: Array<Record<string, unknown>>; by_destination: Record<string, number> };
      print(o, a, () => [
        ...a.transfers.map((x) => t('transfer', {
          id: String(x.id), state: String(x.state).padEnd(10), source: String(x.source), destination: String(x.destination),
          attempts: String(x.attempts), reason: x.reason ? t('reason', { reason: String(x.reason) }) : '',
        })),
        ...Object.entries(a.by_destination).map(([d, n]) => t('queued', { destination: d, count: n })),
      ].join('\n') + '\n');
    }));

  for (const action of ['retry', 'cancel'] as const) {
    withConnection(admin.command(action)
      .argument('<id>', help('admin retry <id>'))
      .description(help(action === 'retry' ? 'admin retry' : 'admin cancel')))
      .action((id: string, o: AdminFlags) => run(async () => {
        const a = await call(o, 'POST', `/v1/admin/transfers/${encodeURIComponent(id)}/${action}`);
        print(o, a, () => `${t(action === 'retry' ? 'retrying' : 'cancelled', { id })}\n`);
      }));
  }

  withConnection(admin.command('reload')
    .description(help('admin reload')))
    .action((o: AdminFlags) => run(async () => {
      const a = await call(o, 'POST', '/v1/admin/reload') as { ok: boolean; changed: string[]; restart_needed: string[]; problems: string[] };
      print(o, a, () => [
        t('changed', { parts: a.changed.join(', ') || t('nothing') }),
        ...(a.restart_needed.length ? [t('restart', { parts: a.restart_needed.join(', ') })] : []),
        ...a.problems.map((p) => t('problem', { problem: p })),
      ].join('\n') + '\n');
      if (!a.ok) process.exitCode = 1;
    }));
}
