import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { BUILTIN_TOPOLOGIES } from '../simulator/cli.js';
import { runSimulation, type RunResult } from '../simulator/run.js';
import { loadTopology, type Topology } from '../simulator/topology.js';

// npm run bench:sim [-- --steps N --seconds S --start R]: the highest rate the
// `stress` topology sustains on this machine with nothing lost, searched, and
// the link proxies' cost against direct connections in the same run.
//
// Each step runs the whole topology (four gateways as processes, the senders,
// the receivers, the checker) with every sender asking R items/s for S
// seconds (at least 5 items each), through the link proxies. A step "keeps
// up" when the verdict is valid, nothing is lost and the pace of deliveries
// (between the first and the last) is at least 80% of the rate asked. R
// starts at 1 per sender and doubles while the steps keep up (halves while
// they do not), then the steps halve the gap. The sustained rate is the pace
// of the highest step that kept up. The direct baseline (no proxies) then
// runs at the first rate the proxies could not keep up with (or the last
// asked), so both are measured at the same demand: the proxies' cost is what
// they deliver less. Bounded: at most N steps (4) and about three minutes of
// searching, then the one baseline step.

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const MAX_STEPS = arg('steps', 4);
const SECONDS = arg('seconds', 5);
const START = arg('start', 1);
const BUDGET_MS = 180_000;
const MIN_ITEMS = 5;
const KEEP_UP = 0.8;

async function stressAt(perSender: number): Promise<Topology> {
  const topo = await loadTopology(join(BUILTIN_TOPOLOGIES, 'stress.yaml'));
  // At least MIN_ITEMS per sender, so that a slow rate still shows its pace between deliveries.
  const count = Math.max(MIN_ITEMS, Math.round(perSender * SECONDS));
  for (const w of topo.workloads) {
    if (w.files) { w.files.count = count; w.files.ratePerSec = perSender; }
    if (w.messages) { w.messages.count = count; w.messages.ratePerSec = perSender; }
  }
  return topo;
}

async function attempt(perSender: number, direct: boolean): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), `ferry-bench-sim-${direct ? 'direct' : 'proxied'}-`));
  try {
    return await runSimulation({ topology: await stressAt(perSender), reportDir: dir, out: new Writable({ write: (_c, _e, cb) => cb() }), direct });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One step; once more if the topology did not come up (on a shared machine a free port can be taken before a gateway binds it). */
async function once(perSender: number, direct: boolean): Promise<RunResult> {
  try {
    return await attempt(perSender, direct);
  } catch (err) {
    process.stdout.write(`  (a step did not start: ${(err as Error).message.split('\n')[0]}; once more)\n`);
    return attempt(perSender, direct);
  }
}

/**
 * Delivered per second between the first and the last delivery: the pace the
 * topology kept. (Over first send to last delivery, a short step would be
 * judged by its latency, not its rate.)
 */
function pace(r: RunResult): number {
  const at = r.report.items.filter((i) => i.fate === 'delivered' && i.deliveredAtMs != null).map((i) => i.deliveredAtMs!).sort((a, b) => a - b);
  return at.length > 1 && at[at.length - 1]! > at[0]! ? (at.length - 1) / ((at[at.length - 1]! - at[0]!) / 1000) : 0;
}

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const keptUp = (r: RunResult, asked: number) => r.verdict === 'valid' && r.report.counts.lost === 0 && pace(r) >= KEEP_UP * asked;
const row = (name: string, asked: number, r: RunResult) => {
  const c = r.report.counts;
  const l = r.report.latency_ms.files;
  return `${name.padEnd(9)} asked ${String(+asked.toFixed(1)).padStart(4)}/s  ${r.verdict.padEnd(7)} ${String(c.delivered).padStart(4)}/${String(c.expected_cross).padEnd(4)} lost ${c.lost}  delivered ${pace(r).toFixed(1).padStart(6)}/s  p50 ${String(l.p50).padStart(5)} ms  p99 ${String(l.p99).padStart(6)} ms  cpu ${Math.round((r.report.cpu.mean_busy ?? 0) * 100)}%${keptUp(r, asked) ? '  kept up' : ''}  (load ${load()})`;
};

const base = await loadTopology(join(BUILTIN_TOPOLOGIES, 'stress.yaml'));
const senders = base.workloads.length;
const started = Date.now();
process.stdout.write(`bench:sim — topology 'stress': ${base.networks.length} networks, ${base.gateways.length} gateways (each its own process), ${base.systems.length} systems, ${senders} senders of 4 KiB files and 512-byte messages, ${SECONDS} s per step; ${cpus().length} cores, load average ${load()} at the start\n`);

// Per-sender rates: `lo` kept up, `hi` did not; double up from the start, halve down, then halve the gap.
let lo: { perSender: number; r: RunResult } | null = null;
let hi: { perSender: number; r: RunResult } | null = null;
for (let step = 0; step < MAX_STEPS && Date.now() - started < BUDGET_MS; step++) {
  const perSender: number = !lo && !hi ? START : !hi ? lo!.perSender * 2 : !lo ? hi.perSender / 2 : (lo.perSender + hi.perSender) / 2;
  const r = await once(perSender, false);
  process.stdout.write(row('proxied', perSender * senders, r) + '\n');
  if (keptUp(r, perSender * senders)) lo = { perSender, r };
  else hi = { perSender, r };
  if (lo && hi && hi.perSender - lo.perSender <= lo.perSender / 4) break; // close enough
}

// The baseline at the same demand as a proxied step: the first the proxies could not keep up with, else the last.
const at = hi ?? lo!;
const demand = at.perSender;
const proxiedAtDemand = at.r;
const direct = await once(demand, true);
process.stdout.write(row('direct', demand * senders, direct) + '\n');
const best = lo ? { asked: lo.perSender * senders, r: lo.r } : null;
const p = pace(proxiedAtDemand);
const d = pace(direct);
process.stdout.write(best
  ? `sustained with nothing lost, through the link proxies: ${pace(best.r).toFixed(1)} items/s (asked ${+best.asked.toFixed(1)}/s)\n`
  : `sustained: not even ${hi!.perSender * senders} items/s was kept up through the link proxies on this machine now\n`);
process.stdout.write(`link proxies against direct connections, both asked ${+(demand * senders).toFixed(1)}/s: ${p.toFixed(1)} vs ${d.toFixed(1)} items/s delivered (${!d ? 'no direct figure' : p < d ? `${((1 - p / d) * 100).toFixed(0)}% less through the proxies` : `no cost measurable: the proxies delivered ${((p / d - 1) * 100).toFixed(0)}% more, within this run's noise`}), p50 ${proxiedAtDemand.report.latency_ms.files.p50} vs ${direct.report.latency_ms.files.p50} ms\n`);
process.stdout.write(`${((Date.now() - started) / 1000).toFixed(0)} s in all; load average ${load()} at the end. The gateways, the senders, the receivers and the proxies share this machine's cores: a rate measured while other work runs is a floor.\n`);
process.exitCode = [at.r, direct, ...(lo ? [lo.r] : []), ...(hi ? [hi.r] : [])].some((r) => r.report.counts.lost > 0) ? 1 : 0;
