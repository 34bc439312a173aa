import { Command, CommanderError } from 'commander';
import { formatProblem } from '../protocol/yaml-schema.js';
import { EXIT, runPolicyTest, type TestOptions } from './cli-test.js';
import type { InspectFile } from './inspect-port.js';
import { loadPolicyFile } from './load-policy.js';
import { replayLog, type ReplayReport } from './replay.js';
import { runSuites } from './test-suite.js';
import { help } from '../i18n/cli-help.js';

// `ferry policy check|test|replay`: write, check, dry-run and replay a policy
// without starting a gateway. Exit codes: 0 allow / ok, 1 deny / failures
// found, 2 usage or policy error.

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(program: Command, deps: { inspectFile?: InspectFile } = {}): void {
  const policy = program
    .command('policy')
    .description(help('policy'))
    .addHelpText('after', `
Examples:
  ferry policy check policies/examples/default.yaml
  ferry policy test policies/examples/default.yaml --from police/records --to extranet/archive --label internal
  ferry policy test --suite policies/examples/default.test.yaml
  ferry policy replay new-policy.yaml --log data/audit.db
`)
    // Usage errors exit 2, so that 1 keeps meaning "deny" for `policy test`.
    .exitOverride((e: CommanderError) => process.exit(e.exitCode === 0 ? 0 : EXIT.usage));

  policy
    .command('check')
    .description(help('policy check'))
    .argument('<files...>', help('policy check <files>'))
    .addHelpText('after', `
Prints every problem as file:line:column: severity: message. Exit 0 when no
file has an error (warnings are printed), 1 when one has, 2 on a usage error.

Example:
  ferry policy check policies/examples/default.yaml
`)
    .action(async (files: string[]) => {
      let failed = false;
      for (const file of files) {
        const r = await loadPolicyFile(file);
        for (const p of r.problems) out(formatProblem(p));
        if (r.engine) out(`${file}: ok: policy ${r.engine.name}, ${r.engine.rules.length} rules, sha256 ${r.hash}`);
        else failed = true;
      }
      process.exitCode = failed ? 1 : 0;
    });

  policy
    .command('test')
    .description(help('policy test'))
    .argument('<files...>', help('policy test <files>'))
    .option('--from <network/system>', help('policy test --from'))
    .option('--to <network/system>', help('policy test --to'))
    .option('--label <label>', help('policy test --label'), 'internal')
    .option('--kind <kind>', help('policy test --kind'), 'file')
    .option('--principal <uri>', help('policy test --principal'))
    .option('--file <path>', help('policy test --file'))
    .option('--filename <name>', help('policy test --filename'))
    .option('--declared-type <type>', help('policy test --declared-type'))
    .option('--sniffed-type <type>', help('policy test --sniffed-type'))
    .option('--size <bytes>', help('policy test --size'))
    .option('--time <iso>', help('policy test --time'))
    .option('--finding <kind[:subkind[:count]]>', help('policy test --finding'), collect)
    .option('--suite', help('policy test --suite'))
    .option('--policy <file>', help('policy test --policy'))
    .option('--json', help('certs show --json'))
    .addHelpText('after', `
Exit 0 when allowed, 1 when denied (or a suite case failed), 2 on a usage or policy error.

Examples:
  ferry policy test policies/examples/default.yaml --from police/records --to extranet/archive --label internal --file report.pdf
  ferry policy test policies/examples/default.yaml --from police/a --to extranet/b --finding personal-data:cn-mobile:3
  ferry policy test --suite policies/examples/default.test.yaml
`)
    .action(async (files: string[], o: TestOptions & { suite?: boolean; policy?: string }) => {
      if (o.suite) {
        process.exitCode = await runSuiteCommand(files, o, deps.inspectFile);
        return;
      }
      if (files.length !== 1) {
        err('ferry policy test: give exactly one policy file (or use --suite)');
        process.exitCode = EXIT.usage;
        return;
      }
      process.exitCode = await runPolicyTest(files[0]!, o, out, err, deps.inspectFile);
    });

  policy
    .command('replay')
    .description(help('policy replay'))
    .argument('<file>', help('policy replay <file>'))
    .requiredOption('--log <audit.db>', help('policy replay --log'))
    .option('--since <time>', help('policy replay --since'))
    .option('--json', help('certs show --json'))
    .addHelpText('after', `
Replays from what each 'decided' record kept (facts, findings, time, counters),
so the result does not depend on when it is run. Exit 0 when nothing would
change, 1 when some decision would, 2 on a usage or policy error.

Example:
  ferry policy replay policies/new.yaml --log data/audit.db --since 2026-11-01T00:00:00Z
`)
    .action(async (file: string, o: { log: string; since?: string; json?: boolean }) => {
      const loaded = await loadPolicyFile(file);
      if (!loaded.engine) {
        for (const p of loaded.problems) err(formatProblem(p));
        process.exitCode = EXIT.usage;
        return;
      }
      let since: string | undefined;
      if (o.since !== undefined) {
        const t = Date.parse(o.since);
        if (!Number.isFinite(t)) {
          err(`ferry policy replay: --since '${o.since}' is not an ISO 8601 time`);
          process.exitCode = EXIT.usage;
          return;
        }
        since = new Date(t).toISOString();
      }
      let report: ReplayReport;
      try {
        report = replayLog(loaded.engine, o.log, since ? { since } : {});
      } catch (e) {
        err(`ferry policy replay: cannot read the audit log ${o.log}: ${(e as Error).message}`);
        process.exitCode = EXIT.usage;
        return;
      }
      if (o.json) out(JSON.stringify(report, null, 2));
      else printReplay(report);
      process.exitCode = report.differences.length ? 1 : 0;
    });
}

function printReplay(r: ReplayReport): void {
  out(`replayed ${r.records} decided records of ${r.log} with policy ${r.policy.name} (sha256 ${r.policy.hash})`);
  const c = r.counts;
  out(`newly denied: ${c['newly-denied']}  newly allowed: ${c['newly-allowed']}  same verdict by another rule: ${c['other-rule']}  unchanged: ${c.same}  unevaluable: ${c.unevaluable}`);
  for (const d of r.differences) {
    out(`  #${d.seq} ${d.time} ${d.transferId ?? '-'} (${d.stage}): ${d.change}: was ${d.was.verdict} by ${d.was.rule ?? '(default)'}, now ${d.now.verdict} by ${d.now.rule ?? '(default)'} — ${d.now.reason}`);
  }
  for (const u of r.unevaluable) out(`  #${u.seq} ${u.time} ${u.transferId ?? '-'}: unevaluable: ${u.reason}`);
}

async function runSuiteCommand(files: string[], o: { policy?: string; json?: boolean }, inspectFile: InspectFile | undefined): Promise<number> {
  const r = await runSuites(files, { ...(o.policy ? { policy: o.policy } : {}), ...(inspectFile ? { inspectFile } : {}) });
  if (r.problems.length) {
    for (const p of r.problems) err(formatProblem(p));
    return EXIT.usage;
  }
  const failed = r.cases.filter((c) => !c.pass);
  if (o.json) {
    out(JSON.stringify({ cases: r.cases, uncovered: Object.fromEntries([...r.uncovered].map(([k, v]) => [k, v.rules])) }, null, 2));
  } else {
    for (const c of r.cases) out(`${c.pass ? 'ok  ' : 'FAIL'} ${c.suite}:${c.line}: ${c.name}${c.pass ? ` (${c.verdict} by ${c.rule ?? '(default deny)'})` : `: ${c.message}`}`);
    out(`${r.cases.length - failed.length} of ${r.cases.length} cases passed`);
    for (const [path, u] of r.uncovered) {
      const total = u.policy.rules.length;
      out(`rule coverage of ${path}: ${total - u.rules.length} of ${total} rules decided some case`);
      if (u.rules.length) out(`  not exercised: ${u.rules.join(', ')}`);
    }
  }
  return failed.length ? EXIT.deny : EXIT.allow;
}
