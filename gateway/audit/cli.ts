// `ferry log …`: verify, trace, prove, check-proof, consistency, query, export, tail.
// Every tool reads through the audit storage port (audit-storage.ts), read-only; none of them can change the log.
import { Command, InvalidArgumentError, Option } from 'commander';
import { createWriteStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkProofText } from './check-proof.js';
import { proveConsistency, proveTransfer } from './prove.js';
import { openAuditStorage } from './open-audit-storage.js';
import { auditRecordPages, normaliseTime, type AuditRecord, type RecordFilter } from './read-records.js';
import { CSV_BOM, CSV_HEADER, tableHeader, tableLine, toCsvLine, toJsonLine } from './record-format.js';
import { parseVkey, type NoteVerifier } from './signed-note.js';
import { verifyLogFile } from './verify.js';
import { queryLogPages } from './query-segments.js';
import { segmentFiles, verifySegments } from './verify-segments.js';
import { traceLine, traceTransfer } from './trace.js';
import { hopsLine, hopsOf } from './trace-hops.js';
import { help } from '../../i18n/cli-help.js';
import { translator } from '../../i18n/catalogue.js';
import { cliLocale } from '../../i18n/cli-locale.js';

/** The results of log verify, trace and check-proof, in the reader's language. */
const t = (key: string, params?: Record<string, unknown>): string => translator(cliLocale(), 'log')(key, params);
import { findAuditLogs } from './trace-sources.js';

export function register(program: Command): void {
  const log = program.command('log').description(help('log'));
  // `ferry log export … | head` closes the pipe early; that is not an error.
  log.hook('preAction', () => {
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  });
  log.command('verify')
    .description(help('log verify'))
    .requiredOption('--db <file|dir>', help('log verify --db'))
    .option('--pubkey <vkey>', help('log verify --pubkey'), collect, [])
    .option('--pubkey-file <file>', help('--pubkey-file'))
    .option('--against <checkpoint>', help('log verify --against'))
    .option('--json', help('log verify --json'))
    .addHelpText('after', help('log verify examples'))
    .action(async (o: { db: string; pubkey: string[]; pubkeyFile?: string; against?: string; json?: boolean }) => {
      const verifiers = loadVerifiers(o.pubkey, o.pubkeyFile);
      if (statSync(o.db).isDirectory()) {
        const r = await verifySegments(segmentFiles(o.db), { verifiers });
        if (o.json) process.stdout.write(JSON.stringify({ ...r, segments: r.segments.map((s) => ({ file: s.file, segment: s.segment, records: s.report.records, checkpoints: s.report.checkpoints, signatures: s.report.signaturesChecked })) }) + '\n');
        else if (r.ok) {
          const n = r.segments.reduce((a, s) => a + s.report.signaturesChecked, 0);
          const pruned = r.pruned.length ? t('pruned', { first: r.pruned[0], last: r.pruned[r.pruned.length - 1] }) : '';
          process.stdout.write(`${t('segmentsOk', { count: r.segments.length, first: r.segments[0]!.segment, last: r.segments[r.segments.length - 1]!.segment, records: r.records, pruned, sigs: verifiers.length ? t('sigsChecked', { n }) : t('sigsNotChecked') })}\n`);
        } else process.stdout.write(`${t('segmentFailed', { segment: r.failure!.segment, seq: r.failure!.seq, check: r.failure!.check, message: r.failure!.message })}\n${t('verifiedBefore', { records: r.records })}\n`);
        if (!r.ok) process.exitCode = 1;
        return;
      }
      const against = o.against === undefined ? undefined : readFileSync(o.against, 'utf8');
      // Progress on a terminal only: a 10-million-record log takes about a minute.
      const onProgress = process.stderr.isTTY
        ? (n: number, total: number): void => { process.stderr.write(`\r${t('progress', { n, total })}`); }
        : undefined;
      const r = await verifyLogFile(o.db, { verifiers, ...(against === undefined ? {} : { against }), ...(onProgress ? { onProgress } : {}) });
      if (onProgress) process.stderr.write('\r\x1b[K');
      if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
      else if (r.ok) {
        const sigs = verifiers.length ? t('sigsChecked', { n: r.signaturesChecked }) : t('sigsNotChecked');
        process.stdout.write(`${t('ok', { records: r.records, nodes: r.treeNodes, checkpoints: r.checkpoints, sigs, against: r.againstSize !== null ? t('against', { size: r.againstSize }) : '' })}\n`);
      } else process.stdout.write(`${t('failed', { seq: r.failure!.seq, check: r.failure!.check, message: r.failure!.message })}\n${t('verifiedBefore', { records: r.records })}\n`);
      if (!r.ok) process.exitCode = 1;
    });

  log.command('trace')
    .description(help('log trace'))
    .argument('<transfer-id>', help('log trace <transfer-id>'))
    .option('--db <file>', help('log trace --db'), collect, [])
    .option('--dir <folder>', help('log trace --dir'), collect, [])
    .option('--pubkey <vkey>', help('log trace --pubkey'), collect, [])
    .option('--pubkey-file <file>', help('--pubkey-file'))
    .option('--json', help('log trace --json'))
    .addHelpText('after', help('log trace examples'))
    .action(async (id: string, o: { db: string[]; dir: string[]; pubkey: string[]; pubkeyFile?: string; json?: boolean }) => {
      const found = [];
      for (const d of o.dir) found.push(await findAuditLogs(d));
      for (const f of found) for (const k of f.skipped) process.stderr.write(`${t('trace.notAKey', { file: k })}\n`);
      const dbs = [...o.db, ...found.flatMap((f) => f.dbs)];
      if (dbs.length === 0) throw new InvalidArgumentError(o.dir.length ? `no audit database in ${o.dir.join(', ')}` : 'give --db or --dir');
      const tr = await traceTransfer(id, dbs, [...loadVerifiers(o.pubkey, o.pubkeyFile), ...found.flatMap((f) => f.verifiers)]);
      const hops = hopsOf(tr.events);
      if (o.json) process.stdout.write(JSON.stringify({ ...tr, hops }) + '\n');
      else {
        for (const l of tr.logs) {
          const r = l.report;
          const gateway = l.gateway ?? t('trace.unknownGateway');
          process.stdout.write(`${r.ok
            ? t('trace.logOk', { db: l.db, gateway, records: r.records, sigs: r.signaturesChecked, nokey: l.keys.length ? '' : t('trace.noKey') })
            : t('trace.logFailed', { db: l.db, gateway, seq: r.failure!.seq, check: r.failure!.check, message: r.failure!.message })}\n`);
        }
        process.stdout.write(`${t('trace.summary', { id, records: tr.events.length, found: new Set(tr.events.map((e) => e.db)).size, logs: tr.logs.length })}\n`);
        if (hops.length > 1) process.stdout.write(`${t('trace.hops', { hops: hopsLine(hops) })}\n`);
        for (const e of tr.events) process.stdout.write(traceLine(e) + '\n');
      }
      if (tr.logs.some((l) => !l.report.ok) || tr.events.length === 0) process.exitCode = 1;
    });

  log.command('prove')
    .description(help('log prove'))
    .requiredOption('--db <file>', help('--db'))
    .argument('<transfer-id>', help('log prove <transfer-id>'))
    .option('--out <file>', help('--out'))
    .addHelpText('after', help('log prove examples'))
    .action(async (id: string, o: { db: string; out?: string }) => {
      const log = await openAuditStorage(o.db);
      try {
        emit(JSON.stringify(await proveTransfer(log, id), null, 2) + '\n', o.out);
      } finally {
        await log.close();
      }
    });

  log.command('check-proof')
    .description(help('log check-proof'))
    .argument('<file>', help('log check-proof <file>'))
    .option('--pubkey <vkey>', help('log check-proof --pubkey'), collect, [])
    .option('--pubkey-file <file>', help('--pubkey-file'))
    .addHelpText('after', help('log check-proof examples'))
    .action((file: string, o: { pubkey: string[]; pubkeyFile?: string }) => {
      const verifiers = loadVerifiers(o.pubkey, o.pubkeyFile);
      if (verifiers.length === 0) throw new InvalidArgumentError('check-proof needs --pubkey or --pubkey-file');
      try {
        const r = checkProofText(readFileSync(file, 'utf8'), verifiers);
        process.stdout.write(`${r.kind === 'inclusion'
          ? t('proof.inclusion', { seqs: r.seqs.join(', '), origin: r.origin, size: r.treeSize })
          : t('proof.consistency', { origin: r.origin, to: r.seqs[1], from: r.seqs[0] })}\n`);
      } catch (err) {
        process.stdout.write(`${t('proof.invalid', { message: (err as Error).message })}\n`);
        process.exitCode = 1;
      }
    });

  log.command('consistency')
    .description(help('log consistency'))
    .requiredOption('--db <file>', help('--db'))
    .requiredOption('--from <size>', help('log consistency --from'), count)
    .requiredOption('--to <size>', help('log consistency --to'), count)
    .option('--out <file>', help('--out'))
    .addHelpText('after', help('log consistency examples'))
    .action(async (o: { db: string; from: number; to: number; out?: string }) => {
      const log = await openAuditStorage(o.db);
      try {
        emit(JSON.stringify(await proveConsistency(log, o.from, o.to), null, 2) + '\n', o.out);
      } finally {
        await log.close();
      }
    });

  filters(log.command('query'))
    .description(help('log query'))
    .option('--limit <n>', help('--limit'), count, 1000)
    .option('--desc', help('log query --desc'))
    .option('--json', help('log query --json'))
    .addHelpText('after', help('log query examples'))
    .action(async (o: FilterOptions & { limit: number; desc?: boolean; json?: boolean }) => {
      // The whole log: the sealed segments beside data/audit.db too (query-segments.ts).
      const rows = queryLogPages(o.db, { ...toFilter(o), limit: o.limit, descending: Boolean(o.desc) });
      await writeAll(process.stdout, o.json ? map(rows, toJsonLine) : prepend(tableHeader(cliLocale()), map(rows, tableLine)));
    });

  filters(log.command('export'))
    .description(help('log export'))
    .addOption(new Option('--format <format>', help('log export --format')).choices(['jsonl', 'csv']).makeOptionMandatory())
    .option('--limit <n>', help('--limit'), count)
    .option('--out <file>', help('log export --out'))
    .addHelpText('after', help('log export examples'))
    .action(async (o: FilterOptions & { format: 'jsonl' | 'csv'; limit?: number; out?: string }) => {
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      try {
        const rows = queryLogPages(o.db, { ...toFilter(o), ...(o.limit === undefined ? {} : { limit: o.limit }) });
        await writeAll(out, o.format === 'csv' ? prepend(CSV_BOM + CSV_HEADER, map(rows, toCsvLine)) : map(rows, toJsonLine));
      } finally {
        if (out !== process.stdout) { out.end(); await once(out, 'finish'); }
      }
    });

  filters(log.command('tail'))
    .description(help('log tail'))
    .option('-n, --lines <n>', help('log tail --lines'), count, 10)
    .option('--interval <ms>', help('log tail --interval'), count, 1000)
    .option('--json', help('log tail --json'))
    .addHelpText('after', help('log tail examples'))
    .action(async (o: FilterOptions & { lines: number; interval: number; json?: boolean }) => {
      const log = await openAuditStorage(o.db);
      const filter = toFilter(o);
      const line = o.json ? toJsonLine : tableLine;
      let stop = false;
      const onSignal = (): void => { stop = true; };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        if (!o.json) process.stdout.write(tableHeader(cliLocale()));
        const recent: AuditRecord[] = [];
        for await (const page of auditRecordPages(log, { ...filter, limit: o.lines, descending: true })) recent.push(...page);
        recent.reverse();
        let last = recent.at(-1)?.seq ?? await log.maxSeq();
        await writeAll(process.stdout, map(onePage(recent), line));
        while (!stop) {
          await sleep(o.interval);
          for await (const page of auditRecordPages(log, { ...filter, afterSeq: last, limit: 10_000 })) {
            for (const r of page) {
              last = r.seq;
              if (!process.stdout.write(line(r))) await once(process.stdout, 'drain');
            }
          }
        }
      } finally {
        await log.close();
      }
    });
}

interface FilterOptions {
  db: string; transfer?: string; since?: string; until?: string; source?: string; destination?: string;
  principal?: string; event?: string; verdict?: string; rule?: string; code?: string; finding?: string;
}

function filters(cmd: Command): Command {
  return cmd
    .requiredOption('--db <file>', help('--db'))
    .option('--transfer <id>', help('admin retry <id>'))
    .option('--since <time>', help('--since'), time)
    .option('--until <time>', help('--until'), time)
    .option('--source <network/system>', help('--source'))
    .option('--destination <network/system>', help('--destination'))
    .option('--principal <uri>', help('--principal'))
    .option('--event <event>', help('--event'))
    .option('--verdict <verdict>', help('--verdict'))
    .option('--rule <id>', help('--rule'))
    .option('--code <code>', help('--code'))
    .option('--finding <kind>', help('--finding'));
}

function toFilter(o: FilterOptions): RecordFilter {
  const f: RecordFilter = {};
  if (o.transfer !== undefined) f.transferId = o.transfer;
  if (o.finding !== undefined) f.findingKind = o.finding;
  for (const k of ['since', 'until', 'source', 'destination', 'principal', 'event', 'verdict', 'rule', 'code'] as const) if (o[k] !== undefined) f[k] = o[k];
  return f;
}

function collect(v: string, acc: string[]): string[] {
  return [...acc, v];
}

function count(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError('expected a non-negative whole number');
  return Number(v);
}

function time(v: string): string {
  const now = new Date();
  const rel = /^(\d+)([hd])$/.exec(v);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (rel[2] === 'h' ? 3_600_000 : 86_400_000)).toISOString();
  // Midnight in the zone the operator runs in (TZ), as the stored UTC form.
  if (v === 'today' || v === 'yesterday') return new Date(now.getFullYear(), now.getMonth(), now.getDate() - (v === 'yesterday' ? 1 : 0)).toISOString();
  try {
    return normaliseTime(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function loadVerifiers(keys: string[], file?: string): NoteVerifier[] {
  const all = [...keys];
  if (file) all.push(...readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  try {
    return all.map(parseVkey);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function emit(text: string, out?: string): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

async function* onePage<T>(items: T[]): AsyncGenerator<T[]> {
  yield items;
}

/** Pages of records as pages of lines (one await per page, not per record). */
async function* map<T>(pages: AsyncIterable<AuditRecord[]>, f: (r: AuditRecord) => T): AsyncGenerator<T[]> {
  for await (const page of pages) yield page.map(f);
}

async function* prepend(first: string, rest: AsyncIterable<string[]>): AsyncGenerator<string[]> {
  yield [first];
  yield* rest;
}

/** Write lines honouring back-pressure, so a 10-million-record export stays in bounded memory. */
async function writeAll(out: Writable, pages: AsyncIterable<string[]>): Promise<void> {
  let buf = '';
  for await (const lines of pages) {
    for (const l of lines) buf += l;
    if (buf.length >= 64 * 1024) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  if (buf) out.write(buf);
}
