import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { help } from '../../i18n/cli-help.js';
import type { AdminFlags } from '../admin/admin-cli.js';

// `ferry keys init`: make a gateway's keys before its first start and print its
// public (verifier) key, for the peers.<name>.key of the gateways next to it.
// `ferry keys rotate`: new keys, handed on in the audit log: by a running
// gateway asked through its admin API (live-rotation.ts), or by this process
// for a stopped one (rotate-keys.ts).

export function register(program: Command): void {
  const keys = program.command('keys').description(help('keys'));
  keys.command('init')
    .description(help('keys init'))
    .option('--data-dir <dir>', help('--data-dir'))
    .option('--name <name>', help('keys init --name'))
    .option('-c, --config <file>', help('keys init --config'))
    .addHelpText('after', help('keys init examples'))
    .action(async (o: { dataDir?: string; name?: string; config?: string }) => {
      const [{ ConfigError, loadGatewayConfig }, { initGatewayKeys }] = await Promise.all([import('../config/gateway-config.js'), import('./init-keys.js')]);
      let dataDir = o.dataDir;
      let name = o.name;
      if (o.config) {
        try {
          const c = await loadGatewayConfig(resolve(o.config));
          dataDir = c.dataDir;
          name = c.name;
        } catch (err) {
          if (err instanceof ConfigError) {
            const [{ formatProblemIn }, { cliLocale }] = await Promise.all([import('../../i18n/problem-text.js'), import('../../i18n/cli-locale.js')]);
            process.stderr.write(`${err.problems.map((p) => formatProblemIn(p, cliLocale())).join('\n')}\n`);
            process.exitCode = 2;
            return;
          }
          throw err;
        }
      }
      if (!dataDir || !name) throw new InvalidArgumentError('give --data-dir and --name, or --config');
      await mkdir(resolve(dataDir), { recursive: true, mode: 0o700 });
      const k = await initGatewayKeys(resolve(dataDir), name);
      process.stderr.write(`wrote ${k.vkeyPath}\n`);
      process.stdout.write(`${k.vkey}\n`);
    });

  keys
    .command('rotate')
    .description(help('keys rotate'))
    .option('--data-dir <dir>', help('keys rotate --data-dir'))
    .option('--admin <url>', help('--admin'))
    .option('--cert <file>', help('admin transfers --cert'))
    .option('--key <file>', help('admin transfers --key'))
    .option('--ca <file>', help('admin transfers --ca'))
    .addHelpText('after', help('keys rotate examples'))
    .action(async (o: AdminFlags & { dataDir?: string }) => {
      const viaAdmin = o.admin ?? (o.dataDir ? undefined : process.env.FERRY_ADMIN);
      if (!viaAdmin && !o.dataDir) throw new InvalidArgumentError('give --admin https://host:port (a running gateway) or --data-dir (a stopped one)');
      if (viaAdmin) {
        const { call } = await import('../admin/admin-cli.js');
        try {
          const r = await call({ ...o, admin: viaAdmin }, 'POST', '/v1/admin/keys/rotate') as { seq: number; old_key: string; new_key: string; retired: string };
          process.stdout.write(`rotated at audit record ${r.seq}\nold key  ${r.old_key}\nnew key  ${r.new_key}\nretired  ${r.retired}\n`);
        } catch (err) {
          process.stderr.write(`ferry keys rotate: ${(err as Error).message}\n`);
          process.exitCode = /^refused/.test((err as Error).message) ? 1 : 2;
        }
        return;
      }
      const { rotateGatewayKeys } = await import('./rotate-keys.js');
      const r = await rotateGatewayKeys(resolve(o.dataDir!));
      process.stdout.write(`rotated at audit record ${r.seq}\nold key  ${r.oldKey}\nnew key  ${r.newKey}\nretired  ${r.retiredDir}\n`);
    });
}
