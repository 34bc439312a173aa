import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '../client/connection.js';
import type { TransferStatus } from '../client/gateway-answers.js';
import { getStatus } from '../client/status.js';
import { readEvidence } from './audit-evidence.js';
import { check, type CheckResult } from './checker.js';
import { ClamdProcess } from './clamd-process.js';
import { FaultScheduler } from './faults.js';
import { probeIsolation, type ProbeResult, type RunMode } from './isolation.js';
import type { NetnsPlan } from './netns.js';
import { GatewayProcess } from './gateway-process.js';
import type { KernelShaping } from './kernel-shaping.js';
import { stablePort } from './stable-port.js';
import { buildNetwork, LOOPBACK, type Placement } from './network-plan.js';
import { Progress } from './progress.js';
import { startPullReceiver, startPushReceiver, startSubscribeReceiver, type Receiver } from './receivers.js';
import { buildReport, type SimReport } from './report.js';
import { writeReportFiles } from './report-files.js';
import { Sampler } from './sampler.js';
import { newOutcome, sendFiles, sendMessages, type Outcome, type SenderContext, type SystemEndpoint } from './senders.js';
import { makePki, prepareGatewayKeys, writeGatewayFiles } from './setup-files.js';
import type { Topology } from './topology.js';
import { generateItems, seededRandom } from './workload.js';
import { translator } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/locale.js';

// `ferry sim run`: set the topology up for real, run the workload under the
// faults, heal, drain, then check and report. Order matters at the end: the
// gateways are stopped cleanly before their logs are read and verified.

export interface RunOptions {
  topology: Topology;
  seed?: number | undefined;
  reportDir: string;
  out: NodeJS.WritableStream;
  tty?: boolean;
  signal?: AbortSignal;
  /** How the networks are kept apart (isolation mode supplies its own). */
  placement?: Placement;
  mode?: RunMode;
  /** No link proxies: systems and gateways connect directly (the benchmark's baseline; link faults cannot fire). */
  direct?: boolean;
  /** IP addresses the gateways' (and push receivers') certificates must carry besides 127.0.0.1. */
  extraIps?: string[];
  /** Isolation mode: the namespaces to probe once the gateways listen. */
  isolationProbe?: NetnsPlan;
  /** The language of the lines written to `out` (the report files stay in English). */
  locale?: Locale;
  /** Isolation mode: the links' bandwidth shaped by the kernel (tc), and the qdiscs it offers. */
  kernel?: { shaping: KernelShaping; qdiscs: string[] };
}

export interface RunResult {
  verdict: CheckResult['verdict'];
  exitCode: 0 | 1 | 2;
  report: SimReport;
  check: CheckResult;
  reportDir: string;
  runDir: string;
}

const MARKER = '.ferry-sim-run';
// 'relayed': handed to the next gateway; the outcome comes back hop by hop (asked for down the chain
// when the status is read), so it stays open until the source's gateway settles it.
const OPEN_STATES = new Set(['accepted', 'queued', 'forwarding', 'relayed']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSimulation(o: RunOptions): Promise<RunResult> {
  const topo = o.topology;
  const seed = o.seed ?? topo.seed;
  const runDir = join(o.reportDir, 'run');
  // A run directory left by an earlier run is replaced, and only if the simulator made it.
  if (await access(join(runDir, MARKER)).then(() => true, () => false)) await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, MARKER), 'made by ferry sim run; replaced by the next run with the same --report\n');
  const rand = seededRandom(seed);
  const mode = o.mode ?? (o.direct
    ? { name: 'loopback' as const, detail: 'every network on 127.0.0.1; direct connections, no link proxies (baseline)' }
    : { name: 'loopback' as const, detail: 'every network on 127.0.0.1; links shaped by the simulator\'s TCP proxies' });
  const locale = o.locale ?? 'en';
  const say = translator(locale, 'sim');
  const progress = { say: (s: string) => o.out.write(`${s}\n`) } as { say(s: string): void };
  progress.say(say('run.topology', { name: topo.name, networks: topo.networks.length, gateways: topo.gateways.length, systems: topo.systems.length, seed, mode: mode.name }));

  const pki = await makePki(runDir, topo, o.extraIps ?? []);
  const place = o.placement ?? LOOPBACK;
  const net = await buildNetwork(topo, runDir, rand, place, o.direct ?? false);
  if (o.direct && topo.faults.some((f) => f.kind === 'cut' || f.kind === 'degrade')) throw new Error('a direct run has no link proxies: remove the cut and degrade faults');
  for (const [id, l] of net.links) {
    const k = o.direct ? undefined : o.kernel?.shaping.link(id);
    if (k) l.attachKernel(k);
  }
  const clamds = new Map<string, ClamdProcess>();
  const gateways = new Map<string, GatewayProcess>();
  const receivers = new Map<string, Receiver[]>();
  const conns: Connection[] = [];
  let faults: FaultScheduler | null = null;
  let sampler: Sampler | null = null;
  let live: Progress | null = null;
  try {
    for (const g of topo.gateways) {
      const plan = net.gateways.get(g.name)!;
      if (g.clamd) {
        const host = place.clamdHost(g.name);
        const c = new ClamdProcess(join(plan.dir, 'clamd'), host, await stablePort(host));
        await mkdir(join(plan.dir, 'clamd'), { recursive: true });
        await c.start();
        clamds.set(g.name, c);
        plan.clamd = { host: c.host, port: c.port };
        await o.kernel?.shaping.exempt(c.host, c.port);
      }
      await prepareGatewayKeys(plan);
    }
    for (const plan of net.gateways.values()) await writeGatewayFiles(topo, plan, net.gateways, pki);

    const clock0 = { t: performance.now() };
    const clock = () => performance.now() - clock0.t;
    for (const s of topo.systems) {
      const creds = pki.creds.get(s.id)!;
      const list: Receiver[] = [];
      if (s.receive === 'push') list.push(await startPushReceiver({ system: s.id, creds, ...net.receivers.get(s.id)!, dropEvery: s.dropEvery, clock }));
      // A subscriber takes its messages on a subscription per channel, and its files from its inbox.
      if (s.receive === 'subscribe') {
        const channels = [...new Set(topo.workloads.filter((w) => w.to === s.id && w.messages).map((w) => w.messages!.channel))];
        for (const [, a] of net.entry.get(s.id)!) {
          if (channels.length) list.push(await startSubscribeReceiver({ system: s.id, creds, gateway: new URL(`https://${a.host}:${a.port}`), channels, dropEvery: s.dropEvery, clock }));
        }
      }
      if (s.receive === 'pull' || s.receive === 'subscribe') {
        for (const [g, a] of net.entry.get(s.id)!) {
          list.push(await startPullReceiver({ system: s.id, creds, gateway: new URL(`https://${a.host}:${a.port}`), receiptKeyPem: net.gateways.get(g)!.signingPubPem, dir: join(runDir, 'inbox', s.id.replace('/', '-'), g), dropEvery: s.dropEvery, clock }));
        }
      }
      if (list.length) receivers.set(s.id, list);
    }
    for (const plan of net.gateways.values()) {
      gateways.set(plan.name, new GatewayProcess(plan.name, plan.config, join(plan.dir, 'gateway.log'), o.mode?.prefix?.(plan.name) ?? []));
    }
    progress.say(say('run.starting', { count: gateways.size, dir: join(runDir, 'gateways') }));
    await Promise.all([...gateways.values()].map((g) => g.start()));
    let isolation: ProbeResult[] | null = null;
    if (o.isolationProbe) {
      isolation = await probeIsolation(o.isolationProbe, (g, n) => net.gateways.get(g)!.listen.get(n)!.port);
      const bad = isolation.filter((p) => !p.ok);
      const counts = { ok: isolation.length - bad.length, total: isolation.length };
      progress.say(bad.length ? say('run.isolationBad', { ...counts, bad: bad.map((b) => `${b.from} → ${b.to}: ${b.outcome}`).join('; ') }) : say('run.isolation', counts));
    }

    // The workload.
    const items = generateItems(topo, seed);
    const outcomes: Outcome[] = [];
    const endpoints = new Map<string, SystemEndpoint>();
    const endpointFor = (system: string, gateway: string): SystemEndpoint => {
      const key = `${system}@${gateway}`;
      let ep = endpoints.get(key);
      if (!ep) {
        const a = net.entry.get(system)!.get(gateway)!;
        ep = { gateway, url: new URL(`https://${a.host}:${a.port}`), creds: pki.creds.get(system)!, receiptKeyPem: net.gateways.get(gateway)!.signingPubPem };
        endpoints.set(key, ep);
      }
      return ep;
    };
    let giveUpAt = Number.POSITIVE_INFINITY;
    let stopped = false;
    o.signal?.addEventListener('abort', () => { stopped = true; giveUpAt = 0; });
    const ctx: SenderContext = { clock, giveUpAt: () => giveUpAt, outbox: join(runDir, 'outbox'), stopped: () => stopped };
    const allReceivers = [...receivers.values()].flat();
    sampler = new Sampler(clock, outcomes, allReceivers, net.links, new Map([...net.gateways].map(([n, p]) => [n, `http://${p.admin.host}:${p.admin.port}`])),
      o.kernel && !o.direct ? () => o.kernel!.shaping.counters() : null);
    live = new Progress(o.out, o.tty ?? false, sampler, clock, locale);
    progress.say = (s) => live!.say(s);
    faults = new FaultScheduler(topo.faults, { gateways, links: net.links, receivers, clamds }, clock, net.bytes);
    faults.onEvent = (e) => live!.fault(e);

    const tasks: Promise<void>[] = [];
    clock0.t = performance.now();
    for (const w of topo.workloads) {
      const ep = endpointFor(w.from, w.path[0]!);
      const mine = items.filter((i) => i.workload === w.index);
      const files = mine.filter((i) => i.kind === 'file').map((i) => newOutcome(i, ep.gateway));
      const msgs = mine.filter((i) => i.kind === 'message').map((i) => newOutcome(i, ep.gateway));
      outcomes.push(...files, ...msgs);
      if (files.length) tasks.push(sendFiles(ctx, ep, files, w.files!.concurrency));
      if (msgs.length) tasks.push(sendMessages(ctx, ep, msgs, w.messages!.channel));
    }
    const workloadEnd = Math.max(0, ...items.map((i) => i.atMs), ...topo.faults.filter((f) => f.atMs !== null).map((f) => f.atMs! + f.forMs));
    progress.say(say('run.workload', { items: items.length, routes: topo.workloads.length, seconds: (workloadEnd / 1000).toFixed(0), faults: topo.faults.length }));
    sampler.start();
    faults.start();
    live.start();
    // Every fault gets to fire and run its course; a fault after N bytes may fire while the
    // senders still work (bounded: it may never come).
    let sending = true;
    void Promise.all(tasks).then(() => { sending = false; });
    const busy = () => faults!.active > 0 || (faults!.pending > 0 && sending);
    while ((clock() < workloadEnd || (busy() && clock() < workloadEnd + 60_000)) && !stopped) await sleep(100);

    // Heal, then let the senders finish their retries (bounded) and the queues drain (bounded).
    const neverFired = await faults.heal();
    const healedAtMs = clock();
    giveUpAt = clock() + 30_000;
    await Promise.all(tasks);
    live.say(say('run.draining', { at: (clock() / 1000).toFixed(1), max: (topo.drainTimeoutMs / 1000).toFixed(0) }));
    const statuses = new Map<string, TransferStatus>();
    const statusConns = new Map<string, Connection>();
    const drainDeadline = clock() + topo.drainTimeoutMs;
    for (;;) {
      let open = 0;
      for (const oc of outcomes) {
        if (oc.state !== 'accepted' || !oc.transferId) continue;
        const prev = statuses.get(oc.transferId);
        if (prev && !OPEN_STATES.has(prev.state)) continue;
        const key = `${oc.item.from}@${oc.gateway}`;
        let c = statusConns.get(key);
        if (!c) {
          const ep = endpointFor(oc.item.from, oc.gateway);
          c = new Connection({ gateway: ep.url, ...ep.creds, connectTimeoutMs: 3000, headersTimeoutMs: 10_000 });
          statusConns.set(key, c);
          conns.push(c);
        }
        try {
          const s = await getStatus(c, oc.transferId);
          statuses.set(oc.transferId, s);
          if (OPEN_STATES.has(s.state)) open++;
        } catch {
          open++;
        }
      }
      if (!open || clock() > drainDeadline || stopped) break;
      await sleep(500);
    }
    await sleep(500); // a pull acknowledged a moment ago is written down by now
    const drainedAtMs = clock();
    sampler.stop();
    await sampler.take();
    live.stop();
    const kernelStats = await o.kernel?.shaping.stats();
    for (const r of allReceivers) await r.close();
    await Promise.all([...gateways.values()].map((g) => g.stop()));

    const evidence = await Promise.all([...net.gateways.values()].map((p) => readEvidence(p.name, p.dataDir, p.vkey)));
    const result = check({
      outcomes, statuses, evidence,
      deliveries: allReceivers.flatMap((r) => r.deliveries),
      redelivered: allReceivers.reduce((a, r) => a + r.redelivered, 0),
      outOfOrder: allReceivers.reduce((a, r) => a + (r.outOfOrder ?? 0), 0),
      keys: new Map([...net.gateways].map(([n, p]) => [n, p.signingPubPem])),
      expect: topo.expect,
    });
    const report = buildReport({
      topo, seed, mode, runDir, outcomes, result, evidence, samples: sampler.samples, timeline: faults.timeline, neverFired,
      links: net.links, deliveries: allReceivers.flatMap((r) => r.deliveries), dropped: allReceivers.reduce((a, r) => a + r.dropped, 0),
      healedAtMs, drainedAtMs, restarts: Object.fromEntries([...gateways].map(([n, g]) => [n, g.restarts])),
      configs: Object.fromEntries([...net.gateways].map(([n, p]) => [n, p.config])),
      isolation, direct: o.direct ?? false,
      kernel: o.kernel ? { qdiscs: o.kernel.qdiscs, stats: kernelStats! } : null,
    });
    await writeReportFiles(o.reportDir, report, await Promise.all([...net.gateways.values()].map(async (p) => ({ name: p.name, config: await readFile(p.config, 'utf8') }))), locale);
    const exitCode = report.verdict === 'valid' ? 0 : report.verdict === 'invalid' ? 1 : 2;
    return { verdict: report.verdict, exitCode, report, check: result, reportDir: o.reportDir, runDir };
  } finally {
    live?.stop();
    sampler?.stop();
    await faults?.heal().catch(() => undefined);
    for (const r of [...receivers.values()].flat()) await r.close().catch(() => undefined);
    await Promise.all([...gateways.values()].map((g) => g.stop().catch(() => undefined)));
    for (const c of clamds.values()) await c.stop().catch(() => undefined);
    for (const c of conns) await c.close().catch(() => undefined);
    await net.close();
  }
}
