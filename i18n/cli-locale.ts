// The language of this `ferry` process: chosen once at start-up, before the
// commands are built (their --help text is in it), from --lang, then LC_ALL,
// LC_MESSAGES, LANG. Every CLI part reads it from here rather than each parsing argv.
import { localeFromEnv, type Locale } from './locale.js';

let current: Locale = 'en';

export function cliLocale(): Locale {
  return current;
}

/** `--lang X` or `--lang=X` anywhere on the command line (commander parses it again later, for --help and validation). */
export function langFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return undefined;
    if (a === '--lang') return argv[i + 1];
    if (a.startsWith('--lang=')) return a.slice('--lang='.length);
  }
  return undefined;
}

/** Decide the language from argv and the environment; throws on an unknown --lang. */
export function initCliLocale(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Locale {
  current = localeFromEnv(langFlag(argv), env);
  return current;
}
