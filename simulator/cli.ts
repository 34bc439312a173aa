import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { summaryText } from './report-files.js';
import { runSimulation } from './run.js';
import { loadTopology, TopologyError } from './topology.js';

// `ferry sim run|check`: the simulator's own sub-commands.

export const BUILTIN_TOPOLOGIES = fileURLToPath(new URL('../../simulator/topologies/', import.meta.url));

/** A path, or the name of a built-in topology (two-networks, province, stress). */
export async function resolveTopology(arg: string): Promise<string> {
  if (/^[a-z0-9-]+$/.test(arg)) {
    const builtin = join(BUILTIN_TOPOLOGIES, `${arg}.yaml`);
    if (await access(builtin).then(() => true, () => false)) return builtin;
  }
  return resolve(arg);
}

export function register(program: Command): void {
  const sim = program.command('sim').description('the topology simulator: real gateways, shaped links, faults, a workload, and a check that nothing was lost');
  sim.command('check')
    .argument('<topology>', 'a topology file, or a built-in name (two-networks, province, stress)')
    .description('validate a topology file (problems as file:line:col)')
    .action(async (arg: string) => {
      try {
        const t = await loadTopology(await resolveTopology(arg));
        process.stdout.write(`${t.file}: ok — ${t.networks.length} networks, ${t.gateways.length} gateways, ${t.systems.length} systems, ${t.workloads.length} workloads, ${t.faults.length} faults\n`);
      } catch (err) {
        if (!(err instanceof TopologyError)) throw err;
        process.stderr.write(`${err.message}\n`);
        process.exitCode = 2;
      }
    });
  sim.command('run')
    .argument('<topology>', 'a topology file, or a built-in name (two-networks, province, stress)')
    .option('--seed <n>', 'seed of the workload (default: the topology\'s seed)', (v) => Number.parseInt(v, 10))
    .option('--report <dir>', 'where report.json, report.html and the run directory go (default: a new temporary directory)')
    .option('--isolation <mode>', 'auto (network namespaces when root), on, off', 'auto')
    .description('run a topology: PKI, gateways as processes, link proxies, faults, workload; then check and report. Exit 0 valid, 1 invalid, 2 unknown')
    .addHelpText('after', `
Examples:
  ferry sim run province                      the built-in province scenario
  ferry sim run my-topology.yaml --seed 7 --report ./sim-report
  ferry sim check my-topology.yaml            validate only
Reference: docs/topology.md`)
    .action(async (arg: string, opts: { seed?: number; report?: string; isolation: string }) => {
      let topo;
      try {
        topo = await loadTopology(await resolveTopology(arg));
      } catch (err) {
        if (!(err instanceof TopologyError)) throw err;
        process.stderr.write(`${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      const reportDir = opts.report ? resolve(opts.report) : await mkdtemp(join(tmpdir(), `ferry-sim-${topo.name}-`));
      const ac = new AbortController();
      const onSigint = () => {
        if (ac.signal.aborted) process.exit(130);
        process.stderr.write('\nferry sim: interrupted; stopping the gateways and removing what the run made (Ctrl-C again to leave at once)\n');
        ac.abort();
      };
      process.on('SIGINT', onSigint);
      try {
        const { runWithIsolation } = await import('./isolation.js');
        const r = await runWithIsolation(opts.isolation as 'auto' | 'on' | 'off', (extra) => runSimulation({ topology: topo, seed: opts.seed, reportDir, out: process.stdout, tty: process.stdout.isTTY === true, signal: ac.signal, ...extra }), process.stdout);
        process.stdout.write(summaryText(r.report, reportDir) + '\n');
        process.exitCode = r.exitCode;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
