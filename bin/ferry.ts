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

buildProgram().parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`ferry: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
