import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { help } from '../i18n/cli-help.js';
import { translator } from '../i18n/catalogue.js';
import { cliLocale } from '../i18n/cli-locale.js';

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
        process.stdout.write(`${translator(cliLocale(), 'sim')('check', { file: t.file, networks: t.networks.length, gateways: t.gateways.length, systems: t.systems.length, workloads: t.workloads.length, faults: t.faults.length })}\n`);
      } catch (err) {
        if (!(err instanceof TopologyError)) throw err;
        const { formatProblemIn } = await import('../i18n/problem-text.js');
        process.stderr.write(`${err.problems.map((p) => formatProblemIn(p, cliLocale())).join('\n')}\n`);
        process.exitCode = 2;
      }
    });
  sim.command('run')
    .argument('<topology>', help('<topology>'))
    .option('--seed <n>', help('sim run --seed'), (v) => Number.parseInt(v, 10))
    .option('--report <dir>', help('sim run --report'))
    .option('--isolation <mode>', help('sim run --isolation'), 'auto')
    .description(help('sim run'))
    .addHelpText('after', help('sim run examples'))
    .action(async (arg: string, opts: { seed?: number; report?: string; isolation: string }) => {
      const [{ loadTopology, TopologyError }, { chooseIsolation, isolatedOptions, runIsolated }, { runSimulation }, { summaryText, nextSteps }] = await Promise.all([
        import('./topology.js'), import('./isolation.js'), import('./run.js'), import('./sim-text.js'),
      ]);
      let topo;
      try {
        topo = await loadTopology(await resolveTopology(arg));
      } catch (err) {
        if (!(err instanceof TopologyError)) throw err;
        const { formatProblemIn } = await import('../i18n/problem-text.js');
        process.stderr.write(`${err.problems.map((p) => formatProblemIn(p, cliLocale())).join('\n')}\n`);
        process.exitCode = 2;
        return;
      }
      const reportDir = opts.report ? resolve(opts.report) : await mkdtemp(join(tmpdir(), `ferry-sim-${topo.name}-`));
      const ac = new AbortController();
      const onSigint = () => {
        if (ac.signal.aborted) process.exit(130);
        process.stderr.write(`\n${translator(cliLocale(), 'sim')('interrupted')}\n`);
        ac.abort();
      };
      // SIGTERM and SIGHUP end the run the same way, so the namespaces and qdiscs it made are removed.
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      process.on('SIGHUP', onSigint);
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
        const locale = cliLocale();
        // Inside the harness: the links' bandwidth in the kernel where it offers tbf or htb.
        const qdiscs = choice.kind === 'inside' ? (choice.plan as { qdiscs?: string[] }).qdiscs ?? [] : [];
        const shaping = choice.kind === 'inside' ? await (await import('./kernel-shaping.js')).KernelShaping.apply(choice.plan, topo.links, qdiscs) : null;
        try {
          const r = await runSimulation({ topology: topo, seed: opts.seed, reportDir, out: process.stdout, tty: process.stdout.isTTY === true, signal: ac.signal, locale, ...extra, ...(shaping ? { kernel: { shaping, qdiscs } } : {}) });
          process.stdout.write(summaryText(r.report, reportDir, locale) + '\n');
          process.stdout.write(nextSteps(r.report, reportDir, topo.file, locale) + '\n');
          process.exitCode = r.exitCode;
        } finally {
          await shaping?.remove();
        }
      } finally {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
        process.off('SIGHUP', onSigint);
      }
    });
}
