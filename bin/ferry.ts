#!/usr/bin/env node
import { Command, Option } from 'commander';
import { initCliLocale } from '../i18n/cli-locale.js';
import { register as registerCerts } from '../certs/cli.js';
import { register as registerClient } from '../client/commands.js';
import { register as registerGateway } from '../gateway/cli.js';
import { register as registerAdmin } from '../gateway/admin/admin-cli.js';
import { register as registerLog } from '../gateway/audit/cli.js';
import { register as registerInspect } from '../gateway/inspect/cli.js';
import { register as registerKeys } from '../gateway/keys/cli.js';
import { register as registerPolicy } from '../policies/cli.js';
import { register as registerSim } from '../simulator/cli.js';

// `ferry` only assembles the sub-commands each part owns.
try {
  initCliLocale(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`ferry: ${(err as Error).message}\n`);
  process.exit(2);
}
const program = new Command('ferry')
  .description('Ferry: a cross-network transfer gateway. Authenticates business systems, applies policy, inspects, encrypts, stores and relays files, and audits every step.')
  .version('0.1.0')
  .addOption(new Option('--lang <language>', 'language of messages: zh-CN or en (default from LC_ALL, LC_MESSAGES, LANG)').choices(['zh-CN', 'en']))
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText('after', `
Examples:
  ferry demo                                   run a two-network demo in a temporary directory
  ferry init ./ferry-dev                       write a ready-to-run dev setup and print how to use it
  ferry gateway --config gateway.yaml          start a gateway
  ferry send report.pdf --to extranet/archive --gateway https://127.0.0.1:8443
  ferry policy check policy.yaml               validate a policy
  ferry log verify --db data/audit.db          verify the audit log
  ferry sim run province                       simulate a province's networks under faults and check nothing was lost`);

registerGateway(program);
registerClient(program);
registerAdmin(program);
registerCerts(program);
// Inspectors load only when a sample file is given: `policy check` and metadata dry runs stay light.
registerPolicy(program, { inspectFile: async (path, opts) => (await import('../gateway/inspect/index.js')).inspectFile(path, opts) });
registerInspect(program);
registerLog(program);
registerKeys(program);
registerSim(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`ferry: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
