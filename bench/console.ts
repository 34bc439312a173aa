// `npm run bench:console [-- --db FILE]`: what a console page costs on a big
// audit log — the queries behind each page and the rendered HTML — beside a
// plain baseline in the same run (the newest 50 records, no filter: the
// cheapest page there is). The log is the one `npm run bench:audit` generates
// and keeps (10 million records by default); make it first:
//   npm run bench:audit -- --appends 2000 --big 10000000
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleQueries, PAGE_SIZE } from '../gateway/admin/console/console-queries.js';
import { makeView } from '../gateway/admin/console/console-view.js';
import { layout } from '../gateway/admin/console/console-view.js';
import { overviewPage } from '../gateway/admin/console/page-overview.js';
import { toFilter, transferPage, transfersPage } from '../gateway/admin/console/page-transfers.js';

const args = process.argv.slice(2);
const at = args.indexOf('--db');
const db = at >= 0 ? args[at + 1]! : join(tmpdir(), 'ferry-bench-audit-10000000.db');
if (!existsSync(db)) {
  process.stderr.write(`no log at ${db}: run npm run bench:audit -- --appends 2000 --big 10000000 first (or pass --db)\n`);
  process.exit(2);
}
const q = new ConsoleQueries(db);
const n = await q.records();
const span = (await (await q.log()).timeSpan())!;
const last = span.last;
const lastMs = Date.parse(last);
const first = Date.parse(span.first);
const mid = new Date((first + lastMs) / 2).toISOString();
const v = makeView('zh-CN', { name: 'zhao', uri: 'ferry://admin/zhao', role: 'auditor' }, 'token', 'Asia/Shanghai', 'bench', '/console/transfers');

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
async function time(what: string, fn: () => Promise<number | string>): Promise<void> {
  const times: number[] = [];
  let out: number | string = 0;
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    out = await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`  ${what.padEnd(70)} ${times[3]!.toFixed(1).padStart(8)} ms   (${typeof out === 'number' ? `${fmt(out)} rows` : `${fmt(out.length)} bytes`})\n`);
}

async function page(query: string): Promise<string> {
  const { form, filter, bad } = toFilter(new URLSearchParams(query), v.who.role === 'auditor', lastMs);
  const p = await q.search(filter);
  return layout(v, 'transfers', v.m.transfers.title, transfersPage(v, form, bad, p)).text;
}

process.stdout.write(`Ferry console benchmark — node ${process.version}, ${new Date().toISOString()}\n`);
process.stdout.write(`Log: ${db}, ${fmt(n)} records, ${new Date(first).toISOString()} to ${last}\n`);
process.stdout.write(`Median of 7 runs; a page is ${PAGE_SIZE} records, newest first, queried and rendered to HTML.\n\n`);
await time('baseline: newest 50 records, no filter (query only)', async () => (await q.search({})).rows.length);
await time('Transfers page, no filter (query + HTML)', () => page(''));
await time('… verdict=deny (1 transfer in 97)', () => page('verdict=deny'));
await time('… finding=personal-data', () => page('finding=personal-data'));
await time('… finding=malware (never occurs: one window of records walked)', () => page('finding=malware'));
await time('… source=health/claims&event=delivered', () => page('source=health/claims&event=delivered'));
await time('… event=denied&destination=extranet/portal (rare, combined)', () => page('event=denied&destination=extranet/portal'));
await time('… until=<middle of the log>&verdict=deny (deep page)', () => page(`until=${mid}&verdict=deny`));
await time('… since/until one hour in the middle', () => page(`since=${mid}&until=${new Date(Date.parse(mid) + 3_600_000).toISOString()}`));
await time('… rule=deny-personal-data', () => page('rule=deny-personal-data'));
const older = await q.search({ verdict: 'deny' });
await time('… verdict=deny, the next page (before=<seq>)', async () => (await q.search({ verdict: 'deny' }, older.next ?? undefined)).rows.length);
const id = `0192f1c4-7a00-7000-8000-${String(Math.floor(n / 12)).padStart(12, '0')}`;
await time('a transfer\'s timeline (query + HTML)', async () => transferPage(v, id, await q.transfer(id), { accepted: { receipt: null, ok: false }, delivered: { receipt: null, ok: false } }).text);
await time('Overview: the last 24 h of the log (queries + HTML)', async () => overviewPage(v, {
  stats: await q.overview(24, lastMs), queue: { queued: 0 }, health: { ready: true, reasons: [], degraded: [], checks: {} } as never, expiries: [], now: lastMs,
}).text);
await time('Policy page: decisions per rule over 30 days', async () => (await q.ruleHits(30, lastMs)).size);
await time('Audit page: latest checkpoint and 100 admin actions', async () => ((await q.latestCheckpoint()) ? 1 : 0) + (await q.adminActions()).rows.length);
await q.close();
