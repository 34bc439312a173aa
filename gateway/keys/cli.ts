// `ferry keys …`: the gateway's own signing and sealing keys.
import type { Command } from 'commander';
import { rotateGatewayKeys } from './rotate-keys.js';

export function register(program: Command): void {
  const keys = program.command('keys').description('The gateway\'s signing (receipts, audit checkpoints) and sealing (spool) keys.');
  keys
    .command('rotate')
    .description('Make new signing and sealing keys; the audit log records key-rotated, signed by the old key and the new one. Stop the gateway first.')
    .requiredOption('--data-dir <dir>', 'the gateway\'s data_dir')
    .addHelpText('after', `
The old private keys are kept in <data-dir>/keys/retired/ (spool files sealed to
the old key stay readable until delivered). \`ferry log verify\` given only the
first public key follows the log across the rotation.

Example:
  ferry keys rotate --data-dir /var/lib/ferry/gw1`)
    .action(async (o: { dataDir: string }) => {
      const r = await rotateGatewayKeys(o.dataDir);
      process.stdout.write(`rotated at audit record ${r.seq}\nold key  ${r.oldKey}\nnew key  ${r.newKey}\nretired  ${r.retiredDir}\n`);
    });
}
