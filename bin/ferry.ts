#!/usr/bin/env node
import { initCliLocale } from '../i18n/cli-locale.js';
import { buildProgram } from './program.js';

// The language is decided before the commands are built: their --help is in it.
try {
  initCliLocale(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`ferry: ${(err as Error).message}\n`);
  process.exit(2);
}

// A command whose work was lost (a promise nothing will ever settle) would let
// the process run out of things to do and exit 0 having printed nothing.
let settled = false;
process.once('beforeExit', () => {
  if (settled) return;
  process.stderr.write('ferry: the command stopped before it finished (an internal error; please report it)\n');
  process.exitCode = 70;
});

buildProgram().parseAsync(process.argv).then(() => {
  settled = true;
}, (err: unknown) => {
  settled = true;
  process.stderr.write(`ferry: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
