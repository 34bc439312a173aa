// npm run bench:history [-- --rows 2000000 --audit-records 1000000 --retained 20000 --small 500 --window 65]
//
// A gateway with months of history against a fresh one, in one run (issue #19).
// The history gateway's stores are filled directly, fast: --rows queue rows of
// 30 days of settled transfers (2 % of them older than delivery.keep_settled,
// so the purge has work), --retained of them holding a spool file in the
// fan-out (1 in 20 of those due for the retention sweep), and --audit-records
// audit records shaped like the fresh gateway's own, sealed into four segments
// and signed with the gateway's key. Then, for each gateway (its own process):
// start-up time; time-to-202 of small files (p50/p99, 8 at a time); the event
// loop's worst lag (nodejs_eventloop_lag_max_seconds) over a window that
// includes Prometheus scrapes every 10 s and retention sweeps, under a steady
// trickle of uploads; and, stopped, `ferry log verify` of its data directory.
// Disk per record and per row are printed for sizing (README, "Sizing").
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { SEGMENTS_DIR } from '../gateway/audit/segments.js';
import type { AuditEntry } from '../protocol/audit-events.js';
import { loadOrCreateGatewayKeys } from '../gateway/keys/gateway-keys.js';
import { startGatewayProcess, type GatewayProcess } from '../gateway/process/gateway-process.js';
import { createDevSetup, writeDevConfig, type DevSetup } from '../gateway/setup/dev-setup.js';
import { spoolNameFor } from '../gateway/spool/spool-layout.js';
import { uuidv7 } from '../protocol/ids.js';

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

/** Queue rows of 30 days of settled transfers, written straight into queue.db. */
async function fillQueue(dataDir: string): Promise<void> {
  const db = new Database(join(dataDir, 'queue.db'));
  db.pragma('synchronous = OFF');
  const ins = db.prepare(`INSERT INTO transfers (id, kind, state, principal, source, destination, label, filename, content_type, size, sha256, spool, delivery,
    created, updated, expires_at, attempts, next_attempt_at, receipt_accepted, receipt_delivered, retain_days, retain_until, delivered_at)
    VALUES (?, 'file', ?, 'ferry://police/records', 'police/records', 'extranet/archive', 'internal', 'report.pdf', 'application/pdf', 4096, ?, ?, 'push',
    ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`);
  const now = Date.now();
  const receipt = JSON.stringify({ type: 'accepted', transfer: uuidv7(), sha256: 'ab'.repeat(32), size: 4096, source: 'police/records', destination: 'extranet/archive', time: new Date().toISOString(), gateway: 'ferry://gateway/gw1', key_id: '1cfd7f39', signature: 'x'.repeat(88) });
  const sha = 'cd'.repeat(32);
  const retainEvery = Math.max(1, Math.floor(ROWS / Math.max(1, RETAINED)));
  const spoolDir = join(dataDir, 'spool');
  const files: string[] = [];
  const BATCH = 50_000;
  for (let from = 0; from < ROWS; from += BATCH) {
    db.transaction(() => {
      for (let i = from; i < Math.min(ROWS, from + BATCH); i++) {
        // Oldest first; the first 2 % are past keep_settled.
        const created = now - (KEEP_DAYS + 0.6) * DAY + Math.floor((i / ROWS) * KEEP_DAYS * DAY);
        const id = uuidv7(created);
        const state = i % 100 === 97 ? 'denied' : i % 100 === 98 ? 'expired' : i % 100 === 99 ? 'failed' : 'delivered';
        const retained = state === 'delivered' && i % retainEvery === 0;
        // 1 in 20 retained files is due for the sweep.
        const retainUntil = retained ? ((i / retainEvery) % 20 === 0 ? now - 1000 : now + 30 * DAY) : null;
        const spool = spoolNameFor(id);
        if (retained) files.push(spool);
        ins.run(id, state, sha, spool, created, created + 800, created + 7 * DAY, created, receipt, state === 'delivered' ? receipt : null,
          retained ? 30 : null, retainUntil, state === 'delivered' ? created + 800 : null);
      }
    })();
  }
  db.close();
  const blob = randomBytes(4096 + 64);
  for (let i = 0; i < files.length; i += 256) await Promise.all(files.slice(i, i + 256).map((f) => writeFile(join(spoolDir, f), blob, { mode: 0o600 })));
}

/** Audit records shaped like the fresh gateway's own (same events and details), appended and sealed into four segments. */
async function fillAudit(dataDir: string, templates: AuditEntry[]): Promise<void> {
  const keys = await loadOrCreateGatewayKeys(join(dataDir, 'keys'), 'gw1');
  const origin = 'ferry.gateway/gw1';
  const log = openAuditLog(join(dataDir, 'audit.db'), { origin, signer: { keyName: origin, privateKey: keys.signingKey }, checkpointEvery: 1000, checkpointIntervalMs: 3_600_000 });
  const perSegment = Math.ceil(AUDIT / 4);
  let written = 0;
  while (written < AUDIT) {
    const id = uuidv7();
    const batch: AuditEntry[] = [];
    for (let k = 0; k < 2000 && written + batch.length < AUDIT; k++) {
      const tpl = templates[(written + k) % templates.length]!;
      batch.push({ ...tpl, ...(tpl.transferId ? { transferId: uuidv7() } : {}) });
    }
    void id;
    await log.appendMany(batch);
    const before = Math.floor(written / perSegment);
    written += batch.length;
    if (Math.floor(written / perSegment) > before || written >= AUDIT) await log.seal(join(dataDir, SEGMENTS_DIR));
  }
  await log.close();
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

interface Figures { sent: number; startMs: number; p50: number; p99: number; lagMax: number; scrapeMax: number; purged: number; verify: { records: number; ms: number; out: string } }

async function measure(name: string, setup: DevSetup): Promise<Figures> {
  const { gw, startMs } = await start(setup);
  const agent = agentFor(setup);
  await smallFiles(agent, gw.ready.ports.police!, 50, 8); // warm-up
  const times = await smallFiles(agent, gw.ready.ports.police!, SMALL, 8);
  process.stderr.write(`${name}: ${SMALL} small files sent; lag window of ${WINDOW_S} s\n`);
  const w = await lagWindow(agent, gw);
  await agent.close();
  await gw.stop();
  children.delete(gw.child);
  const v = verify(join(setup.dir, 'data'));
  return { startMs, p50: pct(times, 50), p99: pct(times, 99), lagMax: w.lagMax, scrapeMax: w.scrapeMax, purged: w.rowsBefore + w.uploads - w.rowsAfter, sent: w.uploads, verify: v };
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'ferry-bench-history-'));
  try {
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

    const f = await measure('fresh', fresh);
    const freshData = join(fresh.dir, 'data');
    const transfersFresh = 50 + SMALL + f.sent;
    const freshRecords = f.verify.records;

    // Fill the history gateway: start once (schema, keys), stop, fill.
    const first = await start(hist);
    await first.gw.stop();
    children.delete(first.gw.child);
    const t0 = performance.now();
    await fillQueue(join(hist.dir, 'data'));
    const tq = performance.now() - t0;
    await fillAudit(join(hist.dir, 'data'), templatesOf(freshData));
    const ta = performance.now() - t0 - tq;
    process.stderr.write(`filled ${ROWS} queue rows and ${RETAINED} spool files in ${(tq / 1000).toFixed(0)} s, ${AUDIT} audit records in 4 sealed segments in ${(ta / 1000).toFixed(0)} s\n`);
    // The fill wrote gigabytes with synchronous = OFF: let the disk take them before the start is timed,
    // or the gateway's first fsyncs wait behind that writeback.
    execFileSync('sync');
    const queueBytes = (await stat(join(hist.dir, 'data', 'queue.db'))).size;
    const auditBytes = await dirBytes(join(hist.dir, 'data', SEGMENTS_DIR)) + (await stat(join(hist.dir, 'data', 'audit.db'))).size;
    const h = await measure('history', hist);

    const row = (what: string, a: string, b: string, ratio: string) => console.log(`${what.padEnd(44)} ${a.padStart(14)} ${b.padStart(14)} ${ratio.padStart(8)}`);
    const r = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
    console.log(`\nbench:history: fresh gateway vs one with ${ROWS.toLocaleString('en')} queue rows, ${RETAINED.toLocaleString('en')} retained spool files, ${AUDIT.toLocaleString('en')} audit records in 4 sealed segments + the live one`);
    row('', 'fresh', 'history', 'ratio');
    row('start-up (spawn to ready)', ms(f.startMs), ms(h.startMs), r(f.startMs, h.startMs));
    row(`time-to-202, ${SMALL} files of 4 KiB, 8 at a time: p50`, ms(f.p50), ms(h.p50), r(f.p50, h.p50));
    row('  p99', ms(f.p99), ms(h.p99), r(f.p99, h.p99));
    row(`worst event-loop lag, ${WINDOW_S} s (scrapes, sweeps)`, ms(f.lagMax), ms(h.lagMax), r(f.lagMax, h.lagMax));
    row('slowest /metrics scrape', ms(f.scrapeMax), ms(h.scrapeMax), r(f.scrapeMax, h.scrapeMax));
    row('settled rows purged during the window', String(Math.max(0, f.purged)), String(Math.max(0, h.purged)), '');
    row('log verify, whole data directory', `${Math.round(f.verify.records / (f.verify.ms / 1000)).toLocaleString('en')} rec/s`, `${Math.round(h.verify.records / (h.verify.ms / 1000)).toLocaleString('en')} rec/s`, '');
    console.log(`  fresh:   ${f.verify.out}\n  history: ${h.verify.out} (${(h.verify.ms / 1000).toFixed(1)} s)`);
    console.log(`\nsizing: queue.db ${(queueBytes / ROWS).toFixed(0)} bytes per row (with indexes); audit ${(auditBytes / AUDIT).toFixed(0)} bytes per record (with indexes, tree, checkpoints);`);
    console.log(`        ${(freshRecords / transfersFresh).toFixed(1)} audit records per transfer (fresh gateway, ${transfersFresh} small files pushed)`);
    const perDay = 100_000;
    const auditDay = perDay * (freshRecords / transfersFresh) * (auditBytes / AUDIT);
    console.log(`        at ${perDay.toLocaleString('en')} transfers a day: audit ${(auditDay / 2 ** 30).toFixed(2)} GiB/day, ${(auditDay * 183 / 2 ** 30).toFixed(0)} GiB for six months; queue ${(perDay * KEEP_DAYS * queueBytes / ROWS / 2 ** 30).toFixed(2)} GiB for ${KEEP_DAYS} days of rows`);
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  }
}

await main();
