// The `ferry` command tree: only assembles the sub-commands each part owns, in
// the CLI's language (set it first with initCliLocale). bin/ferry.ts runs it;
// tests build it to check every command's --help text exists in both languages.
import { Command, Option } from 'commander';
import { register as registerCerts } from '../certs/cli.js';
import { register as registerClient } from '../client/commands.js';
import { register as registerGateway } from '../gateway/cli.js';
import { register as registerAdmin } from '../gateway/admin/admin-cli.js';
import { register as registerLog } from '../gateway/audit/cli.js';
import { openAuditStorage } from '../gateway/audit/open-audit-storage.js';
import { register as registerInspect } from '../gateway/inspect/cli.js';
import { register as registerKeys } from '../gateway/keys/cli.js';
import { register as registerPolicy } from '../policies/cli.js';
import { register as registerSim } from '../simulator/cli.js';
import { help, localizeCommander } from '../i18n/cli-help.js';
import { LOCALES } from '../i18n/locale.js';
import { registerCompletion } from './completion.js';

export function buildProgram(): Command {
  const program = new Command('ferry')
    .description(help('ferry'))
    .version('0.1.0', '-V, --version', help('--version'))
    .addOption(new Option('--lang <language>', help('--lang')).choices([...LOCALES]))
    .showHelpAfterError(help('ferry usage hint'))
    .addHelpText('after', help('ferry examples'));

  registerGateway(program);
  registerClient(program);
  registerAdmin(program);
  registerCerts(program);
  // Inspectors load only when a sample file is given: `policy check` and metadata dry runs stay light.
  // Replay reads the audit log through its storage port, handed in: policies/ does not import the server.
  registerPolicy(program, { inspectFile: async (path, opts) => (await import('../gateway/inspect/index.js')).inspectFile(path, opts), openAuditLog: openAuditStorage });
  registerInspect(program);
  registerLog(program);
  registerKeys(program);
  registerSim(program);
  registerCompletion(program);
  localizeCommander(program);
  return program;
}
