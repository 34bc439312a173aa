import { resolve } from 'node:path';
import type { Command } from 'commander';
import { help } from '../i18n/cli-help.js';

// The gateway's sub-commands: run a gateway, set up a dev environment, run
// the demo. Each action imports what it runs when it runs, so `ferry --help`
// and the other commands do not load the whole gateway first.

export function register(program: Command): void {
  program
    .command('gateway')
    .description(help('gateway'))
    .requiredOption('-c, --config <file>', help('gateway --config'))
    .option('--check', help('gateway --check'))
    .option('--ready-file <path>', help('gateway --ready-file'))
    .addHelpText('after', help('gateway examples'))
    .action(async (o: { config: string; check?: boolean; readyFile?: string }) => {
      const { ConfigError, loadGatewayConfig } = await import('./config/gateway-config.js');
      let config;
      try {
        config = await loadGatewayConfig(resolve(o.config));
      } catch (err) {
        if (err instanceof ConfigError) {
          const [{ formatProblemIn }, { cliLocale }] = await Promise.all([import('../i18n/problem-text.js'), import('../i18n/cli-locale.js')]);
          process.stderr.write(`${err.problems.map((p) => formatProblemIn(p, cliLocale())).join('\n')}\n`);
          process.exitCode = 2;
          return;
        }
        const code = (err as NodeJS.ErrnoException).code;
        process.stderr.write(`ferry gateway: cannot read the configuration ${o.config}: ${code === 'ENOENT' ? 'there is no such file' : (err as Error).message}.\n`);
        process.exitCode = 2;
        return;
      }
      if (o.check) {
        // The same checks a start makes before it touches the data directory.
        const { preflight } = await import('./startup/preflight.js');
        const pre = await preflight(config, { requirePolicy: true });
        for (const w of pre.warnings) process.stderr.write(`${o.config}: warning: ${w}\n`);
        if (pre.problems.length) {
          process.stderr.write(`${o.config}: the gateway would not start:\n  ${pre.problems.join('\n  ')}\n`);
          process.exitCode = 2;
          return;
        }
        process.stdout.write(`${o.config}: ok\n`);
        return;
      }
      const [{ startGateway }, { StartupError }, { PolicyLoadError }, { writeReadyFile }, { readySignalLine }] = await Promise.all([
        import('./gateway.js'), import('./startup/startup-error.js'), import('../policies/policy-holder.js'),
        import('./process/ready-file.js'), import('../protocol/ready-signal.js'),
      ]);
      let gw;
      try {
        gw = await startGateway(config, { requirePolicy: true });
      } catch (err) {
        // startGateway released what it took; exit now so a supervisor sees the failure.
        const exitCode = err instanceof StartupError ? err.exitCode : err instanceof PolicyLoadError ? 2 : 1;
        process.stderr.write(`ferry gateway: ${(err as Error).message}\n`);
        process.exit(exitCode);
      }
      // A rejection nobody handled is a bug on a side path (the data path handles
      // its own errors): log it loudly and keep serving. An uncaught exception
      // leaves state unknown: log it and exit non-zero; what was answered 202 is
      // on disk and is delivered after the restart.
      process.on('unhandledRejection', (reason) => gw.context.log.error({ err: reason }, 'unhandled rejection (bug): the gateway goes on'));
      process.once('uncaughtException', (err) => {
        gw.context.log.fatal({ err }, 'uncaught exception: stopping');
        process.exit(70);
      });
      const stop = (signal: string) => {
        gw.context.log.info({ signal }, 'stopping');
        gw.stop().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.stderr.write(`ferry gateway ${gw.identity} listening: ${Object.entries(gw.ports).map(([n, p]) => `${n}=${p}`).join(' ')} admin=${gw.adminPort} admin-api=${gw.adminApiPort}\n`);
      const ready = { pid: process.pid, gateway: gw.identity, ports: gw.ports, admin: gw.adminPort, adminApi: gw.adminApiPort };
      if (o.readyFile) await writeReadyFile(resolve(o.readyFile), ready);
      process.stdout.write(readySignalLine(ready));
    });

  program
    .command('init')
    .argument('<dir>', help('init <dir>'))
    .description(help('init'))
    .option('--port-base <port>', help('init --port-base'), (v) => Number(v), 8443)
    .addHelpText('after', help('init examples'))
    .action(async (dir: string, o: { portBase: number }) => {
      const { createDevSetup } = await import('./setup/dev-setup.js');
      const s = await createDevSetup(resolve(dir), { portBase: o.portBase });
      const rel = (p: string) => p.replace(`${resolve(dir)}/`, `${dir.replace(/\/$/, '')}/`);
      process.stdout.write(`Wrote a dev setup in ${dir}:
  ${rel(s.config)}    the gateway between networks police and extranet
  ${rel(s.policy)}     the policy it enforces
  ${rel(s.pki)}/             a dev CA and certificates for gw1, police/records (sender),
                         extranet/archive (push receiver) and extranet/portal (pull receiver)

Start the gateway:
  ferry gateway --config ${rel(s.config)}

Send a file from police/records (in another terminal):
  export FERRY_CA=${rel(s.ca)}
  ferry send ./report.txt --to extranet/portal --gateway https://127.0.0.1:${s.ports.police} \\
    --cert ${rel(s.sender.cert)} --key ${rel(s.sender.key)}

Receive it as extranet/portal:
  ferry receive --out ./received --gateway https://127.0.0.1:${s.ports.extranet} \\
    --cert ${rel(s.pullReceiver.cert)} --key ${rel(s.pullReceiver.key)}

Receive pushes as extranet/archive (the gateway delivers to it on its own):
  ferry serve-inbox --out ./pushed --listen 127.0.0.1:${s.ports.receiver} \\
    --cert ${rel(s.pushReceiver.cert)} --key ${rel(s.pushReceiver.key)}

Check the audit log:
  ferry log verify --db ${rel(s.dir)}/data/audit.db

Open the web console (三员分立: one certificate per role, in ${rel(s.pki)}/):
${s.administrators.map((a) => `  ${a.role.padEnd(9)} ${a.id.padEnd(24)} ${rel(a.p12)}  (passphrase in ${rel(a.p12)}.pass)`).join('\n')}
  1. Import one .p12 into the browser: Chromium/Chrome: Settings > Privacy and security >
     Security > Manage certificates > Your certificates > Import (Linux, NSS:
     pk12util -d sql:$HOME/.pki/nssdb -i ${rel(s.administrators[0]!.p12)}); Firefox: Settings >
     Certificates > View Certificates > Your Certificates > Import.
  2. Open https://127.0.0.1:${s.ports.adminApi}/console/ and choose that certificate when asked.
     The gateway's certificate comes from the dev CA (${rel(s.ca)}): trust it, or accept the warning.
`);
    });

  program
    .command('demo')
    .description(help('demo'))
    .option('--keep', help('demo --keep'))
    .addHelpText('after', help('demo examples'))
    .action(async (o: { keep?: boolean }) => {
      const { runDemo } = await import('./demo/demo.js');
      process.exitCode = await runDemo({ keep: o.keep === true, out: process.stdout });
    });

}
