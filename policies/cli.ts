import { Command, CommanderError } from 'commander';
import { formatProblemIn } from '../i18n/problem-text.js';
import { EXIT, runPolicyTest, type TestOptions } from './cli-test.js';
import type { InspectFile } from './inspect-port.js';
import { loadPolicyFile } from './load-policy.js';
import { replayLogAt, type OpenRecordedDecisions, type ReplayReport } from './replay.js';
import { runSuites } from './test-suite.js';
import { help } from '../i18n/cli-help.js';
import { translator } from '../i18n/catalogue.js';
import { cliLocale } from '../i18n/cli-locale.js';

// `ferry policy check|test|replay`: write, check, dry-run and replay a policy
// without starting a gateway. Exit codes: 0 allow / ok, 1 deny / failures
// found, 2 usage or policy error.

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);
const collect = (v: string, prev: string[] = []) => [...prev, v];
/** What the policy commands print, in the reader's language (i18n/en/policy.ts, i18n/zh-CN/policy.ts). */
const t = (key: string, params?: Record<string, unknown>): string => translator(cliLocale(), 'policy')(key, params);

export function register(program: Command, deps: { inspectFile?: InspectFile; openAuditLog?: OpenRecordedDecisions } = {}): void {
  const policy = program
    .command('policy')
    .description(help('policy'))
    .addHelpText('after', help('policy examples'))
    // Usage errors exit 2, so that 1 keeps meaning "deny" for `policy test`.
    .exitOverride((e: CommanderError) => process.exit(e.exitCode === 0 ? 0 : EXIT.usage));
  // `ferry policy test … | head` closes the pipe early; that is not an error (as for `ferry log`).
  policy.hook('preAction', () => {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  });

  policy
    .command('check')
    .description(help('policy check'))
    .argument('<files...>', help('policy check <files>'))
    .addHelpText('after', help('policy check examples'))
    .action(async (files: string[]) => {
      let failed = false;
      for (const file of files) {
        const r = await loadPolicyFile(file);
        for (const p of r.problems) out(formatProblemIn(p, cliLocale()));
        if (r.engine) out(t('checkOk', { file, name: r.engine.name, rules: r.engine.rules.length, hash: r.hash }));
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
    .addHelpText('after', help('policy test examples'))
    .action(async (files: string[], o: TestOptions & { suite?: boolean; policy?: string }) => {
      if (o.suite) {
        process.exitCode = await runSuiteCommand(files, o, deps.inspectFile);
        return;
      }
      if (files.length !== 1) {
        err(t('error.oneFile'));
        process.exitCode = EXIT.usage;
        return;
      }
      process.exitCode = await runPolicyTest(files[0]!, o, out, err, deps.inspectFile, cliLocale());
    });

  policy
    .command('replay')
    .description(help('policy replay'))
    .argument('<file>', help('policy replay <file>'))
    .requiredOption('--log <audit.db>', help('policy replay --log'))
    .option('--since <time>', help('policy replay --since'))
    .option('--json', help('certs show --json'))
    .addHelpText('after', help('policy replay examples'))
    .action(async (file: string, o: { log: string; since?: string; json?: boolean }) => {
      const loaded = await loadPolicyFile(file);
      if (!loaded.engine) {
        for (const p of loaded.problems) err(formatProblemIn(p, cliLocale()));
        process.exitCode = EXIT.usage;
        return;
      }
      let since: string | undefined;
      if (o.since !== undefined) {
        const ms = Date.parse(o.since);
        if (!Number.isFinite(ms)) {
          err(t('error.since', { since: o.since }));
          process.exitCode = EXIT.usage;
          return;
        }
        since = new Date(ms).toISOString();
      }
      let report: ReplayReport;
      try {
        if (!deps.openAuditLog) throw new Error('no audit log reader is available to this command');
        report = await replayLogAt(deps.openAuditLog, loaded.engine, o.log, since ? { since } : {});
      } catch (e) {
        err(t('error.cannotReadLog', { log: o.log, message: (e as Error).message }));
        process.exitCode = EXIT.usage;
        return;
      }
      if (o.json) out(JSON.stringify(report, null, 2));
      else printReplay(report);
      process.exitCode = report.differences.length ? 1 : 0;
    });
}

function printReplay(r: ReplayReport): void {
  out(t('replay.head', { records: r.records, log: r.log, name: r.policy.name, hash: r.policy.hash }));
  const c = r.counts;
  out(t('replay.counts', { denied: c['newly-denied'], allowed: c['newly-allowed'], other: c['other-rule'], same: c.same, unevaluable: c.unevaluable }));
  const dflt = t('replay.defaultRule');
  for (const d of r.differences) {
    out(t('replay.difference', {
      seq: d.seq, time: d.time, id: d.transferId ?? '-', stage: d.stage, change: d.change,
      was: d.was.verdict, wasRule: d.was.rule ?? dflt, now: d.now.verdict, nowRule: d.now.rule ?? dflt, reason: d.now.reason,
    }));
  }
  for (const u of r.unevaluable) out(t('replay.unevaluable', { seq: u.seq, time: u.time, id: u.transferId ?? '-', reason: u.reason }));
}

async function runSuiteCommand(files: string[], o: { policy?: string; json?: boolean }, inspectFile: InspectFile | undefined): Promise<number> {
  const r = await runSuites(files, { ...(o.policy ? { policy: o.policy } : {}), ...(inspectFile ? { inspectFile } : {}) });
  if (r.problems.length) {
    for (const p of r.problems) err(formatProblemIn(p, cliLocale()));
    return EXIT.usage;
  }
  const failed = r.cases.filter((c) => !c.pass);
  if (o.json) {
    out(JSON.stringify({ cases: r.cases, uncovered: Object.fromEntries([...r.uncovered].map(([k, v]) => [k, v.rules])) }, null, 2));
  } else {
    // The first word (ok, FAIL) is the same in every language.
    for (const c of r.cases) out(`${c.pass ? 'ok  ' : 'FAIL'} ${c.suite}:${c.line}: ${c.name}${c.pass ? `${t('suite.passed', { verdict: c.verdict, rule: c.rule ?? t('suite.defaultDeny') })}` : `: ${c.message}`}`);
    out(t('suite.total', { passed: r.cases.length - failed.length, total: r.cases.length }));
    for (const [path, u] of r.uncovered) {
      const total = u.policy.rules.length;
      out(t('suite.coverage', { path, covered: total - u.rules.length, total }));
      if (u.rules.length) out(t('suite.notExercised', { rules: u.rules.join(', ') }));
    }
  }
  return failed.length ? EXIT.deny : EXIT.allow;
}
