import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { BUILTIN_TOPOLOGIES } from '../simulator/cli.js';
import { runSimulation, type RunResult } from '../simulator/run.js';
import { loadTopology } from '../simulator/topology.js';

// npm run bench:sim [-- --scale N]: the `stress` topology twice in one run —
// through the link proxies, then with direct connections — and the rate
// each sustained with nothing lost. The difference is the proxies' cost.

const scaleArg = process.argv.indexOf('--scale');
const scale = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 1;

async function once(direct: boolean): Promise<RunResult> {
  const topo = await loadTopology(join(BUILTIN_TOPOLOGIES, 'stress.yaml'));
  for (const w of topo.workloads) {
    if (w.files) { w.files.count *= scale; w.files.ratePerSec *= scale; }
    if (w.messages) { w.messages.count *= scale; w.messages.ratePerSec *= scale; }
  }
  const dir = await mkdtemp(join(tmpdir(), `ferry-bench-sim-${direct ? 'direct' : 'proxied'}-`));
  try {
    return await runSimulation({ topology: topo, reportDir: dir, out: new Writable({ write: (_c, _e, cb) => cb() }), direct });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const row = (name: string, r: RunResult) => {
  const c = r.report.counts;
  const l = r.report.latency_ms;
  return `${name.padEnd(22)} ${r.verdict.padEnd(8)} ${String(c.delivered).padStart(5)}/${String(c.expected_cross).padEnd(5)} lost ${c.lost}  ${String(r.report.throughput.items_per_s).padStart(7)} items/s  p50 ${String(l.files.p50).padStart(5)} ms  p99 ${String(l.files.p99).padStart(6)} ms  cpu ${Math.round((r.report.cpu.mean_busy ?? 0) * 100)}%${r.report.cpu.saturated ? ' (saturated)' : ''}`;
};

const topo = await loadTopology(join(BUILTIN_TOPOLOGIES, 'stress.yaml'));
process.stdout.write(`bench:sim — topology 'stress': ${topo.networks.length} networks, ${topo.gateways.length} gateways (each its own process), ${topo.systems.length} systems, ${topo.workloads.length} workloads, scale ${scale}\n`);
const proxied = await once(false);
process.stdout.write(row('through link proxies', proxied) + '\n');
const direct = await once(true);
process.stdout.write(row('direct (baseline)', direct) + '\n');
const cost = direct.report.throughput.items_per_s ? 1 - proxied.report.throughput.items_per_s / direct.report.throughput.items_per_s : 0;
process.stdout.write(`proxy cost: ${(cost * 100).toFixed(1)}% of the direct rate; p50 latency ${proxied.report.latency_ms.files.p50 - direct.report.latency_ms.files.p50} ms more\n`);
process.stdout.write('The workload asks a fixed rate; a rate at or under what was asked, with lost 0, is sustained. The gateways, the senders and the receivers share this machine\'s cores.\n');
process.exitCode = proxied.exitCode || direct.exitCode;
