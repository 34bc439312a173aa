import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { help } from '../i18n/cli-help.js';

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
  const sim = program.command('sim').description(help('sim'));
  sim.command('check')
    .argument('<topology>', help('<topology>'))
    .description(help('sim check'))
    .action(async (arg: string) => {
      const { loadTopology, TopologyError } = await import('./topology.js');
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
    .argument('<topology>', help('<topology>'))
    .option('--seed <n>', help('sim run --seed'), (v) => Number.parseInt(v, 10))
    .option('--report <dir>', help('sim run --report'))
    .option('--isolation <mode>', help('sim run --isolation'), 'auto')
    .description(help('sim run'))
    .addHelpText('after', `
Examples:
  ferry sim run province                      the built-in province scenario
  ferry sim run my-topology.yaml --seed 7 --report ./sim-report
  ferry sim check my-topology.yaml            validate only
Reference: docs/topology.md`)
    .action(async (arg: string, opts: { seed?: number; report?: string; isolation: string }) => {
      const [{ loadTopology, TopologyError }, { chooseIsolation, isolatedOptions, runIsolated }, { runSimulation }, { summaryText }] = await Promise.all([
        import('./topology.js'), import('./isolation.js'), import('./run.js'), import('./report-files.js'),
      ]);
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
        const choice = await chooseIsolation(opts.isolation as 'auto' | 'on' | 'off');
        if (choice.kind === 'outer') {
          // This process makes the namespaces; the run itself happens inside the harness namespace.
          const args = [topo.file, '--report', reportDir, ...(opts.seed !== undefined ? ['--seed', String(opts.seed)] : [])];
          process.exitCode = await runIsolated(topo, args, reportDir, ac.signal);
          return;
        }
        const extra = choice.kind === 'inside'
          ? isolatedOptions(choice.plan)
          : { mode: { name: 'loopback' as const, detail: `every network on 127.0.0.1 (${choice.why}); links shaped by the simulator's TCP proxies` } };
        const r = await runSimulation({ topology: topo, seed: opts.seed, reportDir, out: process.stdout, tty: process.stdout.isTTY === true, signal: ac.signal, ...extra });
        process.stdout.write(summaryText(r.report, reportDir) + '\n');
        process.stdout.write(nextSteps(r.report, reportDir, topo.file) + '\n');
        process.exitCode = r.exitCode;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}

/** Where to look next, with real paths and a real transfer id of this run. */
function nextSteps(r: import('./report.js').SimReport, reportDir: string, topologyFile: string): string {
  const workloads = (r.topology as { workloads: Array<{ path: string[] }> }).workloads;
  const hops = (id: string) => workloads[Number(/^w(\d+)-/.exec(id)?.[1] ?? 0)]?.path.length ?? 1;
  const delivered = r.items.filter((i) => i.fate === 'delivered' && i.transferId);
  const far = delivered.find((i) => hops(i.id) > 1) ?? delivered[0];
  const gws = (r.topology as { gateways: Array<{ name: string }> }).gateways.map((g) => g.name);
  const lines = ['', 'Next:', `  open the report:        ${join(reportDir, 'report.html')}`];
  if (far) lines.push(`  one transfer's trail:   ferry log trace ${far.transferId} ${gws.map((g) => `--db ${join(r.files.run_dir, 'gateways', g, 'data', 'audit.db')}`).join(' ')}`);
  lines.push(`  verify a gateway's log: ferry log verify --db ${join(r.files.run_dir, 'gateways', gws[0]!, 'data', 'audit.db')} --pubkey-file ${join(r.files.run_dir, 'gateways', gws[0]!, 'data', 'keys', 'audit.vkey')}`);
  lines.push(`  your own topology:      cp ${topologyFile} my-topology.yaml; edit it; ferry sim run my-topology.yaml (reference: docs/topology.md)`);
  return lines.join('\n');
}
