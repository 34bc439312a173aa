// npm run bench:history [-- --rows 2000000 --audit-records 1000000 --retained 20000 --small 500 --window 65 --rounds 3 --sealed 4]
//
// A gateway with months of history against a fresh one, in one run (issue #19).
// The history gateway's stores are filled directly, fast (history-fill.ts):
// --rows queue rows of 30 days of settled transfers (2 % of them older than
// delivery.keep_settled, so the purge has work), --retained of them holding a
// spool file in the fan-out (1 in 20 of those due for the retention sweep),
// and --audit-records audit records shaped like the fresh gateway's own,
// sealed into --sealed segments and the live one, signed with the gateway's
// key. Then, in --rounds rounds, each gateway in turn (fresh, history, fresh,
// history …: the machine is shared, so both see the same load): start-up
// time; time-to-202 of small files (p50/p99, 8 at a time); the event loop's
// worst lag (nodejs_eventloop_lag_max_seconds) over a window that includes
// Prometheus scrapes every 10 s and retention sweeps, under a steady trickle
// of uploads. Per-round ratios and the load average are printed. Last, both
// stopped, `ferry log verify` of each data directory (--no-verify skips it).
// Disk per record and per row are printed for sizing (README, "Sizing").
// --reuse ROOT takes the directory of an earlier run that was stopped after its
// queue fill (a 10-million-row fill takes most of an hour): the queue rows and
// spool files are kept, the audit log is filled again from empty (or kept as
// it is with --keep-audit, when the earlier run's audit fill had ended).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';
import { SEGMENTS_DIR } from '../gateway/audit/segments.js';
import type { AuditEntry } from '../protocol/audit-events.js';
import { startGatewayProcess, type GatewayProcess } from '../gateway/process/gateway-process.js';
import { createDevSetup, writeDevConfig, type DevSetup } from '../gateway/setup/dev-setup.js';
import { Worker } from 'node:worker_threads';
import { fillQueue, type AuditFill } from './history-fill.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const FERRY = here('../bin/ferry.js');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const ROWS = opt('rows', 2_000_000);
const AUDIT = opt('audit-records', 1_000_000);
const RETAINED = opt('retained', 20_000);
const SMALL = opt('small', 500);
const WINDOW_S = opt('window', 65);
const ROUNDS = opt('rounds', 3);
const SEALED = opt('sealed', 4);
const VERIFY = !args.includes('--no-verify');
const ROOT = args.includes('--dir') ? args[args.indexOf('--dir') + 1]! : tmpdir();
const REUSE = args.includes('--reuse') ? args[args.indexOf('--reuse') + 1]! : null;
/** With --reuse: the audit log as the earlier run filled it (its fill had ended), not filled again. */
const KEEP_AUDIT = REUSE !== null && args.includes('--keep-audit');
const DAY = 86_400_000;
const KEEP_DAYS = 30;

const children = new Set<ChildProcess>();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

async function setupGateway(dir: string, sinkPort: number): Promise<DevSetup> {
  const setup = await createDevSetup(dir);
  // As bench:file-relay: no retention obligations (the fill makes the retained files), random bytes let through.
  const policy = (await readFile(setup.policy, 'utf8')).replace(/\n {4}obligations:\n( {6}.*\n)+/g, '\n').replace(/\n {2}- id: deny-uninspectable\n( {4}.*\n)+/, '\n');
  await writeFile(setup.policy, policy);
  setup.ports.receiver = sinkPort;
  await writeDevConfig(setup);
  const config = (await readFile(setup.config, 'utf8')).replace('max_uploads_per_principal: 8', 'max_uploads_per_principal: 32')
    .replace('  expire_after: 7d', `  expire_after: 7d\n  keep_settled: ${KEEP_DAYS}d`);
  await writeFile(setup.config, config);
  return setup;
}

async function start(setup: DevSetup): Promise<{ gw: GatewayProcess; startMs: number }> {
  const t0 = performance.now();
  const gw = await startGatewayProcess({ config: setup.config, readyTimeoutMs: 600_000 });
  children.add(gw.child);
  return { gw, startMs: performance.now() - t0 };
}

function agentFor(setup: DevSetup): Agent {
  return new Agent({ connect: { cert: readFileSync(setup.sender.cert), key: readFileSync(setup.sender.key), ca: readFileSync(setup.ca) }, connections: 16 });
}

async function put(agent: Agent, port: number): Promise<number> {
  const body = randomBytes(4096);
  const s = performance.now();
  const res = await request(`https://127.0.0.1:${port}/v1/files`, {
    method: 'PUT', dispatcher: agent, body,
    headers: { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-type': 'application/octet-stream', 'content-length': String(body.length) },
  });
  const text = await res.body.text();
  if (res.statusCode !== 202) throw new Error(`answer ${res.statusCode}: ${text}`);
  return performance.now() - s;
}

async function smallFiles(agent: Agent, port: number, count: number, concurrency: number): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < count) times.push(await put(agent, port));
  }));
  return times;
}

async function scrape(adminPort: number): Promise<{ lagMax: number; ms: number; rows: number }> {
  const s = performance.now();
  const res = await request(`http://127.0.0.1:${adminPort}/metrics`);
  const text = await res.body.text();
  const took = performance.now() - s;
  const lagMax = Number(/^nodejs_eventloop_lag_max_seconds (\S+)/m.exec(text)?.[1] ?? 'NaN');
  let rows = 0;
  for (const m of text.matchAll(/^ferry_queue_rows\{state="[^"]+"\} (\S+)/gm)) rows += Number(m[1]);
  return { lagMax, ms: took, rows };
}

/** Uploads at ~20/s and a scrape every 10 s for WINDOW_S: the worst event-loop lag any scrape reported. */
async function lagWindow(agent: Agent, gw: GatewayProcess): Promise<{ lagMax: number; scrapeMax: number; rowsBefore: number; rowsAfter: number; uploads: number }> {
  const first = await scrape(gw.ready.admin); // resets the lag histogram
  const end = Date.now() + WINDOW_S * 1000;
  let lagMax = 0;
  let scrapeMax = first.ms;
  let rowsAfter = first.rows;
  let sent = 0;
  const uploads = (async () => { while (Date.now() < end) { await put(agent, gw.ready.ports.police!); sent++; await new Promise((r) => setTimeout(r, 50)); } })();
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, Math.min(10_000, Math.max(0, end - Date.now()))));
    const s = await scrape(gw.ready.admin);
    lagMax = Math.max(lagMax, s.lagMax);
    scrapeMax = Math.max(scrapeMax, s.ms);
    rowsAfter = s.rows;
  }
  await uploads;
  rowsAfter = (await scrape(gw.ready.admin)).rows;
  return { lagMax: lagMax * 1000, scrapeMax, rowsBefore: first.rows, rowsAfter, uploads: sent };
}

function verify(dataDir: string): { records: number; ms: number; out: string } {
  const vkey = readFileSync(join(dataDir, 'keys', 'audit.vkey'), 'utf8').trim();
  const s = performance.now();
  const out = execFileSync(process.execPath, [FERRY, 'log', 'verify', '--db', dataDir, '--pubkey', vkey], { encoding: 'utf8' });
  const took = performance.now() - s;
  return { records: Number(/(\d+) records/.exec(out)?.[1] ?? 0), ms: took, out: out.trim() };
}

async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) n += e.isDirectory() ? await dirBytes(join(dir, e.name)) : (await stat(join(dir, e.name))).size;
  return n;
}

function templatesOf(dataDir: string): AuditEntry[] {
  const db = new Database(join(dataDir, 'audit.db'), { readonly: true });
  const rows = db.prepare("SELECT * FROM records WHERE transfer_id IS NOT NULL ORDER BY seq LIMIT 600").all() as Array<Record<string, unknown>>;
  db.close();
  return rows.map((r) => ({
    event: r.event as AuditEntry['event'], transferId: r.transfer_id as string, principal: r.principal as string | null, source: r.source as string | null,
    destination: r.destination as string | null, size: r.size as number | null, sha256: r.sha256 as string | null, verdict: r.verdict as 'allow' | 'deny' | null,
    rule: r.rule as string | null, policyHash: r.policy_hash as string | null, details: r.details ? JSON.parse(r.details as string) as Record<string, unknown> : null,
  }));
}

interface Figures { sent: number; startMs: number; p50: number; p99: number; lagMax: number; scrapeMax: number; purged: number; load: number }

async function measure(name: string, setup: DevSetup, round: number): Promise<Figures> {
  const load0 = loadavg()[0]!;
  const { gw, startMs } = await start(setup);
  const agent = agentFor(setup);
  await smallFiles(agent, gw.ready.ports.police!, 50, 8); // warm-up
  const times = await smallFiles(agent, gw.ready.ports.police!, SMALL, 8);
  const w = await lagWindow(agent, gw);
  await agent.close();
  await gw.stop();
  children.delete(gw.child);
  const f = { startMs, p50: pct(times, 50), p99: pct(times, 99), lagMax: w.lagMax, scrapeMax: w.scrapeMax, purged: w.rowsBefore + w.uploads - w.rowsAfter, sent: 50 + SMALL + w.uploads, load: (load0 + loadavg()[0]!) / 2 };
  process.stderr.write(`round ${round} ${name.padEnd(7)}: start ${ms(f.startMs)}, 202 p50 ${ms(f.p50)} p99 ${ms(f.p99)}, lag ${ms(f.lagMax)}, scrape ${ms(f.scrapeMax)}, purged ${f.purged}, load ${f.load.toFixed(1)}\n`);
  return f;
}

async function main(): Promise<void> {
  const root = REUSE ?? await mkdtemp(join(ROOT, 'ferry-bench-history-'));
  try {
    // Reused: the fresh gateway (and the PKI both use) made anew.
    if (REUSE) await rm(join(root, 'fresh'), { recursive: true, force: true });
    const fresh = await setupGateway(join(root, 'fresh'), 0);
    const sink = spawn(process.execPath, [here('./relay/sink.js'), fresh.pushReceiver.cert, fresh.pushReceiver.key, fresh.ca], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(sink);
    const lines = createInterface({ input: sink.stdout! });
    const port = await new Promise<number>((r) => lines.once('line', (l) => r((JSON.parse(l) as { port: number }).port)));
    lines.on('line', () => undefined); // arrivals, read so the sink never blocks
    fresh.ports.receiver = port;
    await writeDevConfig(fresh);
    await writeFile(fresh.config, (await readFile(fresh.config, 'utf8')).replace('max_uploads_per_principal: 8', 'max_uploads_per_principal: 32').replace('  expire_after: 7d', `  expire_after: 7d\n  keep_settled: ${KEEP_DAYS}d`));

    // The history gateway shares the fresh one's PKI and configuration, in its own directory.
    const hist: DevSetup = { ...fresh, dir: join(root, 'history'), config: join(root, 'history', 'gateway.yaml'), policy: join(root, 'history', 'policy.yaml') };
    await mkdir(hist.dir, { recursive: true });
    await writeFile(hist.policy, await readFile(fresh.policy));
    await writeFile(hist.config, (await readFile(fresh.config, 'utf8')).replaceAll('./pki/', `${fresh.pki}/`));

    // The fresh gateway's first transfers give the audit records' shapes.
    const freshData = join(fresh.dir, 'data');
    {
      const { gw } = await start(fresh);
      const agent = agentFor(fresh);
      await smallFiles(agent, gw.ready.ports.police!, 100, 8);
      await agent.close();
      await gw.stop();
      children.delete(gw.child);
    }
    let transfersFresh = 100;

    // Fill the history gateway: start once (schema, keys), stop, fill.
    const histData = join(hist.dir, 'data');
    if (REUSE && !KEEP_AUDIT) {
      // The queue as the earlier run left it; its audit log (stopped part-way) made again from empty.
      await rm(join(histData, SEGMENTS_DIR), { recursive: true, force: true });
      for (const f of ['audit.db', 'audit.db-wal', 'audit.db-shm']) await rm(join(histData, f), { force: true });
    }
    const first = await start(hist);
    await first.gw.stop();
    children.delete(first.gw.child);
    const load0 = loadavg()[0]!;
    // The audit log in a worker thread while the queue fills here.
    const now = Date.now();
    const worker = KEEP_AUDIT ? null : new Worker(here('./history-fill-worker.js'), { workerData: { dataDir: histData, name: 'gw1', records: AUDIT, sealed: SEALED, templates: templatesOf(freshData), from: now - KEEP_DAYS * DAY, to: now - 60_000 } });
    const audited = worker
      ? new Promise<AuditFill>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); })
      : Promise.resolve({ ms: NaN } as AuditFill);
    const q = REUSE
      ? { ms: NaN, spoolFiles: RETAINED }
      : await fillQueue(histData, { rows: ROWS, retained: RETAINED, keepDays: KEEP_DAYS, onProgress: (n) => process.stderr.write(`  queue: ${n.toLocaleString('en')} rows\n`) });
    process.stderr.write(`  queue filled in ${(q.ms / 1000).toFixed(0)} s\n`);
    const a = await audited;
    await worker?.terminate();
    const fillLoad = (load0 + loadavg()[0]!) / 2;
    process.stderr.write(`filled ${ROWS.toLocaleString('en')} queue rows and ${q.spoolFiles.toLocaleString('en')} spool files in ${(q.ms / 1000).toFixed(0)} s (${Math.round(ROWS / (q.ms / 1000)).toLocaleString('en')} rows/s); `
      + `${AUDIT.toLocaleString('en')} audit records in ${SEALED} sealed segments + the live one in ${(a.ms / 1000).toFixed(0)} s (${Math.round(AUDIT / (a.ms / 1000)).toLocaleString('en')} records/s), at the same time; load average ${fillLoad.toFixed(1)}\n`);
    // The fill wrote gigabytes unsynchronised: let the disk take them before any start is timed,
    // or the gateway's first fsyncs wait behind that writeback.
    execFileSync('sync');
    const queueBytes = (await stat(join(histData, 'queue.db'))).size;
    const auditBytes = await dirBytes(join(histData, SEGMENTS_DIR)) + (await stat(join(histData, 'audit.db'))).size;

    const fr: Figures[] = [];
    const hr: Figures[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      fr.push(await measure('fresh', fresh, round));
      transfersFresh += fr[fr.length - 1]!.sent;
      hr.push(await measure('history', hist, round));
    }

    const r = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
    const med = (xs: number[]) => pct(xs, 50);
    console.log(`\nbench:history: fresh gateway vs one with ${ROWS.toLocaleString('en')} queue rows, ${q.spoolFiles.toLocaleString('en')} retained spool files, ${AUDIT.toLocaleString('en')} audit records in ${SEALED} sealed segments + the live one; ${ROUNDS} rounds, interleaved`);
    const figures: Array<[string, (f: Figures) => number]> = [
      ['start-up (spawn to ready)', (f) => f.startMs],
      [`time-to-202 p50 (${SMALL} files of 4 KiB, 8 at a time)`, (f) => f.p50],
      ['time-to-202 p99', (f) => f.p99],
      [`worst event-loop lag, ${WINDOW_S} s (scrapes, sweeps)`, (f) => f.lagMax],
      ['slowest /metrics scrape', (f) => f.scrapeMax],
    ];
    console.log(`${''.padEnd(48)} ${Array.from({ length: ROUNDS }, (_, i) => `round ${i + 1}: fresh / history = ratio`.padStart(36)).join('')}   median ratio`);
    for (const [what, get] of figures) {
      const cells = fr.map((f, i) => `${ms(get(f))} / ${ms(get(hr[i]!))} = ${r(get(f), get(hr[i]!))}`.padStart(36));
      console.log(`${what.padEnd(48)} ${cells.join('')}   ${med(fr.map((f, i) => get(hr[i]!) / get(f))).toFixed(2)}×`);
    }
    console.log(`${'settled rows purged during the window'.padEnd(48)} ${fr.map((f, i) => `${Math.max(0, f.purged)} / ${Math.max(0, hr[i]!.purged)}`.padStart(36)).join('')}`);
    console.log(`${'load average (1 min) during the round'.padEnd(48)} ${fr.map((f, i) => `${f.load.toFixed(1)} / ${hr[i]!.load.toFixed(1)}`.padStart(36)).join('')}`);
    console.log(`fill: queue ${ROWS.toLocaleString('en')} rows in ${(q.ms / 1000).toFixed(0)} s (${Math.round(ROWS / (q.ms / 1000)).toLocaleString('en')}/s), audit ${AUDIT.toLocaleString('en')} records in ${(a.ms / 1000).toFixed(0)} s (${Math.round(AUDIT / (a.ms / 1000)).toLocaleString('en')}/s), load ${fillLoad.toFixed(1)}`);

    if (VERIFY) {
      const vf = verify(freshData);
      const vh = verify(histData);
      console.log(`log verify, whole data directory: fresh ${Math.round(vf.records / (vf.ms / 1000)).toLocaleString('en')} rec/s; history ${Math.round(vh.records / (vh.ms / 1000)).toLocaleString('en')} rec/s, ${(vh.ms / 1000).toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}`);
      console.log(`  fresh:   ${vf.out}\n  history: ${vh.out}`);
      const freshRecords = vf.records;
      const perDay = 100_000;
      const auditDay = perDay * (freshRecords / transfersFresh) * (auditBytes / AUDIT);
      console.log(`\nsizing: queue.db ${(queueBytes / ROWS).toFixed(0)} bytes per row (with indexes); audit ${(auditBytes / AUDIT).toFixed(0)} bytes per record (with indexes, tree, checkpoints);`);
      console.log(`        ${(freshRecords / transfersFresh).toFixed(1)} audit records per transfer (fresh gateway, ${transfersFresh} small files pushed)`);
      console.log(`        at ${perDay.toLocaleString('en')} transfers a day: audit ${(auditDay / 2 ** 30).toFixed(2)} GiB/day, ${(auditDay * 183 / 2 ** 30).toFixed(0)} GiB for six months; queue ${(perDay * KEEP_DAYS * queueBytes / ROWS / 2 ** 30).toFixed(2)} GiB for ${KEEP_DAYS} days of rows`);
    } else {
      console.log(`\nsizing: queue.db ${(queueBytes / ROWS).toFixed(0)} bytes per row (with indexes); audit ${(auditBytes / AUDIT).toFixed(0)} bytes per record (with indexes, tree, checkpoints)`);
    }
  } finally {
    for (const c of children) c.kill('SIGKILL');
    if (!REUSE) await rm(root, { recursive: true, force: true });
  }
}

await main();
