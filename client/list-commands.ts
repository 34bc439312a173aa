// `ferry list` and `ferry destinations`: what this system sent, and where it can send.

import type { Command } from 'commander';
import type { TransferStatus } from './gateway-answers.js';
import { addConnectionOptions, connect, run, usageExit, type CommonFlags } from './command-kit.js';
import { ClientError } from './refusal.js';
import { printable } from './report.js';
import { help } from '../i18n/cli-help.js';

interface Destination {
  id: string;
  delivery: string;
}

/** '2026-11-29', '2026-11-29T08:00:00Z', 'today' (local midnight), or '24h' / '7d' ago. */
export function parseWhen(v: string, now = new Date()): string {
  const rel = /^(\d+)([hd])$/.exec(v);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (rel[2] === 'h' ? 3_600_000 : 86_400_000)).toISOString();
  if (v === 'today') return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new ClientError(`${JSON.stringify(v)} is not a time: use 2026-11-29, 2026-11-29T08:00:00Z, today, 24h or 7d`);
  return new Date(t).toISOString();
}

function row(s: TransferStatus & { rule?: string | null }): string {
  const what = s.state === 'denied' && s.rule ? `denied (${printable(s.rule)})` : printable(s.state);
  return `${printable(s.id)}  ${printable(s.created)}  ${what.padEnd(10)}  → ${printable(s.destination)}  ${s.size ?? '-'} B  ${s.filename ? printable(s.filename) : ''}`.trimEnd();
}

export function addListCommands(program: Command): void {
  const list = program.command('list')
    .description(help('list'))
    .option('--state <states>', help('list --state'))
    .option('--since <time>', help('list --since'))
    .option('--until <time>', help('list --until'))
    .option('--limit <n>', help('list --limit'), '50')
    .option('--before <id>', help('list --before'));
  addConnectionOptions(list);
  usageExit(list);
  list.addHelpText('after', help('list examples'));
  list.action(async (o: CommonFlags & { state?: string; since?: string; until?: string; limit: string; before?: string }) => {
    await run('list', o.json, async () => {
      const q = new URLSearchParams();
      if (o.state) q.set('state', o.state);
      if (o.since) q.set('since', parseWhen(o.since));
      if (o.until) q.set('until', parseWhen(o.until));
      q.set('limit', o.limit);
      if (o.before) q.set('before', o.before);
      const conn = await connect(o);
      try {
        const page = await conn.json<{ transfers: TransferStatus[]; next: string | null }>('GET', `/v1/transfers?${q}`);
        if (!page || !Array.isArray(page.transfers)) throw new ClientError('the gateway\'s answer has no transfers list');
        if (o.json) process.stdout.write(JSON.stringify(page) + '\n');
        else {
          for (const s of page.transfers) process.stdout.write(row(s) + '\n');
          process.stderr.write(`${page.transfers.length} transfer(s)${page.next ? `; more: --before ${page.next}` : ''}\n`);
        }
      } finally {
        await conn.close();
      }
    });
  });

  const dest = program.command('destinations')
    .description(help('destinations'));
  addConnectionOptions(dest);
  usageExit(dest);
  dest.action(async (o: CommonFlags) => {
    await run('destinations', o.json, async () => {
      const conn = await connect(o);
      try {
        const a = await conn.json<{ destinations: Destination[] }>('GET', '/v1/destinations');
        if (!a || !Array.isArray(a.destinations)) throw new ClientError('the gateway\'s answer has no destinations list');
        if (o.json) process.stdout.write(JSON.stringify(a) + '\n');
        else for (const d of a.destinations) process.stdout.write(`${printable(d.id)}  (${printable(d.delivery)})\n`);
      } finally {
        await conn.close();
      }
    });
  });
}
