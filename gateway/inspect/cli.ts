import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { Finding } from '../../protocol/findings.js';
import { inspectFile, type ClamdOptions } from './index.js';
import { help } from '../../i18n/cli-help.js';

// `ferry inspect FILE...`: the gateway's inspectors outside a gateway, as an
// operator runs them before writing a policy. Exit 0 when every file was
// inspected (whatever was found), 2 when one could not be read.

interface InspectCliOptions {
  json?: boolean;
  clamd?: string;
  keywords?: string;
  type?: string;
}

/** HOST:PORT, :PORT, or a unix socket path. */
export function parseClamd(spec: string): ClamdOptions {
  if (spec.includes('/')) return { socket: spec };
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(spec);
  if (!m) throw new Error(`--clamd: expected HOST:PORT or a socket path, got ${spec}`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port: Number(m[3]) };
}

/** One keyword a line; blank lines and lines starting with # are ignored. */
export async function readKeywords(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

function where(f: Finding): string {
  const parts: string[] = [];
  if (f.path) parts.push(`in ${f.path}`);
  if (f.offset !== undefined) parts.push(`at byte ${f.offset}`);
  return parts.join(' ');
}

function line(f: Finding): string {
  const cols = [`  ${f.kind}${f.subkind ? `:${f.subkind}` : ''}`];
  if (f.count && f.count > 1) cols.push(`×${f.count}`);
  const w = where(f);
  if (w) cols.push(w);
  if (f.sample) cols.push(`sample ${f.sample}`);
  if (f.detail && f.kind !== 'classified-marking') cols.push(`— ${f.detail}`);
  return cols.join('  ');
}

export function register(program: Command): void {
  program
    .command('inspect')
    .description(help('inspect'))
    .argument('<files...>', help('inspect <files>'))
    .option('--json', help('inspect --json'))
    .option('--clamd <host:port|socket>', help('inspect --clamd'))
    .option('--keywords <file>', help('inspect --keywords'))
    .option('--type <mime>', help('inspect --type'))
    .addHelpText('after', help('inspect examples'))
    .action(async (files: string[], o: InspectCliOptions) => {
      let clamd: ClamdOptions | null = null;
      let keywords: string[] | undefined;
      try {
        if (o.clamd) clamd = parseClamd(o.clamd);
        if (o.keywords) keywords = await readKeywords(o.keywords);
      } catch (e) {
        process.stderr.write(`ferry inspect: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 2;
        return;
      }
      let unreadable = false;
      for (const file of files) {
        try {
          const r = await inspectFile(file, { keywords, clamd, declaredType: o.type, filename: basename(file) });
          // The inspector failed (it could not start, or died): the file was not inspected.
          if (r.findings.some((f) => f.kind === 'inspection-limit' && f.subkind === 'worker')) unreadable = true;
          if (o.json) {
            process.stdout.write(`${JSON.stringify({ file, sniffedType: r.sniffedType, size: r.size, findings: r.findings })}\n`);
          } else {
            const n = r.findings.length;
            process.stdout.write(`${file}: ${r.sniffedType ?? 'unknown'}, ${r.size} bytes, ${n === 0 ? 'no findings' : `${n} finding${n > 1 ? 's' : ''}`}\n`);
            for (const f of r.findings) process.stdout.write(`${line(f)}\n`);
          }
        } catch (e) {
          unreadable = true;
          const msg = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
          if (o.json) process.stdout.write(`${JSON.stringify({ file, error: msg })}\n`);
          process.stderr.write(`ferry inspect: cannot read ${file}: ${msg}\n`);
        }
      }
      process.exitCode = unreadable ? 2 : 0;
    });
}
